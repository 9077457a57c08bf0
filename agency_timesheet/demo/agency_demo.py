"""The demo agency: a believable studio generated relative to today.

`agency.demo` is loaded with Odoo's demo data (demo/agency_demo.xml) and by
`make demo`. Each add-on adds its own step: agency_timesheet builds the people,
clients, projects and three months of time; agency_billing and agency_forecast
build on the records registered here under the pseudo-module ``agency_demo``
(``self.env.ref("agency_demo.employee_paula")``). Those external ids survive an
uninstall of the add-ons, so the sample data stays usable as plain Odoo data.

Every date comes from one plan, :func:`..demo.plan.demo_plan`, made from the
day the demo is built (``today``, the real today unless given; it is kept in the
system parameter ``agency_demo.today`` so that every step, agency_billing's
included, plans from the same day). What the time looks like is decided by
:func:`plan_timesheets`, a plain function of the people, projects and days,
with a fixed random seed: the same day always gives the same studio.
"""

import itertools
import random
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .plan import FORGOTTEN_TIMER, demo_plan, local_day_bounds, local_to_utc

DEMO_MODULE = "agency_demo"
SEED = 18
# The system parameter that keeps the day the demo agency was built for.
TODAY_PARAM = "agency_demo.today"

ROLES = [
    # code, name, share of a day on client work
    ("AD", "Art Director", 0.80),
    ("DES", "Designer", 0.88),
    ("CW", "Copywriter", 0.85),
    ("DEV", "Developer", 0.88),
    ("PRD", "Producer", 0.60),
    ("STR", "Strategist", 0.70),
]

# key, name, role code, calendar key, time zone, hourly cost, login (or None)
PEOPLE = [
    ("paula", "Paula Reyes", "PRD", "full", "Europe/Brussels", 55.0, "paula"),
    ("pedro", "Pedro Alvarez", "PRD", "full", "Europe/Brussels", 52.0, "pedro"),
    ("priya", "Priya Natarajan", "PRD", "full", "Australia/Sydney", 54.0, "priya"),
    ("bruno", "Bruno Keller", "STR", "full", "Europe/Brussels", 60.0, "bruno"),
    ("sofia", "Sofia Lind", "STR", "part32", "Europe/Brussels", 58.0, None),
    ("tariq", "Tariq Haddad", "STR", "full", "America/Los_Angeles", 62.0, None),
    ("anna", "Anna Moretti", "AD", "full", "Europe/Brussels", 65.0, None),
    ("marc", "Marc Dubois", "AD", "full", "Europe/Brussels", 63.0, None),
    ("yuki", "Yuki Tanaka", "AD", "part24", "Australia/Sydney", 64.0, None),
    ("dani", "Dani Costa", "DES", "full", "Europe/Brussels", 42.0, "dani"),
    ("lea", "Léa Martin", "DES", "full", "Europe/Brussels", 40.0, None),
    ("omar", "Omar Farouk", "DES", "full", "Europe/Brussels", 41.0, None),
    ("ines", "Inès Garnier", "DES", "part32", "Europe/Brussels", 39.0, None),
    ("jonas", "Jonas Berg", "DES", "full", "Europe/Brussels", 38.0, None),
    ("mia", "Mia Novak", "DES", "full", "America/Los_Angeles", 43.0, None),
    ("theo", "Théo Laurent", "DES", "full", "Europe/Brussels", 37.0, None),
    ("clara", "Clara Jensen", "CW", "full", "Europe/Brussels", 45.0, None),
    ("ravi", "Ravi Mehta", "CW", "full", "Europe/Brussels", 44.0, None),
    ("ella", "Ella Svensson", "CW", "part24", "Europe/Brussels", 46.0, None),
    ("noah", "Noah Fischer", "CW", "full", "Europe/Brussels", 43.0, None),
    ("kai", "Kai Nakamura", "DEV", "full", "Europe/Brussels", 50.0, None),
    ("zoe", "Zoé Petit", "DEV", "full", "Europe/Brussels", 52.0, None),
    ("lars", "Lars Olsen", "DEV", "full", "Europe/Brussels", 49.0, None),
    ("amara", "Amara Okafor", "DEV", "full", "Europe/Brussels", 51.0, None),
    ("felix", "Felix Wagner", "DEV", "full", "Europe/Brussels", 48.0, None),
]

