"""The adoption figures' rules: plain values in, plain values out (tested
without a database in tests/test_adoption.py). What they read is in
models/agency_adoption_week.py.

Consistency, never hours: each figure says whether a habit holds, not how much
anyone worked.

- a day is *complete by the next morning* when, by :data:`MORNING_HOUR` of the
  following day in the person's own time zone, the entries created for it add
  up to the company's reminder share of its expected hours;
- a week is *on time* when every entry of it was submitted by the company's
  deadline (the deadline weekday and hour of the following week, local time);
- the *approval time* of a person's week: from its last submission to its last
  approval, in hours; the figure is the median over the team's weeks;
- a reminder's day is *fixed* when it is complete now.
"""

from datetime import datetime, time, timedelta

MORNING_HOUR = 9


def morning_after(day):
    """The local wall-clock instant by which a day counts as complete."""
    return datetime.combine(day + timedelta(days=1), time(MORNING_HOUR))


def is_complete(logged, expected, share):
    """Whether `logged` hours cover `share` (0–1) of `expected` hours."""
    return bool(expected) and logged >= share * expected - 1e-6


def week_deadline(week_start, deadline_weekday, deadline_hour, week_start_day=0):
    """The local instant a week (starting on `week_start`) is due: the deadline
    weekday of the following week, at the deadline hour."""
    following = week_start + timedelta(days=7)
    offset = (deadline_weekday - week_start_day) % 7
    return datetime.combine(following + timedelta(days=offset), time(deadline_hour))


def is_on_time(submissions, deadline):
    """Whether a week's entries were all submitted by `deadline`.

    :param submissions: each entry's submission instant (local), None when
        never submitted
    """
    return bool(submissions) and all(
        when is not None and when <= deadline for when in submissions
    )


def median(values):
    """The median of numbers, None for none."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def share(part, whole):
    """part of whole in %, rounded to one decimal; None for an empty whole."""
    return round(100.0 * part / whole, 1) if whole else None
