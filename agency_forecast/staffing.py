"""The staffing signals of the early warnings (``agency.warning``, rules in
warning_rules.py): read from the heatmap's grid (heatmap.py: capacity, time
logged, bookings) as of one `today`, in the same fixed number of queries.

- over-booked: a person's confirmed bookings beyond their capacity in one of
  the next COMING_WEEKS weeks;
- burnout risk: a person's logged time above their role's band for the last
  BURNOUT_WEEKS weeks in a row;
- role under target: a role under its band for UNDERUSED_WEEKS weeks in a
  row (the last ones logged, or the coming ones booked);
- demand beyond supply: a role's confirmed and placeholder bookings beyond
  its capacity in the next SUPPLY_WEEKS weeks, as FTE to find.

Owners: the company's resourcing owner (Settings › Agency › Capacity), else
for a person the producer of the project they are booked on most; the
warning names that project, so its producer reads it too. Producers read all
staffing warnings (hours only).
"""

import json
from collections import defaultdict
from datetime import timedelta

from odoo.tools import format_date

from . import capacity as cap
from . import heatmap
from . import warning_rules as rules


def find(warnings, today, employees, roles, subjects):
    """{key: values} of the staffing warnings that stand for `employees` (and
    for every role when `roles`); adds the keys evaluated to `subjects`."""
    env = warnings.env
    if not employees and not roles:
        return {}
    this_monday = cap.monday(today)
    past = max(rules.BURNOUT_WEEKS, rules.UNDERUSED_WEEKS)
    first = this_monday - timedelta(weeks=past)
    data = heatmap.heatmap_data(
        env, first, past + 1 + rules.SUPPLY_WEEKS, {}, today, whole=True
    )

    def week(offset):
        return f"w{this_monday + timedelta(weeks=offset)}"

    week_hours = data["week_hours"]
    found = {}
    wanted = set(employees.ids)
    projects = _booked_projects(env, employees, this_monday)
    Employee = env["hr.employee"].sudo()
    for role in data["roles"]:
        for person in role["people"]:
            if person["id"] not in wanted:
                continue
            employee = Employee.browse(person["id"])
            company = employee.company_id or env.company
            owner = company.agency_resourcing_user_id
            figures = person["figures"]
            project = projects.get(employee.id, env["project.project"])
            base = {
                "company_id": company.id,
                "employee_id": employee.id,
                "project_id": project.id,
                "owner_id": (
                    owner or project.user_id or employee.agency_approver_id
                ).id,
            }
            key = f"overbooked:employee:{employee.id}"
            subjects.add(key)
            coming = [
                (
                    n,
                    figures["booked"].get(week(n), 0.0),
                    figures["capacity"].get(week(n), 0.0),
                )
                for n in range(1, rules.COMING_WEEKS + 1)
            ]
            finding = rules.overbooked(coming)
            if finding:
                monday = this_monday + timedelta(weeks=finding.extra)
                booked, capacity = coming[finding.extra - 1][1:]
                found[key] = {
                    **base,
                    "rule": "overbooked",
                    "name": env._("Over-booked: %(who)s", who=employee.name),
                    "severity": finding.severity,
                    "measure": finding.measure,
                    "limit": finding.limit,
                    "exhausted_on": monday,
                    "message": env._(
                        "%(who)s is booked %(pct)s %% of their capacity in the week "
                        "of %(week)s (%(booked)s h for %(capacity)s h): move or "
                        "share some of the work.",
                        who=employee.name,
                        pct=finding.measure,
                        week=format_date(env, monday),
                        booked=round(booked, 1),
                        capacity=round(capacity, 1),
                    ),
                    "line_domain": json.dumps([("id", "=", 0)]),
                    "line_count": 0,
                }
            key = f"burnout:employee:{employee.id}"
            subjects.add(key)
            last = [
                (
                    figures["logged"].get(week(-n), 0.0),
                    figures["capacity"].get(week(-n), 0.0),
                )
                for n in range(1, rules.BURNOUT_WEEKS + 1)
            ]
            finding = rules.burnout(last, role["high"])
            if finding:
                start = this_monday - timedelta(weeks=rules.BURNOUT_WEEKS)
                domain = [
                    *heatmap.LOGGED,
                    ("employee_id", "=", employee.id),
                    ("date", ">=", str(start)),
                    ("date", "<", str(this_monday)),
                ]
                found[key] = {
                    **base,
                    "rule": "burnout",
                    "name": env._("Burnout risk: %(who)s", who=employee.name),
                    "severity": finding.severity,
                    "measure": finding.measure,
                    "limit": finding.limit,
                    "message": env._(
                        "%(who)s logged above their role's target of %(high)s %% in "
                        "each of the last %(weeks)s weeks (at least %(pct)s %% of "
                        "capacity): talk about the load before it costs more.",
                        who=employee.name,
                        high=finding.limit,
                        weeks=rules.BURNOUT_WEEKS,
                        pct=finding.measure,
                    ),
                    "line_domain": json.dumps(domain),
                    "line_count": env["account.analytic.line"]
                    .sudo()
                    .search_count(domain),
                }
        if roles:
            found.update(
                _role_findings(env, role, week, this_monday, week_hours, subjects)
            )
    return found