# Working days (0 = Monday) and hours a day of each demo calendar.
CALENDARS = {
    "full": ("Standard 40 hours/week", None, range(5)),
    "part32": ("Part-time 32 hours (Mon–Thu)", "Part-time 32h", range(4)),
    "part24": ("Part-time 24 hours (Mon–Wed)", "Part-time 24h", range(3)),
}
HOURS_PER_DAY = 8.0

CLIENTS = [
    ("acme", "Acme Outdoor", "Lyon"),
    ("bright", "Bright Bank", "Amsterdam"),
    ("citrus", "Citrus Cola", "Barcelona"),
    ("dune", "Dune Museum", "Copenhagen"),
    ("evergreen", "Evergreen Health", "Dublin"),
    ("foxglove", "Foxglove Fashion", "Milan"),
]

# key, name, client key, kind, producer key, team (person keys)
PROJECTS = [
    ("acme_spring", "Acme Spring Campaign", "acme", "tm", "paula",
     ["anna", "dani", "clara", "lea", "tariq"]),
    ("acme_web", "Acme Website Refresh", "acme", "fixed", "pedro",
     ["marc", "kai", "zoe", "omar", "ravi"]),
    ("bright_brand", "Bright Bank Brand Retainer", "bright", "retainer", "paula",
     ["anna", "jonas", "noah", "bruno"]),
    ("citrus_launch", "Citrus Summer Launch", "citrus", "tm", "priya",
     ["yuki", "dani", "ella", "mia", "sofia"]),
    ("citrus_social", "Citrus Social Always-on", "citrus", "retainer", "priya",
     ["theo", "ella", "noah", "mia"]),
    ("dune_identity", "Dune Exhibition Identity", "dune", "fixed", "pedro",
     ["marc", "ines", "clara", "bruno"]),
    ("evergreen_app", "Evergreen Patient App", "evergreen", "tm", "pedro",
     ["kai", "lars", "amara", "felix", "omar", "tariq"]),
    ("evergreen_report", "Evergreen Annual Report", "evergreen", "fixed", "paula",
     ["lea", "ravi", "jonas", "sofia"]),
    ("foxglove_lookbook", "Foxglove Lookbook", "foxglove", "tm", "priya",
     ["yuki", "theo", "clara", "zoe"]),
    ("foxglove_content", "Foxglove Content Retainer", "foxglove", "retainer", "paula",
     ["ines", "noah", "felix", "amara", "jonas"]),
]  # fmt: skip

KINDS = {
    "tm": "Time & materials",
    "fixed": "Fixed fee",
    "retainer": "Retainer",
}

TASKS = [
    ("Discovery & brief", 0.10),
    ("Concepts", 0.25),
    ("Production", 0.35),
    ("Revisions round 1", 0.15),
    ("Revisions round 2", 0.08),
    ("Client meetings", 0.07),
]

NOTES = {
    "AD": ["Art direction review", "Moodboard", "Shoot prep", "Layout critique"],
    "DES": ["Layout exploration", "Key visual", "Asset export", "Typography pass"],
    "CW": ["Headline options", "Body copy draft", "Tone of voice", "Proofreading"],
    "DEV": ["Front-end build", "Code review", "Bug fixing", "Deployment"],
    "PRD": ["Status call", "Schedule update", "Budget check", "Client email"],
    "STR": ["Research", "Workshop prep", "Insight deck", "Competitor audit"],
}

