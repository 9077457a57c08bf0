"""Retention policies: how long each kind of data is kept (pure rules).

The kinds, their settings on the company, their defaults and the least a
company may choose. Audit rows are kept 10 years by default and never fewer
than 6: the longest of the usual legal minimums for books and the records
behind them (6 years in the UK, Companies Act 2006 s.388 and HMRC; 6 in
Germany for business letters, 10 there for books, hence the default; 7 for
US tax records is covered by the default). Administrators may keep longer,
never shorter.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Kind:
    code: str
    field: str  # the res.company field holding the period
    unit: str  # "days", "months" or "years"
    default: int
    minimum: int
    label: str  # what the purge does, in words


KINDS = (
    Kind(
        "suggestion",
        "agency_suggestion_retention_days",
        "days",
        30,
        1,
        "Suggestions deleted",
    ),
    Kind(
        "timer",
        "agency_retention_timer_months",
        "months",
        3,
        1,
        "Notes of stopped timers blanked (the timers, their hours and entries stay)",
    ),
    Kind(
        "departed",
        "agency_retention_departed_months",
        "months",
        24,
        1,
        "Entry descriptions of people who left anonymised (hours and amounts stay)",
    ),
    Kind(
        "import_file",
        "agency_retention_import_months",
        "months",
        12,
        1,
        "Uploaded import files deleted (the batches and what they created stay)",
    ),
    Kind(
        "activity",
        "agency_retention_activity_days",
        "days",
        30,
        1,
        "Activity events from webhooks deleted (with their raw payloads)",
    ),
    Kind(
        "audit",
        "agency_retention_audit_years",
        "years",
        10,
        6,
        "Audit rows deleted",
    ),
)
BY_CODE = {kind.code: kind for kind in KINDS}
BY_FIELD = {kind.field: kind for kind in KINDS}
# What an anonymised description reads.
ANONYMISED = "(removed: retention)"


def cutoff(today, kind, amount):
    """The first day kept: data of earlier days (or older than it) goes."""
    if not isinstance(today, date):
        raise TypeError("today must be a date")
    return today - relativedelta(**{kind.unit: max(kind.minimum, amount or 0)})


def too_short(kind, amount):
    """Whether a chosen period is below the kind's minimum."""
    return amount is None or amount is False or amount < kind.minimum
