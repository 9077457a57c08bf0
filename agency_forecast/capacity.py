"""Capacity of a person and the spread of a booking: plain values, no database.

The one definition of a person's capacity (ARCHITECTURE.md, "One definition
of each fact"): the hours of their working calendar on a day (part-time
calendars and two-week calendars included, lunch breaks excluded), minus the
hours of that day covered by public holidays and leave, and nothing before
their start date or after their departure date (both days worked).

``agency.capacity`` (models/agency_capacity.py) reads the calendars, leaves
and employment dates of many people in a fixed number of queries and hands
them here as :class:`Person` values; everything below is arithmetic on them.
Times are the person's local wall-clock times (naive datetimes).

A booking is spread over days (:func:`spread`): *hours per week* follow the
person's capacity inside each week (a partial week gets its share), a *share*
is that share of each day's capacity, a *total* (a task's allocated hours up to
its deadline) follows capacity over the whole range.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MODES = [
    ("week", "Hours per Week"),
    ("share", "Share of Capacity"),
    ("total", "Hours in Total"),
]
WEEKDAYS = range(5)  # when nothing else says which days are worked: Monday–Friday


@dataclass(frozen=True)
class Person:
    """What capacity reads of one person.

    attendances: (weekday 0 = Monday, hour from, hour to, week type or None)
    rows of their calendar (week type "0"/"1" on two-week calendars); leaves:
    (start, end) local naive datetimes; start / end: employment dates
    (None: open)."""

    key: object
    attendances: tuple = ()
    leaves: tuple = ()
    start: date = None
    end: date = None
    two_weeks: bool = False


def week_type(day):
    """Stock resource's week parity for two-week calendars ("0" or "1")."""
    return str(int(math.floor((day.toordinal() - 1) / 7) % 2))


def monday(day):
    return day - timedelta(days=day.weekday())


def days(first, last):
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _overlap(start, end, leaves):
    """Hours of [start, end) covered by the (merged) `leaves`."""
    covered = 0.0
    for leave_start, leave_end in leaves:
        low, high = max(start, leave_start), min(end, leave_end)
        if high > low:
            covered += (high - low).total_seconds() / 3600.0
    return covered


def _merged(leaves):
    merged = []
    for start, end in sorted(leaves):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _at(day, hour):
    hour = min(max(hour, 0.0), 24.0)
    return datetime.combine(day, time()) + timedelta(hours=hour)


def day_capacity(person, day, leaves=None):
    """Hours `person` can work on `day` (0 outside their employment dates)."""
    if (person.start and day < person.start) or (person.end and day > person.end):
        return 0.0
    parity = week_type(day) if person.two_weeks else None
    hours = 0.0
    leaves = _merged(person.leaves) if leaves is None else leaves
    for weekday, hour_from, hour_to, kind in person.attendances:
        if weekday != day.weekday() or hour_to <= hour_from:
            continue
        if parity is not None and kind not in (None, False, parity):
            continue
        start, end = _at(day, hour_from), _at(day, hour_to)
        hours += (end - start).total_seconds() / 3600.0 - _overlap(start, end, leaves)
    return round(max(hours, 0.0), 4)


def capacity(people, first, last):
    """{person key: {day: hours}} for every day from `first` to `last`.

    A day without leave takes its weekday's hours (worked out once per
    weekday and week type); only the days a leave touches are worked out
    interval by interval."""
    every_day = days(first, last)
    result = {}
    for person in people:
        leaves = [
            leave
            for leave in _merged(person.leaves)
            if leave[1] > _at(first, 0) and leave[0] < _at(last, 24)
        ]
        touched = set()
        for start, end in leaves:
            touched.update(days(start.date(), (end - timedelta(microseconds=1)).date()))
        plain = {}
        by_day = {}
        for day in every_day:
            if day in touched:
                by_day[day] = day_capacity(person, day, leaves)
                continue
            if (person.start and day < person.start) or (
                person.end and day > person.end
            ):
                by_day[day] = 0.0
                continue
            parity = week_type(day) if person.two_weeks else None
            key = (day.weekday(), parity)
            if key not in plain:
                plain[key] = day_capacity(person, day, ())
            by_day[day] = plain[key]
        result[person.key] = by_day
    return result


def week_sums(by_day):
    """{monday: sum} of a {day: value} mapping."""
    sums = defaultdict(float)
    for day, value in by_day.items():
        sums[monday(day)] += value
    return dict(sums)


def spread(mode, first, last, amount, capacity_by_day, memo=None):
    """{day: booked hours} of a booking from `first` to `last`.

    mode "week": `amount` hours a week, laid on the week's days in proportion to
    their capacity (a week cut by the range gets the share of the week's
    capacity that falls inside it); "share": `amount` % of each day's capacity;
    "total": `amount` hours over the range in proportion to capacity.
    `capacity_by_day` covers at least the whole weeks of the range; where the
    capacity is nil (a placeholder's week of holidays), weekdays count equally.
    `memo` (a dict kept by the caller across the bookings of the same people)
    keeps each week's weights once worked out.
    """
    if last < first or amount <= 0:
        return {}
    in_range = days(first, last)
    if mode == "share":
        return {
            day: round(capacity_by_day.get(day, 0.0) * amount / 100.0, 4)
            for day in in_range
        }
    if mode == "total":
        return _proportional(amount, in_range, capacity_by_day)
    booked = {}
    weeks = defaultdict(list)
    for day in in_range:
        weeks[monday(day)].append(day)
    memo = {} if memo is None else memo
    for week_start, inside in weeks.items():
        known = memo.get((id(capacity_by_day), week_start))
        if known is None:
            whole = days(week_start, week_start + timedelta(days=6))
            weights = _weights(whole, capacity_by_day)
            known = memo[(id(capacity_by_day), week_start)] = (
                weights,
                sum(weights.values()),
            )
        weights, total = known
        for day in inside:
            booked[day] = round(amount * weights[day] / total, 4) if total else 0.0
    return booked


def _weights(in_days, capacity_by_day):
    weights = {day: capacity_by_day.get(day, 0.0) for day in in_days}
    if not any(weights.values()):
        weights = {day: float(day.weekday() in WEEKDAYS) for day in in_days}
    return weights


def _proportional(amount, in_days, capacity_by_day):
    weights = _weights(in_days, capacity_by_day)
    total = sum(weights.values())
    if not total:  # a weekend-only range without capacity: its first day
        return {in_days[0]: round(amount, 4)}
    return {day: round(amount * weight / total, 4) for day, weight in weights.items()}


def utilization(hours, capacity_hours):
    """Hours as a % of capacity (None without capacity: nothing to compare)."""
    if not capacity_hours:
        return None
    return round(100.0 * hours / capacity_hours, 1)


def band(percent, low, high):
    """Where a utilization % sits against a target band [low, high]:
    "none" (no capacity), "under", "on", "over" (above the band, up to 100 %),
    "overbooked" (above 100 %)."""
    if percent is None:
        return "none"
    if percent > 100.0:
        return "overbooked"
    if percent > high:
        return "over"
    if percent >= low:
        return "on"
    return "under"
