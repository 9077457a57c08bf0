"""Plain rules of the pre-billing checks (agency_billing_check.py), no ORM.

The checks and their severity, what "a long day" is, and the tests on one entry
(dated outside its engagement, locked but never billed, billed zero or less)
or on a run line (past its cap). The model reads the data and writes the
checks; these say what is flagged. Tests call them directly.
"""

from collections import defaultdict

CHECKS = [
    ("unapproved", "Time not approved"),
    ("no_rate", "No rate"),
    ("outside_dates", "Outside the engagement's dates"),
    ("locked_unbilled", "Locked but never billed"),
    ("archived_project", "Archived project"),
    ("duplicate", "Likely duplicates"),
    ("long_day", "Day over 12 h"),
    ("cap", "Cap exceeded"),
    ("zero_amount", "Zero or negative amount"),
    ("currency", "Currency differs from the client's"),
    ("held", "Held by another run"),
    ("expense_receipt", "Expense without a receipt"),
    ("expense_limit", "Expense above its category's limit"),
    ("expense_currency", "Expense in another currency"),
    ("phase_budget", "Phase budget exceeded"),
    ("phase_budget_warning", "Phase budget at 80 %"),
]
# The checks run in this order (each is a method _agency_check_<code>).
SEVERITY = {
    "unapproved": "warning",
    "no_rate": "blocking",
    "outside_dates": "blocking",
    "locked_unbilled": "warning",
    "archived_project": "warning",
    "duplicate": "warning",
    "long_day": "warning",
    "cap": "blocking",
    # a zero rate means "deliberately not charged" and rounding down to nothing
    # is the agreed policy: the owner sees them and acknowledges, or fixes
    "zero_amount": "warning",
    "currency": "warning",
    "held": "warning",
    "expense_receipt": "blocking",
    "expense_limit": "warning",
    "expense_currency": "warning",
    "phase_budget": "blocking",
    "phase_budget_warning": "warning",
}
LONG_DAY_HOURS = 12.0


def hours_text(value):
    """Hours as a message shows them: 7.5, 8, 0.25 (at most two decimals)."""
    return f"{value or 0.0:.2f}".rstrip("0").rstrip(".")


def outside_dates(day, date_start, date_end):
    """Whether a day falls outside an engagement's dates (either may be empty)."""
    return bool((date_start and day < date_start) or (date_end and day > date_end))


def period_start(date_from, date_to):
    """The first day of a run's period: its start, else the first of the month
    of its end."""
    return date_from or date_to.replace(day=1)


def locked_unbilled(day, lock_date, first_day):
    """Whether an entry of a run is old time surfacing: on or before the lock
    date and before the run's period (the period's own time is never flagged)."""
    return day <= lock_date and day < first_day


def zero_or_less(rate_state, billed_amount):
    """Whether a priced entry would be billed zero or less."""
    return rate_state == "priced" and (billed_amount or 0.0) <= 0.0


def over_cap(cap, already_invoiced, run_total):
    """Whether a run line takes its engagement past a not-to-exceed cap (no
    cap: never)."""
    return bool(cap) and already_invoiced + run_total > cap


def long_day_entries(rows, long_days):
    """{(employee id, day): [entry ids]} of the rows on a person's long day.

    :param rows: dicts with id, employee_id and date, in order
    :param long_days: {(employee id, day): hours} of the days over LONG_DAY_HOURS
    """
    by_day = defaultdict(list)
    for row in rows:
        key = (row["employee_id"], row["date"])
        if key in long_days:
            by_day[key].append(row["id"])
    return dict(by_day)