# Patterns the screens should show.
OVER_CAPACITY = "dani"  # logs 10-11 h most days
LATE_LOGGER = "theo"  # logs days late, misses some
MISSING_RATE = {"theo": 0.18, "jonas": 0.06}
DEFAULT_MISSING_RATE = 0.015
# Dani logs Citrus work on Acme Spring (Paula's project) in the week to review,
# and Paula rejects it.
REJECTED = {
    "person": "dani",
    "project": "acme_spring",
    "task": "Concepts",
    "hours": 2.0,
    "note": "Key visual for the summer launch",
}
REJECT_REASON = (
    "This looks like the Citrus launch, not Acme: please move it to the right project."
)


def workdays(first, last, weekdays):
    """The dates from first to last (inclusive) whose weekday is in weekdays."""
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            yield day
        day += timedelta(days=1)


def split_hours(total, parts, rng, step=0.25):
    """Split total hours into parts chunks that are multiples of step."""
    units = round(total / step)
    parts = max(1, min(parts, units))
    cuts = sorted(rng.sample(range(1, units), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, units]
    return [(b - a) * step for a, b in itertools.pairwise(bounds) if b > a]


def plan_timesheets(people, projects, first, last, days_off, seed=SEED):
    """Plan the demo agency's timesheet entries.

    :param people: {key: {"role": code, "weekdays": set, "share": float}}
    :param projects: {key: {"team": [person keys], "tasks": [(name, weight)]}}
    :param days_off: {person key: set of dates} (leave and public holidays)
    :return: list of dicts {person, project, task, date, hours, note, late}
        where project is None for internal (non-billable) time.
    """
    rng = random.Random(seed)
    assignments = {key: [] for key in people}
    for project_key, project in projects.items():
        for person in project["team"]:
            assignments[person].append(project_key)
    entries = []
    for person, info in sorted(people.items()):
        missing = MISSING_RATE.get(person, DEFAULT_MISSING_RATE)
        for day in workdays(first, last, info["weekdays"]):
            if day in days_off.get(person, ()):
                continue
            if rng.random() < missing:
                continue  # a day nobody logged
            if person == OVER_CAPACITY:
                hours = rng.choice([10.0, 10.5, 11.0, 11.5])
            else:
                hours = rng.choice([7.5, 7.75, 8.0, 8.0, 8.0, 8.25, 8.5])
            client_hours = round(hours * info["share"] / 0.25) * 0.25
            late = person == LATE_LOGGER and rng.random() < 0.5
            mine = assignments[person]
            if mine and client_hours:
                chunks = split_hours(client_hours, rng.choice([1, 2, 2, 3]), rng)
                for chunk in chunks:
                    project_key = rng.choice(mine)
                    tasks = projects[project_key]["tasks"]
                    task = rng.choices(
                        [name for name, _w in tasks], [w for _n, w in tasks]
                    )[0]
                    entries.append(
                        {
                            "person": person,
                            "project": project_key,
                            "task": task,
                            "date": day,
                            "hours": chunk,
                            "note": rng.choice(NOTES[info["role"]]),
                            "late": late,
                        }
                    )
            else:
                client_hours = 0.0
            internal = hours - client_hours
            if internal > 0:
                entries.append(
                    {
                        "person": person,
                        "project": None,
                        "task": rng.choice(["Meeting", "Training"]),
                        "date": day,
                        "hours": internal,
                        "note": rng.choice(
                            ["Studio stand-up", "Team meeting", "Learning time"]
                        ),
                        "late": late,
                    }
                )
    return entries


def plan_rejected_entry(entries, person, project, day, task, hours, note):
    """Make sure the planned entries hold one of `person` on `project` on `day`
    (the entry a producer rejects), and return its index.

    Their first entry on a client project that day moves to `project` with
    `note` (its hours and task stay); on a day they logged nothing for clients,
    an entry of `hours` on `task` is added.
    """
    for index, entry in enumerate(entries):
        if entry["person"] == person and entry["date"] == day and entry["project"]:
            entry.update(project=project, note=note)
            return index
    entries.append(
        {
            "person": person,
            "project": project,
            "task": task,
            "date": day,
            "hours": hours,
            "note": note,
            "late": False,
        }
    )
    return len(entries) - 1


class AgencyDemo(models.AbstractModel):
    _name = "agency.demo"
    _description = "Agency demo data generator"

    @api.model
    def _demo_ref(self, name):
        return self.env.ref(f"{DEMO_MODULE}.{name}", raise_if_not_found=False)

    @api.model
    def _demo_register(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"{DEMO_MODULE}.{name}", "record": record, "noupdate": True}]
        )
        return record

    @api.model
    def _demo_plan(self, today=None):
        """Every date of the demo (demo/plan.py), planned from `today`; by
        default from the day the demo agency was built, or the real today
        before it is."""
        if not today:
            today = self.env["ir.config_parameter"].sudo().get_param(TODAY_PARAM)
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        company = self.env.ref("base.main_company")
        return demo_plan(today, int(company.agency_week_start or 0))

    @api.model
    def _generate_timesheet_demo(self, today=None):
        """Build the demo agency once (a second call does nothing), its dates
        planned from `today` (a date; the real today by default)."""
        if self._demo_ref("employee_paula"):
            return
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        self.env["ir.config_parameter"].sudo().set_param(
            TODAY_PARAM, fields.Date.to_string(today)
        )
        plan = self._demo_plan(today)
        company = self.env.ref("base.main_company")
        demo = self.with_company(company).with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        roles = demo._demo_roles()
        calendars = demo._demo_calendars(company)
        employees = demo._demo_people(company, roles, calendars)
        days_off = demo._demo_leaves(company, employees, calendars, plan)
        projects = demo._demo_projects(company, employees)
        demo._demo_timesheets(company, employees, projects, days_off, plan)
        demo._demo_timers(projects, plan)
        demo._demo_review(plan)

    @api.model
    def _demo_roles(self):
        roles = {}
        for sequence, (code, name, _share) in enumerate(ROLES, start=1):
            roles[code] = self._demo_register(
                f"role_{code.lower()}",
                self.env["agency.role"].create(
                    {"name": name, "code": code, "sequence": sequence * 10}
                ),
            )
        return roles

    @api.model
    def _demo_calendars(self, company):
        calendars = {"full": company.resource_calendar_id}
        for key, (name, _short, weekdays) in CALENDARS.items():
            if key == "full":
                continue
            attendances = []
            for weekday in weekdays:
                for period, start, end in (("morning", 9, 13), ("afternoon", 14, 18)):
                    attendances.append(
                        (
                            0,
                            0,
                            {
                                "name": f"{period} {weekday}",
                                "dayofweek": str(weekday),
                                "hour_from": start,
                                "hour_to": end,
                                "day_period": period,
                            },
                        )
                    )
            calendars[key] = self._demo_register(
                f"calendar_{key}",
                self.env["resource.calendar"].create(
                    {
                        "name": name,
                        "company_id": company.id,
                        "hours_per_day": HOURS_PER_DAY,
                        "attendance_ids": [(5, 0, 0), *attendances],
                    }
                ),
            )
        return calendars

    @api.model
    def _demo_people(self, company, roles, calendars):
        group = {
            "paula": "agency_timesheet.group_agency_producer",
            "pedro": "agency_timesheet.group_agency_producer",
            "priya": "agency_timesheet.group_agency_producer",
            "bruno": "agency_timesheet.group_agency_billing",
            "dani": "agency_timesheet.group_agency_user",
        }
        employees = {}
        for key, name, role, calendar, tz, cost, login in PEOPLE:
            user = self.env["res.users"]
            if login:
                user = self._demo_register(
                    f"user_{key}",
                    self.env["res.users"]
                    .with_context(no_reset_password=True)
                    .create(
                        {
                            "name": name,
                            "login": login,
                            "password": login,
                            "email": f"{login}@studio.example.com",
                            "tz": tz,
                            "company_id": company.id,
                            "company_ids": [(6, 0, company.ids)],
                            "groups_id": [
                                (6, 0, [self.env.ref("base.group_user").id]),
                                (4, self.env.ref(group[key]).id),
                            ],
                        }
                    ),
                )
            employees[key] = self._demo_register(
                f"employee_{key}",
                self.env["hr.employee"].create(
                    {
                        "name": name,
                        "company_id": company.id,
                        "role_id": roles[role].id,
                        "job_title": roles[role].name,
                        "resource_calendar_id": calendars[calendar].id,
                        "tz": tz,
                        "hourly_cost": cost,
                        "user_id": user.id,
                        "work_email": f"{key}@studio.example.com",
                    }
                ),
            )
        return employees

    @api.model
    def _demo_leaves(self, company, employees, calendars, plan):
        """A studio day off five weeks ago, and a week of leave for three
        people, each a whole day where they live (daylight saving included).

        :return: {person key: set of dates off}
        """
        holiday = plan.studio_day_off
        leaves = []
        for calendar in set(calendars.values()):
            date_from, date_to = local_day_bounds(holiday, holiday, calendar.tz)
            leaves.append(
                {
                    "name": "Studio day off",
                    "calendar_id": calendar.id,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        for key, (first, last) in plan.leaves.items():
            employee = employees[key]
            date_from, date_to = local_day_bounds(first, last, employee.tz)
            leaves.append(
                {
                    "name": f"Holiday: {employee.name}",
                    "calendar_id": employee.resource_calendar_id.id,
                    "resource_id": employee.resource_id.id,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        self.env["resource.calendar.leaves"].create(leaves)
        return {key: plan.days_off(key) for key in employees}

    @api.model
    def _demo_projects(self, company, employees):
        tags = {
            kind: self._demo_register(
                f"tag_{kind}", self.env["project.tags"].create({"name": label})
            )
            for kind, label in KINDS.items()
        }
        clients = {}
        for key, name, city in CLIENTS:
            clients[key] = self._demo_register(
                f"client_{key}",
                self.env["res.partner"].create(
                    {
                        "name": name,
                        "is_company": True,
                        "city": city,
                        "email": f"studio@{key}.example.com",
                    }
                ),
            )
        projects = {}
        for key, name, client, kind, producer, _team in PROJECTS:
            projects[key] = self._demo_register(
                f"project_{key}",
                self.env["project.project"].create(
                    {
                        "name": name,
                        "partner_id": clients[client].id,
                        "user_id": employees[producer].user_id.id,
                        "company_id": company.id,
                        "allow_timesheets": True,
                        "privacy_visibility": "employees",
                        "tag_ids": [(6, 0, tags[kind].ids)],
                        "task_ids": [
                            (0, 0, {"name": task, "sequence": sequence})
                            for sequence, (task, _weight) in enumerate(TASKS)
                        ],
                    }
                ),
            )
            for task in projects[key].task_ids:
                slug = "".join(c if c.isalnum() else "_" for c in task.name.lower())
                self._demo_register(f"task_{key}_{slug}", task)
        return projects

    @api.model
    def _demo_review(self, plan):
        """The approval conveyor in motion: everything before the week to
        review approved, and locked up to the lock date; the week to review
        submitted by most people, waiting for approval, Dani's entry of the
        wrong project rejected with its reason; consistency streaks."""
        company = self.env.ref("base.main_company")
        Line = self.env["account.analytic.line"]
        agency = [("role_id", "!=", False), ("project_id", "!=", False)]
        old = Line.search([*agency, ("date", "<=", plan.approved_until)])
        old._agency_set_state("submitted", {})
        old._agency_set_state("approved", {"approved_on": fields.Datetime.now()})
        first, last = plan.review_week
        week = Line.search(
            [
                *agency,
                ("date", ">=", first),
                ("date", "<=", last),
                ("employee_id", "!=", self._demo_ref(f"employee_{LATE_LOGGER}").id),
            ]
        )
        week.action_submit()
        paula = self._demo_ref("user_paula")
        self._demo_ref("entry_dani_rejected").with_user(paula).action_reject(
            REJECT_REASON
        )
        company.agency_timesheet_lock_date = plan.lock_date
        self.env["agency.consistency"].with_company(company).action_refresh()

    @api.model
    def _demo_timers(self, projects, plan):
        """Two timers running now, and one forgotten since the morning of the
        last working day (the forgotten-timer check stops it and tells its
        owner)."""
        now = fields.Datetime.now()
        forgotten, morning = FORGOTTEN_TIMER
        Timer = self.env["agency.timer"]
        specs = [
            ("dani", "acme_spring", "Concepts", "Hero"),
            ("paula", "bright_brand", "Client meetings", "Weekly status call"),
            (forgotten, "acme_web", "Production", "QA pass on the product pages"),
        ]
        for user_key, project_key, task_name, note in specs:
            user = self._demo_ref(f"user_{user_key}")
            if user_key in plan.running_timers:
                started = now - plan.running_timers[user_key]
            else:
                started = local_to_utc(
                    plan.forgotten_timer_day,
                    morning,
                    self._demo_ref(f"employee_{user_key}").tz,
                )
            project = projects[project_key]
            task = project.task_ids.filtered(lambda t, name=task_name: t.name == name)
            timer = self._demo_register(
                f"timer_{user_key}",
                Timer.create(
                    {
                        "user_id": user.id,
                        "project_id": project.id,
                        "task_id": task[:1].id,
                        "note": note,
                        "state": "running",
                        "started_at": started,
                        "run_started_at": started,
                    }
                ),
            )
            end = timer._workday_end() if user_key in plan.running_timers else None
            if end and started < end <= now:
                # Started before the end of a working day that is over: the
                # forgotten-timer check would stop it. It started after hours.
                later = end + (now - end) / 2
                timer.write({"started_at": later, "run_started_at": later})

    @api.model
    def _demo_timesheets(self, company, employees, projects, days_off, plan):
        first, last = plan.history
        share = {code: s for code, _name, s in ROLES}
        people = {
            key: {
                "role": role,
                "weekdays": set(CALENDARS[calendar][2]),
                "share": share[role],
            }
            for key, _name, role, calendar, _tz, _cost, _login in PEOPLE
        }
        plan_projects = {
            key: {"team": team, "tasks": TASKS}
            for key, _n, _c, _k, _p, team in PROJECTS
        }
        entries = plan_timesheets(people, plan_projects, first, last, days_off)
        rejected = plan_rejected_entry(
            entries,
            REJECTED["person"],
            REJECTED["project"],
            plan.rejected_day,
            REJECTED["task"],
            REJECTED["hours"],
            REJECTED["note"],
        )

        internal = company.internal_project_id
        task_ids = {
            (key, task.name): task.id
            for key, project in projects.items()
            for task in project.task_ids
        }
        internal_tasks = {task.name: task.id for task in internal.task_ids}
        vals_list = []
        for entry in entries:
            project = projects[entry["project"]] if entry["project"] else internal
            task_id = (
                task_ids[(entry["project"], entry["task"])]
                if entry["project"]
                else internal_tasks.get(entry["task"], False)
            )
            vals_list.append(
                {
                    "employee_id": employees[entry["person"]].id,
                    "project_id": project.id,
                    "task_id": task_id,
                    "date": entry["date"],
                    "unit_amount": entry["hours"],
                    "name": entry["note"],
                }
            )
        lines = self.env["account.analytic.line"].create(vals_list)
        self._demo_register("entry_dani_rejected", lines[rejected])
        # Entries are written at the end of their day where their author lives
        # (17:40 local time, daylight saving included), except by the late
        # logger, three days later.
        late_ids = [
            line.id for line, entry in zip(lines, entries, strict=True) if entry["late"]
        ]
        self.env.flush_all()
        for ids, delay in (
            (list(set(lines.ids) - set(late_ids)), "17 hours 40 minutes"),
            (late_ids, "3 days 17 hours"),
        ):
            if not ids:
                continue
            self.env.cr.execute(
                SQL(
                    """UPDATE account_analytic_line line
                          SET create_date = (line.date + %s::interval)
                              AT TIME ZONE COALESCE(resource.tz, 'UTC')
                              AT TIME ZONE 'UTC'
                         FROM hr_employee employee
                         JOIN resource_resource resource
                           ON resource.id = employee.resource_id
                        WHERE employee.id = line.employee_id
                          AND line.id = ANY(%s)""",
                    delay,
                    ids,
                )
            )
        lines.invalidate_recordset(["create_date"])
        return lines

    # -- suggestions -----------------------------------------------------------

    @api.model
    def _generate_suggestion_demo(self, today=None):
        """A day of suggestions for Dani, so that her Suggestions screen is real.

        She opts in; on the last working day she had three meetings (one linked
        to an Acme Spring task, one with a Citrus client, one internal) and
        declined a fourth, and she wrote on a Citrus task; her teammates logged
        their day as usual. Her suggestions are generated as her.
        """
        dani = self._demo_ref("user_dani")
        if not dani or self._demo_ref("calendar_event_dani_status"):
            return
        company = self.env.ref("base.main_company")
        demo = self.with_company(company).with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            dont_notify=True,
        )
        day = demo._demo_plan(today).last_workday
        employee = demo._demo_ref("employee_dani")
        logged = set(
            self.env["account.analytic.line"]
            .search([("employee_id", "=", employee.id), ("date", "=", day)])
            .task_id.ids
        )

        def free_task(project_key, preferred):
            """A task of the project Dani logged nothing on that day."""
            tasks = demo._demo_ref(f"project_{project_key}").task_ids
            free = tasks.filtered(lambda t: t.id not in logged)
            return free.filtered(lambda t: t.name == preferred)[:1] or free[:1]

        dani.agency_suggestions_enabled = True
        demo._demo_suggestion_events(
            dani, day, free_task("acme_spring", "Client meetings")
        )
        task = free_task("citrus_launch", "Concepts")
        if task:
            tz = pytz.timezone(dani.tz or "UTC")
            posted_at = tz.localize(datetime.combine(day, time(16, 30)))
            message = task.message_post(
                body=self.env._(
                    "Shared the second round of concepts with Yuki for review."
                ),
                author_id=dani.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            message.date = posted_at.astimezone(pytz.utc).replace(tzinfo=None)
        self.env["agency.suggestion"].with_user(dani).with_company(company)._generate(
            day
        )

    @api.model
    def _demo_suggestion_events(self, dani, day, acme_task):
        """Dani's meetings of the day: (key, name, from, to, organizer, people,
        client contact, linked record, Dani's answer)."""
        tz = pytz.timezone(dani.tz or "UTC")
        people = {
            key: self._demo_ref(f"user_{key}") or self._demo_ref(f"employee_{key}")
            for key in ("paula", "priya", "anna", "yuki", "lea", "omar")
        }
        acme = self._demo_ref("client_acme")
        citrus_contact = self._demo_register(
            "partner_citrus_marta",
            self.env["res.partner"].create(
                {
                    "name": "Marta Vidal",
                    "parent_id": self._demo_ref("client_citrus").id,
                    "email": "marta@citrus.example.com",
                    "function": "Brand Manager",
                }
            ),
        )
        foxglove = self._demo_ref("client_foxglove")
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
        events = self.env["calendar.event"]
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
                "start": self._demo_utc(tz, day, start),
                "stop": self._demo_utc(tz, day, stop),
                "user_id": organizer_user.id,
                "partner_ids": [(6, 0, partners.ids)],
                "privacy": "public",
            }
            if linked:
                vals.update(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("project.task"),
                        "res_id": linked.id,
                    }
                )
            event = self._demo_register(
                f"calendar_event_dani_{key}",
                self.env["calendar.event"].create(vals),
            )
            event.attendee_ids.filtered(
                lambda a: a.partner_id == dani.partner_id
            ).state = answer
            events |= event
        return events

    @api.model
    def _demo_utc(self, tz, day, hour_minute):
        local = tz.localize(datetime.combine(day, time(*hour_minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
