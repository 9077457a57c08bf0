"""The demo agency's bookings for the next 12 weeks (from the plan's `today`,
agency_timesheet/demo/plan.py), with the stories the heatmap and the staffing
signals tell:

- everyone on their projects' teams is booked on each of them, confirmed for
  the first 8 weeks and tentative after; designers near the top of their band,
  everybody else near its middle;
- **over capacity**: Dani (the designer who already logs 10-11 h days) is
  booked at 120 % next week (an extra push on Acme Spring Campaign);
- **an underused role**: the strategists are booked about a third of their
  time;
- **a deadline that causes a crunch**: Evergreen Patient App's Production
  task is due at the end of week 3, its remaining allocated hours booked on
  Kai and Lars up to it;
- **a role short of supply**: two designer placeholders (nobody named yet) on
  Foxglove Lookbook from week 7: designers are short by more than one FTE
  from then on.

The studio logs close to full days, so the demo's target bands reach 100 %
(strategists from 60 %, producers from 0 %).
"""

from datetime import datetime, time, timedelta

from odoo.addons.agency_timesheet.demo.common import ref, register
from odoo.addons.agency_timesheet.demo.people import PEOPLE
from odoo.addons.agency_timesheet.demo.projects import PROJECTS

from ..capacity import monday

WEEKS = 12
CONFIRMED_WEEKS = 8
# share of a week's capacity booked, by role code (spread over the person's projects)
LOAD = {"DES": 0.9, "AD": 0.8, "CW": 0.8, "DEV": 0.75, "STR": 0.33}
WEEK_HOURS = {"full": 40.0, "part32": 32.0, "part24": 24.0}
OVER_CAPACITY = ("dani", "acme_spring", 12.0)  # extra hours next week: 120 %
CRUNCH = ("evergreen_app", "Production", ("kai", "lars"), 3, 120.0)
PLACEHOLDERS = (
    # project, role, hours a week, from week, state
    ("foxglove_lookbook", "DES", 40.0, 6, "confirmed"),
    ("foxglove_lookbook", "DES", 40.0, 6, "confirmed"),
)
# The demo studio logs close to full days: its target bands reach 100 %, so
# that only real overwork (Dani, Théo) reads as burnout risk.
BANDS = {"STR": (60.0, 100.0), "PRD": (0.0, 100.0)}
DEFAULT_BAND = (70.0, 100.0)


def build(env, plan):
    """The bookings (once)."""
    if ref(env, "booking_dani_push") or not ref(env, "employee_dani"):
        return
    Booking = env["agency.booking"]
    for role in env["agency.role"].search([]):
        low, high = BANDS.get(role.code, DEFAULT_BAND)
        role.write({"agency_target_low": low, "agency_target_high": high})
    start = monday(plan.today)
    end = start + timedelta(weeks=WEEKS) - timedelta(days=1)
    split = start + timedelta(weeks=CONFIRMED_WEEKS)
    people = {key: (role, calendar) for key, _n, role, calendar, *_rest in PEOPLE}
    projects_of = {}
    for key, _name, _client, _kind, _producer, team in PROJECTS:
        for person in team:
            projects_of.setdefault(person, []).append(key)
    values = []
    for person, projects in projects_of.items():
        role, calendar = people[person]
        if role not in LOAD:
            continue
        hours = round(LOAD[role] * WEEK_HOURS[calendar] / len(projects), 1)
        employee = ref(env, f"employee_{person}")
        for project in projects:
            for first, last, state in (
                (start, split - timedelta(days=1), "confirmed"),
                (split, end, "tentative"),
            ):
                values.append(
                    {
                        "employee_id": employee.id,
                        "project_id": ref(env, f"project_{project}").id,
                        "date_from": first,
                        "date_to": last,
                        "mode": "week",
                        "hours": hours,
                        "state": state,
                    }
                )
    Booking.create(values)
    person, project, hours = OVER_CAPACITY
    next_monday = start + timedelta(weeks=1)
    register(
        env,
        "booking_dani_push",
        Booking.create(
            {
                "employee_id": ref(env, f"employee_{person}").id,
                "project_id": ref(env, f"project_{project}").id,
                "date_from": next_monday,
                "date_to": next_monday + timedelta(days=6),
                "hours": hours,
                "note": "Launch push: extra concepts before the client review",
            }
        ),
    )
    _crunch(env, plan, start)
    for project, role, hours, week, state in PLACEHOLDERS:
        Booking.create(
            {
                "role_id": env["agency.role"].search([("code", "=", role)], limit=1).id,
                "project_id": ref(env, f"project_{project}").id,
                "date_from": start + timedelta(weeks=week),
                "date_to": end,
                "hours": hours,
                "state": state,
                "note": "Second shoot and retouching: freelance or a new hire",
            }
        )


def _crunch(env, plan, start):
    project_key, task_name, people, weeks, hours = CRUNCH
    project = ref(env, f"project_{project_key}")
    task = env["project.task"].search(
        [("project_id", "=", project.id), ("name", "=", task_name)], limit=1
    )
    if not task:
        return
    deadline = start + timedelta(weeks=weeks) - timedelta(days=3)  # a Friday
    task.write(
        {
            "date_deadline": datetime.combine(deadline, time(17, 0)),
            "allocated_hours": task.effective_hours + hours * len(people),
        }
    )
    Booking = env["agency.booking"]
    for person in people:
        values = Booking._agency_task_values(
            task, plan.today, employee=ref(env, f"employee_{person}")
        )
        values.update(hours=hours, state="confirmed")
        Booking.create(values)
