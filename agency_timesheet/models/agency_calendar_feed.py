"""The state of a person's calendar feed: one row per person with a feed.

The feed's address stays an encrypted secret (agency.secret, kind
``calendar_feed``, set in the person's preferences); this row holds only
what a refresh needs next time: the ETag and Last-Modified of the last read
(conditional GET), when it last worked, the last error and whether the owner
was told about it, and the values the feed gave each suggestion (so a changed
or removed event updates or removes its suggestion only while the person has
not touched it). No group has access: the cron and the owner's own
*Refresh My Feed Now* (Preferences, :meth:`_agency_refresh_mine`: their own
feed only, at most once every MINE_EVERY) go through sudo after checking who
asks.

The cron refreshes every person's feed in batches of BATCH, oldest first,
reporting progress to the scheduler (``_notify_progress``), so a big agency
never holds one long transaction. A feed that fails tells its owner once
(a notification in their inbox) and stays quiet until it works again.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..calendar_feeds import FEED_DAYS, FeedError, fetch, plan, values
from ..ics import IcsError, read_ics
from ..sign_in import FEED_KIND
from ..tools import day_bounds

BATCH = 50
REFRESH_EVERY = timedelta(minutes=50)  # a feed refreshed this recently waits
MINE_EVERY = timedelta(minutes=5)  # a person's own refresh, at most this often


class AgencyCalendarFeed(models.Model):
    _name = "agency.calendar.feed"
    _description = "Agency Calendar Feed State"
    _rec_name = "user_id"
    _order = "last_run asc nulls first, id"

    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    etag = fields.Char(readonly=True)
    last_modified = fields.Char(readonly=True)
    last_run = fields.Datetime(readonly=True)
    last_ok = fields.Datetime(readonly=True)
    last_error = fields.Char(readonly=True)
    error_notified = fields.Boolean(readonly=True)
    given = fields.Json(
        readonly=True, help="Technical: {source key: values} the feed gave last time."
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        ("user_unique", "UNIQUE(user_id)", "A person has one calendar feed."),
    ]

    # -- the cron ------------------------------------------------------------

    @api.model
    def _agency_sync(self):
        """A state row for every person with a feed URL (a row whose address
        was removed stays, and its refresh says so)."""
        secrets = (
            self.env["agency.secret"]
            .sudo()
            .search([("res_model", "=", "res.users"), ("kind", "=", FEED_KIND)])
        )
        owners = set(secrets.mapped("res_id"))
        have = set(self.sudo().search([]).mapped("user_id").ids)
        users = self.env["res.users"].sudo().browse(sorted(owners - have)).exists()
        self.sudo().create(
            [{"user_id": user.id, "company_id": user.company_id.id} for user in users]
        )

    @api.model
    def _cron_refresh(self):
        """Refresh the feeds due, BATCH at a time, telling the scheduler how
        many remain (it runs again at once while some do)."""
        self._agency_sync()
        due = [
            "|",
            ("last_run", "=", False),
            ("last_run", "<", fields.Datetime.now() - REFRESH_EVERY),
        ]
        feeds = self.sudo().search(due, limit=BATCH)
        feeds._agency_refresh()
        remaining = self.sudo().search_count(due)
        self.env["ir.cron"]._notify_progress(done=len(feeds), remaining=remaining)
        return len(feeds)

    # -- the person's own refresh ---------------------------------------------

    @api.model
    def _agency_refresh_mine(self):
        """Refresh the signed-in person's feed now; a notification action
        saying what came of it. Refused (nothing read) without a feed address,
        or when the feed was read less than MINE_EVERY ago."""
        user = self.env.user
        if not self.env["agency.secret"].sudo()._agency_has(user, FEED_KIND):
            raise UserError(
                self.env._(
                    "%(user)s: you have no calendar feed yet. Paste its private "
                    "address in Calendar Feed URL, save, then refresh.",
                    user=user.name,
                )
            )
        feed = self.sudo().search([("user_id", "=", user.id)])
        if not feed:
            feed = self.sudo().create(
                {"user_id": user.id, "company_id": user.company_id.id}
            )
        now = fields.Datetime.now()
        if feed.last_run and feed.last_run > now - MINE_EVERY:
            wait = feed.last_run + MINE_EVERY - now
            raise UserError(
                self.env._(
                    "%(user)s: your calendar feed was read %(ago)s minute(s) ago. "
                    "Refresh it again in %(wait)s minute(s) (once every "
                    "%(every)s minutes at most); it is also read every hour.",
                    user=user.name,
                    ago=int((now - feed.last_run).total_seconds() // 60),
                    wait=max(int(-(-wait.total_seconds() // 60)), 1),
                    every=int(MINE_EVERY.total_seconds() // 60),
                )
            )
        result = feed._agency_refresh()[feed.id]
        messages = {
            "ok": self.env._(
                "Your calendar feed was read: its events of the last %(days)s "
                "days are in your suggestions (Agency › Time › Suggestions).",
                days=FEED_DAYS,
            ),
            "unchanged": self.env._(
                "Your calendar feed has not changed since it was last read."
            ),
            "off": self.env._(
                "Suggestions are off in your preferences: turn them on, save, and "
                "your feed is read."
            ),
        }
        ok = result in messages
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Calendar feed"),
                "message": messages.get(result)
                or self.env._(
                    "Your calendar feed could not be read: %(reason)s. Check the "
                    "address in Calendar Feed URL.",
                    reason=result,
                ),
                "type": "success" if ok else "warning",
                "sticky": not ok,
            },
        }

    # -- one feed ------------------------------------------------------------

    def _agency_refresh(self):
        """Refresh these feeds; {feed id: "ok" | "unchanged" | "off" | reason}."""
        results = {}
        for feed in self.sudo():
            with self.env.cr.savepoint():
                results[feed.id] = feed._agency_refresh_one()
        return results

    def _agency_refresh_one(self):
        self.ensure_one()
        user = self.user_id
        now = fields.Datetime.now()
        if not user.active or not user.agency_suggestions_enabled:
            self.last_run = now
            return "off"  # opted out: nothing is read
        url = self.env["agency.secret"].sudo()._agency_read(user, FEED_KIND)
        if not url:
            self.last_run = now
            return "no address"
        try:
            status, data, etag, modified = fetch(url, self.etag, self.last_modified)
            if status == 304:
                self._agency_worked(now, etag, modified)
                return "unchanged"
            self._agency_apply(data)
        except FeedError as error:
            return self._agency_failed(now, error.reason)
        except IcsError as error:
            return self._agency_failed(
                now, f"the feed is not a readable calendar ({error.kind})"
            )
        except UserError as error:
            return self._agency_failed(now, str(error))
        self._agency_worked(now, etag, modified)
        return "ok"

    def _agency_worked(self, now, etag, modified):
        self.write(
            {
                "last_run": now,
                "last_ok": now,
                "etag": etag or False,
                "last_modified": modified or False,
                "last_error": False,
                "error_notified": False,
            }
        )

    def _agency_failed(self, now, reason):
        """Keep the reason; tell the owner once until the feed works again."""
        self.write({"last_run": now, "last_error": reason[:500]})
        if not self.error_notified:
            self.error_notified = True
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=self.user_id.partner_id.ids,
                subject=self.env._("Your calendar feed could not be read"),
                body=self.env._(
                    "Your calendar feed could not be read: %(reason)s. No new "
                    "suggestions come from it until it works again; you will not "
                    "be told again meanwhile. Check the address in My Profile › "
                    "Time Capture › Calendar Feed URL.",
                    reason=reason,
                ),
            )
        return reason

    def _agency_apply(self, data, today=None):
        """Turn the feed's events of the last FEED_DAYS days (up to `today`,
        the person's today by default) into suggestions of source ``feed``,
        as the .ics upload does, never twice.

        A fixed number of queries per feed, whatever its size: the person's
        feed suggestions are read once (the never-twice check of every day),
        the time logged in the window once, and the new suggestions are
        created in one batch."""
        user, company = self.user_id, self.company_id
        Suggestion = self.env["agency.suggestion"].with_user(user).with_company(company)
        Import = (
            self.env["agency.suggestion.import"].with_user(user).with_company(company)
        )
        employee = Suggestion._employee()
        tz = Suggestion._tz()
        today = today or fields.Date.context_today(Suggestion)
        first = today - timedelta(days=FEED_DAYS - 1)
        events, _skipped = read_ics(data, tz, first, today, email=user.email)
        attendees = Import._partners_by_email(events)
        by_day = defaultdict(list)
        for event in events:
            by_day[event["day"]].append(event)
        mine = Suggestion.search([("user_id", "=", user.id), ("source", "=", "feed")])
        in_window = defaultdict(dict)  # day → {source key: suggestion}
        for suggestion in mine:
            if suggestion.company_id == company and first <= suggestion.date <= today:
                in_window[suggestion.date][suggestion.source_key] = suggestion
        logged = self._agency_logged(employee, first, today)
        # One context for the window (the clients' projects, read once, are
        # kept in it), its day fields set for each day; the person's recent
        # projects depend on the day and are read again.
        shared = Suggestion._generation_context(first, employee)
        given = dict(self.given or {})
        to_create, removed = [], self.env["agency.suggestion"]
        for offset in range(FEED_DAYS):
            day = first + timedelta(days=offset)
            day_start, day_end = day_bounds(day, tz)
            shared.update(
                day=day,
                day_start=day_start,
                day_end=day_end,
                logged=logged.get(day, set()),
            )
            shared.pop("my_projects", None)
            proposals = self._agency_proposals(
                Import, by_day.get(day, []), shared, attendees
            )
            existing = in_window[day]
            create, update, remove = plan(
                {k: (s.state, self._agency_values(s)) for k, s in existing.items()},
                {k: values(v) for k, v in proposals.items()},
                given,
            )
            for key in remove:
                removed |= existing[key]
                given.pop(key, None)
            for key in update:
                vals = proposals[key]
                existing[key].sudo().write(
                    {f: vals[f] for f in ("name", "hours", "project_id", "reason")}
                )
            to_create += [{**proposals[key], "date": day} for key in create]
            for key in create + update:
                given[key] = values(proposals[key])
        removed.sudo().unlink()
        Suggestion.create(to_create)
        # What the feed gave suggestions that are gone (purged, past the
        # window) is forgotten.
        keep = set((mine - removed).mapped("source_key"))
        keep |= {vals["source_key"] for vals in to_create}
        self.given = {k: v for k, v in given.items() if k in keep}

    def _agency_proposals(self, Import, events, context, attendees):
        """{source key: suggestion values} of one day's feed events."""
        proposals = {}
        for event in events:
            vals = Import._proposal(event, context, attendees)
            if vals["hours"] <= 0:
                continue
            vals["source"] = "feed"
            vals["source_key"] = "feed:" + vals["source_key"].removeprefix("ics:")
            vals["reason"] = vals["reason"].replace(
                self.env._("Calendar file:"), self.env._("Calendar feed:"), 1
            )
            if (vals.get("project_id"), False) in context["logged"]:
                continue  # already logged: nothing to remember
            proposals[vals["source_key"]] = vals
        return proposals

    @api.model
    def _agency_logged(self, employee, first, last):
        """{day: {(project id, task id)}} the person logged from `first` to
        `last`, in one query."""
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "=", employee.id),
                    ("date", ">=", first),
                    ("date", "<=", last),
                    ("project_id", "!=", False),
                ],
                ["date:day", "project_id", "task_id"],
            )
        )
        logged = defaultdict(set)
        for day, project, task in groups:
            logged[day].add((project.id, task.id))
        return logged

    @api.model
    def _agency_values(self, suggestion):
        return values(
            {
                "name": suggestion.name,
                "hours": suggestion.hours,
                "project_id": suggestion.project_id.id,
            }
        )
