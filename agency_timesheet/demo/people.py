"""The demo agency's people and their calendars.

Builds ~25 people in 6 roles (Art Director, Designer, Copywriter, Developer,
Producer, Strategist), five of them with a login (Paula, Pedro and Priya,
producers; Bruno, Billing; Dani, a designer), in three time zones (Brussels,
Sydney, Los Angeles), on three working-time calendars (the company's 40 hours,
part-time 32 h Monday to Thursday, part-time 24 h Monday to Wednesday).

Their days off, from the plan (plan.py): the studio's day off
(``plan.studio_day_off``, five weeks before yesterday, on every calendar) and a
week of leave for Anna, Kai and Clara (``plan.leaves``), each a whole day where
the person lives (daylight saving included).
"""

from .common import register
from .plan import local_day_bounds

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

# The groups of the people with a login (everyone else has none).
GROUPS = {
    "paula": "agency_timesheet.group_agency_producer",
    "pedro": "agency_timesheet.group_agency_producer",
    "priya": "agency_timesheet.group_agency_producer",
    "bruno": "agency_timesheet.group_agency_billing",
    "dani": "agency_timesheet.group_agency_user",
}

# Working days (0 = Monday) and hours a day of each demo calendar.
CALENDARS = {
    "full": ("Standard 40 hours/week", None, range(5)),
    "part32": ("Part-time 32 hours (Mon–Thu)", "Part-time 32h", range(4)),
    "part24": ("Part-time 24 hours (Mon–Wed)", "Part-time 24h", range(3)),
}
HOURS_PER_DAY = 8.0


def build_roles(env):
    """The six roles: {code: agency.role}."""
    roles = {}
    for sequence, (code, name, _share) in enumerate(ROLES, start=1):
        roles[code] = register(
            env,
            f"role_{code.lower()}",
            env["agency.role"].create(
                {"name": name, "code": code, "sequence": sequence * 10}
            ),
        )
    return roles


def build_calendars(env, company):
    """The company's calendar and the two part-time ones: {key: calendar}."""
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
        calendars[key] = register(
            env,
            f"calendar_{key}",
            env["resource.calendar"].create(
                {
                    "name": name,
                    "company_id": company.id,
                    "hours_per_day": HOURS_PER_DAY,
                    "attendance_ids": [(5, 0, 0), *attendances],
                }
            ),
        )
    return calendars


def build_people(env, company, roles, calendars):
    """The employees (and the users of those with a login): {key: employee}."""
    employees = {}
    for key, name, role, calendar, tz, cost, login in PEOPLE:
        user = env["res.users"]
        if login:
            user = register(
                env,
                f"user_{key}",
                env["res.users"]
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
                            (6, 0, [env.ref("base.group_user").id]),
                            (4, env.ref(GROUPS[key]).id),
                        ],
                    }
                ),
            )
        employees[key] = register(
            env,
            f"employee_{key}",
            env["hr.employee"].create(
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


def build_leaves(env, company, employees, calendars, plan):
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
    env["resource.calendar.leaves"].create(leaves)
    return {key: plan.days_off(key) for key in employees}
