"""A day of suggestions for Dani, so that her Suggestions screen is real.

The day is the last working day before the demo was built
(``plan.last_workday``, plan.py). Dani opts in; that day she had three
meetings (Acme Spring's weekly status, linked to an Acme Spring task; a concept
review with Citrus's brand manager, a new client contact; an internal lunch &
learn) and declined a fourth (Foxglove's casting), and she wrote on a Citrus
task at 16:30 her time; her teammates logged their day as usual (timesheets.py).
Her suggestions are then generated as her.
"""

from datetime import datetime, time

import pytz

from .common import demo_env, plan_for, ref, register


def build(env, today=None):
    """Dani's day of suggestions, once (a second call does nothing)."""
    dani = ref(env, "user_dani")
    if not dani or ref(env, "calendar_event_dani_status"):
        return
    company = env.ref("base.main_company")
    demo = demo_env(env, company, dont_notify=True)
    day = plan_for(demo, today).last_workday
    employee = ref(demo, "employee_dani")
    logged = set(
        env["account.analytic.line"]
        .search([("employee_id", "=", employee.id), ("date", "=", day)])
        .task_id.ids
    )

    def free_task(project_key, preferred):
        """A task of the project Dani logged nothing on that day."""
        tasks = ref(demo, f"project_{project_key}").task_ids
        free = tasks.filtered(lambda t: t.id not in logged)
        return free.filtered(lambda t: t.name == preferred)[:1] or free[:1]

    dani.agency_suggestions_enabled = True
    build_events(demo, dani, day, free_task("acme_spring", "Client meetings"))
    task = free_task("citrus_launch", "Concepts")
    if task:
        tz = pytz.timezone(dani.tz or "UTC")
        posted_at = tz.localize(datetime.combine(day, time(16, 30)))
        message = task.message_post(
            body=env._("Shared the second round of concepts with Yuki for review."),
            author_id=dani.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        message.date = posted_at.astimezone(pytz.utc).replace(tzinfo=None)
    env["agency.suggestion"].with_user(dani).with_company(company)._generate(day)


def build_events(env, dani, day, acme_task):
    """Dani's meetings of the day: (key, name, from, to, organizer, people,
    client contact, linked record, Dani's answer)."""
    tz = pytz.timezone(dani.tz or "UTC")
    people = {
        key: ref(env, f"user_{key}") or ref(env, f"employee_{key}")
        for key in ("paula", "priya", "anna", "yuki", "lea", "omar")
    }
    acme = ref(env, "client_acme")
    citrus_contact = register(
        env,
        "partner_citrus_marta",
        env["res.partner"].create(
            {
                "name": "Marta Vidal",
                "parent_id": ref(env, "client_citrus").id,
                "email": "marta@citrus.example.com",
                "function": "Brand Manager",
            }
        ),
    )
    foxglove = ref(env, "client_foxglove")
    meetings = [
        ("status", "Acme Spring: weekly status", (9, 30), (10, 0), "paula",
         ["paula", "anna"], acme, acme_task, "accepted"),
        ("citrus", "Citrus summer launch: concept review", (11, 0), (12, 30),
         "priya", ["priya", "yuki"], citrus_contact, None, "accepted"),
        ("learn", "Lunch & learn: type on screens", (13, 0), (14, 0), None,
         ["lea", "omar"], None, None, "accepted"),
        ("casting", "Foxglove lookbook casting", (15, 0), (16, 0), "priya",
         ["priya"], foxglove, None, "declined"),
    ]  # fmt: skip
    events = env["calendar.event"]
    for key, name, start, stop, organizer, team, client, linked, answer in meetings:
        partners = dani.partner_id | client if client else dani.partner_id
        for person in team:
            record = people[person]
            partners |= (
                record.partner_id
                if record._name == "res.users"
                else record.work_contact_id
            )
        organizer_user = people.get(organizer) if organizer else dani
        if organizer_user._name != "res.users":
            organizer_user = dani
        vals = {
            "name": name,
            "start": _utc(tz, day, start),
            "stop": _utc(tz, day, stop),
            "user_id": organizer_user.id,
            "partner_ids": [(6, 0, partners.ids)],
            "privacy": "public",
        }
        if linked:
            vals.update(
                {
                    "res_model_id": env["ir.model"]._get_id("project.task"),
                    "res_id": linked.id,
                }
            )
        event = register(
            env, f"calendar_event_dani_{key}", env["calendar.event"].create(vals)
        )
        event.attendee_ids.filtered(
            lambda a: a.partner_id == dani.partner_id
        ).state = answer
        events |= event
    return events


def _utc(tz, day, hour_minute):
    """The naive UTC datetime of `hour_minute` on `day` in `tz`."""
    local = tz.localize(datetime.combine(day, time(*hour_minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)
