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
person's capacity inside each of the company's weeks (starting on its first
day of the week, as the heatmap's columns; a partial week gets its share), a *share*
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
SIX_DAYS = timedelta(days=6)
ONE_WEEK = timedelta(days=7)
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


def week_first(day, week_start=0):
    """The first day of the week containing `day`, weeks starting on
    `week_start` (0 = Monday … 6 = Sunday), as agency_timesheet's
    ``tools.week_bounds``."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


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

    A day without leave takes its weekday's hours: the window's days are
    worked out once per working calendar (attendances and week types), and
    each person's copy corrected only on the days a leave touches (interval
    by interval) and outside their employment dates."""
    every_day = days(first, last)
    plain = {}  # (attendances, two weeks) -> {day: hours} of the window
    result = {}
    for person in people:
        calendar = (person.attendances, person.two_weeks)
        if calendar not in plain:
            plain[calendar] = _plain_days(person, every_day)
        by_day = dict(plain[calendar])
        leaves = [
            leave
            for leave in _merged(person.leaves)
            if leave[1] > _at(first, 0) and leave[0] < _at(last, 24)
        ]
        for start, end in leaves:
            for day in days(start.date(), (end - timedelta(microseconds=1)).date()):
                if first <= day <= last:
                    by_day[day] = day_capacity(person, day, leaves)
        if person.start and person.start > first:
            for day in days(first, min(last, person.start - timedelta(days=1))):
                by_day[day] = 0.0
        if person.end and person.end < last:
            for day in days(max(first, person.end + timedelta(days=1)), last):
                by_day[day] = 0.0
        result[person.key] = by_day
    return result


def _plain_days(person, every_day):
    """{day: hours} of `person`'s calendar on `every_day`, without leave nor
    employment dates (each weekday and week type worked out once)."""
    calendar = Person(None, person.attendances, two_weeks=person.two_weeks)
    by_key = {}
    by_day = {}
    for day in every_day:
        key = (day.weekday(), week_type(day) if person.two_weeks else None)
        if key not in by_key:
            by_key[key] = day_capacity(calendar, day, ())
        by_day[day] = by_key[key]
    return by_day


def week_sums(by_day, week_start=0):
    """{first day of the week: sum} of a {day: value} mapping (weeks starting
    on `week_start`, 0 = Monday)."""
    sums = defaultdict(float)
    for day, value in by_day.items():
        sums[week_first(day, week_start)] += value
    return dict(sums)


def spread(mode, first, last, amount, capacity_by_day, memo=None, week_start=0):
    """{day: booked hours} of a booking from `first` to `last`.

    mode "week": `amount` hours a week (weeks starting on `week_start`,
    0 = Monday, the company's), laid on the week's days in proportion to
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
    if mode == "share":
        return {
            day: round(capacity_by_day.get(day, 0.0) * amount / 100.0, 4)
            for day in days(first, last)
        }
    if mode == "total":
        return _proportional(amount, days(first, last), capacity_by_day)
    # hours per week: week by week; a day's hours depend on its week, the
    # capacity and the amount only (a cut week's days keep their share of the
    # whole week), so each week's seven values are worked out once per amount
    booked = {}
    memo = {} if memo is None else memo
    first_day = week_first(first, week_start)
    while first_day <= last:
        key = ("days", id(capacity_by_day), first_day, amount)
        values = memo.get(key)
        if values is None:
            values = memo[key] = _week_values(first_day, amount, capacity_by_day, memo)
        low = (first - first_day).days if first > first_day else 0
        high = (last - first_day).days + 1 if last < first_day + SIX_DAYS else 7
        booked.update(values[low:high])
        first_day += ONE_WEEK
    return booked


def _week_values(first_day, amount, capacity_by_day, memo):
    """[(day, booked hours)] of the seven days of the week from `first_day`
    for `amount` hours that week, in proportion to capacity (:func:`spread`);
    the week's weights kept in `memo` for the other amounts."""
    known = memo.get((id(capacity_by_day), first_day))
    if known is None:
        whole = days(first_day, first_day + SIX_DAYS)
        weights = _weights(whole, capacity_by_day)
        known = memo[(id(capacity_by_day), first_day)] = (
            weights,
            sum(weights.values()),
        )
    weights, total = known
    return [
        (day, round(amount * weight / total, 4) if weight and total else 0.0)
        for day, weight in weights.items()
    ]


def week_spread(mode, first, last, amount, capacity_by_day, memo=None):
    """{monday: booked hours} of a booking from `first` to `last`: the sums by
    week of :func:`spread` (the same rounded day values, added in the same
    order), each week's (or part of a week's) sum worked out once per person,
    week, days and amount (`memo`, as for :func:`spread`): bookings of the
    same hours on the same weeks share it."""
    if last < first or amount <= 0:
        return {}
    if mode != "week":
        sums = defaultdict(float)
        for day, hours in spread(
            mode, first, last, amount, capacity_by_day, memo
        ).items():
            if hours:
                sums[monday(day)] += hours
        return dict(sums)
    memo = {} if memo is None else memo
    result = {}
    week = monday(first)
    while week <= last:
        week_last = week + timedelta(days=6)
        low, high = max(first, week), min(last, week_last)
        key = ("week", id(capacity_by_day), week, amount, low, high)
        found = memo.get(key)
        if found is None:
            booked = spread("week", low, high, amount, capacity_by_day, memo)
            found = 0.0
            for day in days(low, high):
                if booked[day]:
                    found += booked[day]
            memo[key] = found
        if found:
            result[week] = found
        week += timedelta(days=7)
    return result


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


def cell_kind(load, capacity_hours, low, high, period="past", placeholder=False):
    """The colour of a heatmap cell (the screen's and the spreadsheet's):
    "placeholder" (unfilled demand), "none" (no capacity, nothing booked),
    "overbooked" (load without capacity, or above 100 %), "empty" (nothing
    logged or booked: neutral, never the on-target colour of a band that
    starts at 0 %, nor "under" for a week still to come), else the band of
    :func:`band`. `period` is the column's: "past", "current" or "future"."""
    if placeholder:
        return "placeholder"
    if not capacity_hours:
        return "overbooked" if load > 0 else "none"
    if load <= 0:
        return "under" if period == "past" and low > 0 else "empty"
    return band(utilization(load, capacity_hours), low, high)
