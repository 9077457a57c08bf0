"""Dani's calendar feed and a few webhook events, already turned into
suggestions, on the same day as her suggestions (suggestions.py:
``plan.last_workday``).

The demo has no encryption key, so no feed address is stored; the feed's
state (agency.calendar.feed) is kept as if the cron had refreshed it, from a
small calendar built here: a design crit in the morning. Dani turns her
git, task and design-tool activity on; a Figma session in the
afternoon, a commit during it (one suggestion, two reasons) and a Jira
update late in the day arrive through the webhooks' storing path, and the
repository and Jira key are mapped to the Citrus launch project.
"""

from datetime import datetime, time, timedelta

import pytz

from ..activity_events import parse
from .common import demo_env, plan_for, ref, register


def _utc(tz, day, hour, minute=0):
    moment = tz.localize(datetime.combine(day, time(hour, minute)))
    return moment.astimezone(pytz.utc)


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(env, today=None):
    """Dani's feed and activity, once (a second call does nothing)."""
    dani = ref(env, "user_dani")
    project = ref(env, "project_citrus_launch")
    if not dani or not project or ref(env, "calendar_feed_dani"):
        return
    company = env.ref("base.main_company")
    demo = demo_env(env, company, dont_notify=True)
    day = plan_for(demo, today).last_workday
    tz = pytz.timezone(dani.tz or "UTC")
    dani.write(
        {
            "agency_suggestions_enabled": True,
            "agency_activity_git": True,
            "agency_activity_tasks": True,
            "agency_activity_generic": True,
        }
    )
    Mapping = demo["agency.activity.mapping"]
    Mapping.create(
        [
            {
                "kind": "repository",
                "key": "studio/citrus-site",
                "project_id": project.id,
            },
            {"kind": "jira", "key": "CIT", "project_id": project.id},
            {"kind": "generic", "key": "citrus launch", "project_id": project.id},
        ]
    )
    start, end = _utc(tz, day, 8, 30), _utc(tz, day, 9, 0)
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agency demo//EN\r\n"
        "BEGIN:VEVENT\r\nUID:crit-demo@calendar.example.com\r\n"
        "SUMMARY:Design crit (Google Calendar)\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    Feed = demo["agency.calendar.feed"].sudo()
    feed = Feed.create({"user_id": dani.id, "company_id": company.id})
    feed._agency_apply(calendar, today=day)
    refreshed = end.replace(tzinfo=None) + timedelta(hours=1)
    feed.write({"last_run": refreshed, "last_ok": refreshed, "etag": '"demo-1"'})
    register(env, "calendar_feed_dani", feed)

    session = _utc(tz, day, 14, 15)  # after the lunch & learn (suggestions.py)
    deliveries = [
        (
            "generic",
            {
                "source": "figma",
                "id": "figma-demo-1",
                "title": "Citrus landing page, hero variants",
                "started_at": _iso(session),
                "duration": 90,
                "url": "https://www.figma.com/file/demo",
                "project": "citrus launch",
            },
        ),
        (
            "github",
            {
                "repository": {"full_name": "studio/citrus-site"},
                "commits": [
                    {
                        "id": "d3m0c0ffee",
                        "message": "Hero images in the landing page",
                        "timestamp": _iso(session + timedelta(minutes=40)),
                        "url": "https://github.com/studio/citrus-site/commit/d3m0",
                        "author": {"email": dani.email or ""},
                    }
                ],
            },
        ),
        (
            "jira",
            {
                "timestamp": int(_utc(tz, day, 17, 10).timestamp() * 1000),
                "user": {"emailAddress": dani.email or ""},
                "issue": {
                    "key": "CIT-12",
                    "self": "https://studio.atlassian.net/rest/api/2/issue/12",
                    "fields": {"summary": "Launch checklist"},
                },
            },
        ),
    ]
    Event = demo["agency.activity.event"].sudo()
    now = _utc(tz, day, 23, 0).replace(tzinfo=None)
    for source, payload in deliveries:
        events = parse(source, payload, now)
        Event._agency_ingest(company, dani, source, events, b"{}")