def _role_findings(env, role, week, this_monday, week_hours, subjects):
    found = {}
    company = env.company
    figures = role["figures"]
    base = {
        "company_id": company.id,
        "owner_id": company.agency_resourcing_user_id.id,
        "line_domain": json.dumps([("id", "=", 0)]),
        "line_count": 0,
    }
    key = f"underused:role:{role['id']}:{company.id}"
    subjects.add(key)
    span = range(1, rules.UNDERUSED_WEEKS + 1)
    windows = (
        ("logged", [week(-n) for n in span], env._("logged, the last %s weeks")),
        ("booked", [week(n) for n in span], env._("booked, the next %s weeks")),
    )
    for figure, keys, how in windows:
        rows = [
            (figures[figure].get(k, 0.0), figures["capacity"].get(k, 0.0)) for k in keys
        ]
        finding = rules.underused(rows, role["low"])
        if finding:
            found[key] = {
                **base,
                "rule": "underused",
                "name": env._("Role under target: %(role)s", role=role["name"]),
                "severity": finding.severity,
                "measure": finding.measure,
                "limit": finding.limit,
                "message": env._(
                    "%(role)s: under its target band (%(low)s–%(high)s %%) for "
                    "%(weeks)s weeks, at most %(pct)s %% of capacity (%(how)s): "
                    "room for more work, or for lending people to other roles.",
                    role=role["name"],
                    low=role["low"],
                    high=role["high"],
                    weeks=rules.UNDERUSED_WEEKS,
                    pct=finding.measure,
                    how=how % rules.UNDERUSED_WEEKS,
                ),
            }
            break
    key = f"supply:role:{role['id']}:{company.id}"
    subjects.add(key)
    coming = [
        (n, figures["booked"].get(week(n), 0.0), figures["capacity"].get(week(n), 0.0))
        for n in range(1, rules.SUPPLY_WEEKS + 1)
    ]
    finding = rules.supply_gap(coming, week_hours)
    if finding:
        monday = this_monday + timedelta(weeks=finding.extra)
        found[key] = {
            **base,
            "rule": "supply",
            "name": env._(
                "%(role)s: %(fte)s FTE short from week %(week)s",
                role=role["name"],
                fte=finding.measure,
                week=finding.extra,
            ),
            "severity": finding.severity,
            "measure": finding.measure,
            "limit": finding.limit,
            "exhausted_on": monday,
            "message": env._(
                "%(role)s: confirmed and placeholder bookings exceed the role's "
                "capacity from the week of %(day)s (week %(week)s), by up to "
                "%(fte)s FTE in the next %(weeks)s weeks: hire, bring in a "
                "freelancer, or move the work.",
                role=role["name"],
                day=format_date(env, monday),
                week=finding.extra,
                fte=finding.measure,
                weeks=rules.SUPPLY_WEEKS,
            ),
        }
    return found


def _booked_projects(env, employees, monday):
    """{employee id: the project they are booked on most from `monday`}."""
    if not employees:
        return {}
    hours = defaultdict(lambda: defaultdict(float))
    Booking = env["agency.booking"].sudo()
    end = monday + timedelta(weeks=rules.SUPPLY_WEEKS)
    bookings = Booking.search(
        [
            ("employee_id", "in", employees.ids),
            ("date_to", ">=", monday),
            ("date_from", "<=", end),
            ("state", "=", "confirmed"),
        ]
    )
    for booking_id, spread in bookings._agency_spreads(monday, end).items():
        booking = Booking.browse(booking_id)
        hours[booking.employee_id.id][booking.project_id] += sum(spread.values())
    return {
        employee: max(projects, key=projects.get)
        for employee, projects in hours.items()
    }
