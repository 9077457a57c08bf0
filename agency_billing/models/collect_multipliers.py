"""Rate multipliers of the entries a billing run collects (the rules in words:
``multipliers``). ``sql_columns`` adds to the collect query only what the
engagements' rules need (public holidays, timers' start and stop); the people's
working hours are read through the ORM only for an "outside working hours"
rule."""

import pytz

from odoo.tools import SQL

from .multipliers import kinds_of, label, outside_hours, pick


def needs(engagements):
    """The kinds the engagements' multipliers use (a set)."""
    return set(engagements.multiplier_ids.mapped("kind"))


def sql_columns(kinds):
    """(columns, joins) for the collect query: holiday (a day off of the
    company or of the person's calendar), timer_start, timer_stop; NULLs when
    no rule needs them (the query stays as cheap as without multipliers)."""
    if "holiday" in kinds:
        # SQL: EXISTS per entry on the few company days off (one query).
        holiday = SQL(
            """EXISTS (
                SELECT 1 FROM resource_calendar_leaves leave
                 WHERE leave.resource_id IS NULL
                   AND (leave.company_id IS NULL
                        OR leave.company_id = line.company_id)
                   AND (leave.calendar_id IS NULL
                        OR leave.calendar_id = (SELECT e.resource_calendar_id
                                                  FROM hr_employee e
                                                 WHERE e.id = line.employee_id))
                   AND line.date BETWEEN leave.date_from::date
                                     AND leave.date_to::date) AS holiday"""
        )
    else:
        holiday = SQL("FALSE AS holiday")
    if "outside_hours" in kinds:
        timer = SQL("timer.started_at AS timer_start, timer.stopped_at AS timer_stop")
        join = SQL(
            """LEFT JOIN LATERAL (
                 SELECT t.started_at, t.stopped_at FROM agency_timer t
                  WHERE t.line_id = line.id ORDER BY t.id LIMIT 1) timer ON TRUE"""
        )
    else:
        timer = SQL("NULL::timestamp AS timer_start, NULL::timestamp AS timer_stop")
        join = SQL("")
    return SQL("%s, %s", holiday, timer), join


def _local_hours(moment, tz):
    """A UTC datetime as (local date, hours of the local day)."""
    local = pytz.utc.localize(moment).astimezone(tz)
    return local.date(), local.hour + local.minute / 60 + local.second / 3600


def _working_hours(env, employee_ids):
    """{employee: (tz, {weekday: [(from, to)]})} from their working calendar."""
    result = {}
    employees = env["hr.employee"].sudo().browse(employee_ids)
    for employee in employees:
        calendar = employee.resource_calendar_id
        days = {}
        for attendance in calendar.attendance_ids:
            if attendance.day_period == "lunch" or attendance.display_type:
                continue
            days.setdefault(int(attendance.dayofweek), []).append(
                (attendance.hour_from, attendance.hour_to)
            )
        tz = pytz.timezone(employee.tz or calendar.tz or "UTC")
        result[employee.id] = (tz, days)
    return result


def _outside(hours, row):
    start, stop = row.get("timer_start"), row.get("timer_stop")
    if not (start and stop and row["employee_id"] in hours):
        return False
    tz, days = hours[row["employee_id"]]
    start_day, start_hour = _local_hours(start, tz)
    stop_day, stop_hour = _local_hours(stop, tz)
    if start_day != stop_day:
        return True  # past midnight
    return outside_hours(start_hour, stop_hour, days.get(start_day.weekday(), []))


def multiply_rows(engagements, rows):
    """{entry id: (factor, label)} of the collect rows a multiplier applies to
    (the others are not in it)."""
    rules = {e.id: e.multiplier_ids._agency_plain() for e in engagements}
    if not any(rules.values()):
        return {}
    hours = {}
    if "outside_hours" in needs(engagements):
        hours = _working_hours(
            engagements.env, {r["employee_id"] for r in rows if r.get("timer_start")}
        )
    # a blended rate line may say that multipliers do not apply to it
    plain = set(
        engagements.env["agency.rate"]
        .sudo()
        .with_context(active_test=False)
        .search(
            [
                ("id", "in", list({r["rate_id"] for r in rows if r.get("rate_id")})),
                ("blended", "=", True),
                ("blended_multipliers", "=", False),
            ]
        )
        .ids
    )
    result = {}
    for row in rows:
        mine = rules.get(row["engagement_id"])
        if not mine or row.get("rate_id") in plain:
            continue
        kinds = kinds_of(
            row["date"],
            holiday=row.get("holiday"),
            outside=_outside(hours, row),
            rush=row.get("rush"),
        )
        rule = pick(mine, row["date"], kinds) if kinds else None
        if rule:
            result[row["id"]] = (rule.factor, label(rule))
    return result
