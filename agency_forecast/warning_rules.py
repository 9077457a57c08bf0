"""The early warnings' rules: plain functions of plain values, no database.

``agency.warning`` (models/agency_warning.py) reads the figures (hours per
window, budgets, the margin figures of each engagement) and asks these
functions whether a warning stands; each answers ``None`` (all is well) or a
:class:`Finding` (severity, the figure, the limit it passed, and for budgets
the projected exhaustion date). Windows are days counted back from one
``today`` (the cron passes it; nothing here reads the clock), so that no rule
depends on the weekday or the month it runs on.
"""

from dataclasses import dataclass
from datetime import timedelta

from odoo.addons.agency_billing.models.billing_rules import retainer_periods

# code: (label, what it is about, "hours" or "money")
RULES = {
    "nonbillable_creep": ("Non-billable creep", "hours"),
    "revisions": ("Excessive revisions", "hours"),
    "budget_hours": ("Budget burn (hours)", "hours"),
    "budget_amount": ("Budget burn (amount)", "money"),
    "margin": ("Margin below target", "money"),
    "writeoff": ("Write-off leakage", "money"),
    # staffing signals (hours only, from capacity and bookings: heatmap.py)
    "overbooked": ("Over-booked", "staffing"),
    "burnout": ("Burnout risk", "staffing"),
    "underused": ("Role under target", "staffing"),
    "supply": ("Demand beyond supply", "staffing"),
}
HOURS_RULES = tuple(code for code, (_label, kind) in RULES.items() if kind == "hours")
MONEY_RULES = tuple(code for code, (_label, kind) in RULES.items() if kind == "money")
STAFFING_RULES = tuple(
    code for code, (_label, kind) in RULES.items() if kind == "staffing"
)
SEVERITIES = [("warning", "Warning"), ("danger", "Serious")]

RECENT_DAYS = 28  # "the last 4 weeks"
BASELINE_DAYS = 84  # "its own trailing 12 weeks", before the last 4
# Below this many hours in a window a share says nothing: no creep is read.
MIN_WINDOW_HOURS = 8.0

# setting: (lowest, highest, default), all inclusive; the model refuses the rest
THRESHOLDS = {
    "agency_warning_creep_points": (1.0, 100.0, 10.0),
    "agency_warning_revision_share": (1.0, 100.0, 25.0),
    "agency_warning_revision_rounds": (1, 50, 3),
    "agency_warning_burn_share": (1.0, 100.0, 90.0),
    "agency_warning_margin_target": (-100.0, 100.0, 25.0),
    "agency_warning_writeoff_share": (0.0, 100.0, 10.0),
}


@dataclass(frozen=True)
class Finding:
    """A warning that stands: how bad, the figure and the limit it passed
    (units depend on the rule: points, %, hours, rounds, amounts), and for a
    budget the day it runs out at the recent pace (None: no pace)."""

    severity: str
    measure: float
    limit: float
    exhausted_on: object = None
    extra: float = 0.0


def windows(today):
    """((first, last) of the last 4 weeks, (first, last) of the 12 weeks
    before them): whole days before `today`, today excluded (it is not over)."""
    recent_to = today - timedelta(days=1)
    recent_from = today - timedelta(days=RECENT_DAYS)
    base_to = recent_from - timedelta(days=1)
    base_from = recent_from - timedelta(days=BASELINE_DAYS)
    return (recent_from, recent_to), (base_from, base_to)


def in_range(value, lowest, highest):
    """Whether a threshold lies within its bounds (both included)."""
    return value is not None and lowest <= value <= highest


def share(part, whole):
    """`part` as a percentage of `whole` (0 when there is no whole)."""
    return 100.0 * part / whole if whole else 0.0


def nonbillable_creep(recent_nb, recent_total, base_nb, base_total, points):
    """Non-billable creep: the non-billable share of the last 4 weeks above the
    share of the 12 weeks before by more than `points` percentage points.

    Quiet while either window holds fewer than MIN_WINDOW_HOURS (a newcomer,
    a project just started: there is no baseline to rise above)."""
    if recent_total < MIN_WINDOW_HOURS or base_total < MIN_WINDOW_HOURS:
        return None
    recent, baseline = share(recent_nb, recent_total), share(base_nb, base_total)
    rise = recent - baseline
    if rise <= points:
        return None
    severity = "danger" if rise > 2 * points else "warning"
    return Finding(severity, round(rise, 1), points, extra=round(recent, 1))


def revision_rounds(tasks):
    """Revision rounds per deliverable: `tasks` are (task id, parent id or
    None, is a revision) rows; a revision task is one round of the deliverable
    it sits under (its parent task), revision tasks without a parent are rounds
    of the project as a whole (deliverable None). {deliverable: rounds}."""
    rounds = {}
    for _task_id, parent_id, revision in tasks:
        if revision:
            rounds[parent_id] = rounds.get(parent_id, 0) + 1
    return rounds


def revisions(revision_hours, total_hours, rounds, max_share, max_rounds):
    """Excessive revisions: hours on revision tasks above `max_share` % of the
    project's hours, or more than `max_rounds` rounds on one deliverable
    (`rounds`: {deliverable: rounds}). The measure is the share, `extra` the
    most rounds of any deliverable."""
    most = max(rounds.values(), default=0)
    part = share(revision_hours, total_hours)
    over_share = total_hours >= MIN_WINDOW_HOURS and part > max_share
    over_rounds = most > max_rounds
    if not (over_share or over_rounds):
        return None
    severity = "danger" if over_share and over_rounds else "warning"
    return Finding(severity, round(part, 1), max_share, extra=most)


def exhaustion_date(used, budget, recent_used, today, days=RECENT_DAYS):
    """The day the budget runs out at the pace of the last `days` days: today
    once it is used up; None when nothing was used lately (no pace)."""
    remaining = budget - used
    if remaining <= 0:
        return today
    if recent_used <= 0:
        return None
    per_day = recent_used / days
    return today + timedelta(days=int(remaining / per_day))


def budget_burn(used, budget, recent_used, today, end_date, burn_share):
    """Budget burn: hours or an amount used against a budget.

    Serious once the budget is used up; a warning when, at the last 4 weeks'
    pace, it runs out before `end_date` (the project's end or deadline), or,
    without an end date, once `burn_share` % of it is used. The measure is the
    share used."""
    if budget <= 0:
        return None
    used_share = share(used, budget)
    exhausted_on = exhaustion_date(used, budget, recent_used, today)
    if used >= budget:
        return Finding("danger", round(used_share, 1), budget, exhausted_on, used)
    if end_date:
        early = exhausted_on is not None and exhausted_on < end_date
    else:
        early = used_share >= burn_share
    if not early:
        return None
    return Finding("warning", round(used_share, 1), budget, exhausted_on, used)


def margin_below_target(revenue, cost, target):
    """Margin below target: the margin % (margin ÷ revenue) under `target` %.
    Quiet without any revenue or cost; cost without revenue is always below."""
    if revenue <= 0 and cost <= 0:
        return None
    margin_pct = share(revenue - cost, revenue) if revenue > 0 else -100.0
    if margin_pct >= target:
        return None
    severity = "danger" if margin_pct < 0 else "warning"
    return Finding(severity, round(margin_pct, 1), target, extra=revenue - cost)


def writeoff_leakage(write_downs, billed, max_share):
    """Write-off leakage: write-downs (and over-run write-offs) above
    `max_share` % of the billed value; write-downs with nothing billed leak
    entirely."""
    if write_downs <= 0:
        return None
    leaked = share(write_downs, billed) if billed > 0 else 100.0
    if leaked <= max_share:
        return None
    severity = "danger" if leaked > 2 * max_share else "warning"
    return Finding(severity, round(leaked, 1), max_share, extra=write_downs)


# Staffing windows, in whole weeks around the current one.
COMING_WEEKS = 4  # over-booked: any of the next 4 weeks
BURNOUT_WEEKS = 3  # over target for the last 3 weeks in a row
UNDERUSED_WEEKS = 4  # a role under its band for 4 weeks in a row
SUPPLY_WEEKS = 12  # demand against supply over the next 12 weeks


def overbooked(weeks):
    """A person booked beyond their capacity in a coming week: `weeks` are
    (week number, booked, capacity) rows (confirmed bookings). The measure is
    the highest %, `extra` the first week over 100 %."""
    over = [(n, share(b, c) if c else 999.0) for n, b, c in weeks if b > c + 0.01]
    if not over:
        return None
    worst = max(pct for _n, pct in over)
    severity = "danger" if worst > 120 else "warning"
    return Finding(severity, round(worst, 1), 100.0, extra=over[0][0])


def burnout(weeks, high):
    """Over the target band's top (`high` %) in every one of the weeks given
    (the last BURNOUT_WEEKS, logged against capacity): (logged, capacity)
    rows. The measure is the lowest of them."""
    if len(weeks) < BURNOUT_WEEKS:
        return None
    shares = [share(logged, cap) for logged, cap in weeks if cap]
    if len(shares) < len(weeks) or min(shares) <= high:
        return None
    severity = "danger" if min(shares) > 100 else "warning"
    return Finding(severity, round(min(shares), 1), high)


def underused(weeks, low):
    """A role under its band's bottom (`low` %) in each of UNDERUSED_WEEKS
    weeks: (load, capacity) rows. Quiet without capacity, and when nothing at
    all is loaded (nobody books that role). The measure is the highest."""
    if len(weeks) < UNDERUSED_WEEKS or not any(load for load, _cap in weeks):
        return None
    if not all(cap for _load, cap in weeks):
        return None
    shares = [share(load, cap) for load, cap in weeks]
    if max(shares) >= low:
        return None
    return Finding("warning", round(max(shares), 1), low)


def supply_gap(weeks, week_hours):
    """Demand beyond supply for a role: (week number, demand, capacity) rows of
    the coming weeks (confirmed and placeholder bookings against the role's
    capacity). The measure is the most FTE short (hours short over a full
    week's hours), `extra` the first week short."""
    short = [(n, (d - c) / week_hours) for n, d, c in weeks if d - c > 0.5]
    if not short or not week_hours:
        return None
    most = max(fte for _n, fte in short)
    severity = "danger" if most >= 1.0 else "warning"
    return Finding(severity, round(most, 1), 0.0, extra=short[0][0])


def retainer_period(day, period="month"):
    """(first, last) day of the retainer period holding `day` (billing's own
    periods: calendar months or quarters)."""
    return retainer_periods(day, day, period)[0]
