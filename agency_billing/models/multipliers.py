"""Plain multiplier rules, without the ORM: which rate multiplier of an
engagement applies to an entry (weekend, public holiday, outside the person's
working hours, rush), the refusals of bad rules, and the label the entry and
its invoice line show ("Rush ×1.5").

A multiplier multiplies the rate the cards (or a blended rate) give the
entry; it never changes the cost. When several apply to one entry (rush work
on a weekend), the highest factor wins (ties: the order of ``KINDS``): rules
are not compounded, so a rush weekend at ×1.5 and ×2 bills ×2, not ×3.
"""

from collections import namedtuple

KINDS = ("holiday", "weekend", "outside_hours", "rush")
KIND_LABELS = {
    "holiday": "Public holiday",
    "weekend": "Weekend",
    "outside_hours": "Outside working hours",
    "rush": "Rush",
}
WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday())

# id, kind, factor, label (None: the kind's), first and last day (None: open)
Multiplier = namedtuple("Multiplier", "id kind factor label date_from date_to")


def factor_error(factor):
    """Why a factor is refused, or None: it must be above 0."""
    if factor is None or factor <= 0:
        return "a multiplier must be above 0 (1.5 bills 150 %)"
    return None


def overlapping(rules):
    """The first pair of rules of the same kind whose dates overlap (open ends
    count as forever), or None."""
    by_kind = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    for same in by_kind.values():
        for index, first in enumerate(same):
            for second in same[index + 1 :]:
                if _overlap(first, second):
                    return first, second
    return None


def _overlap(first, second):
    starts_before_end = (
        first.date_from is None
        or second.date_to is None
        or first.date_from <= second.date_to
    )
    ends_after_start = (
        first.date_to is None
        or second.date_from is None
        or second.date_from <= first.date_to
    )
    return starts_before_end and ends_after_start


def effective(rule, day):
    """Whether the rule applies on day."""
    return (rule.date_from is None or rule.date_from <= day) and (
        rule.date_to is None or day <= rule.date_to
    )


def outside_hours(start, stop, intervals):
    """Whether work from start to stop (local hours of the day, floats) goes
    outside the working intervals [(from, to)] of that day; a day without
    intervals is all outside. Unknown start or stop: not outside."""
    if start is None or stop is None:
        return False
    if not intervals:
        return True
    covered = start
    for begin, end in sorted(intervals):
        if begin > covered + 1e-9:
            return True
        covered = max(covered, end)
        if covered >= stop - 1e-9:
            return False
    return True


def kinds_of(day, holiday=False, outside=False, rush=False):
    """The kinds that hold for an entry on day."""
    found = set()
    if holiday:
        found.add("holiday")
    if day.weekday() in WEEKEND:
        found.add("weekend")
    if outside:
        found.add("outside_hours")
    if rush:
        found.add("rush")
    return found


def pick(rules, day, kinds):
    """The rule that applies: among the rules effective on day whose kind is
    in kinds, the highest factor (ties: the order of KINDS); None if none."""
    candidates = [r for r in rules if r.kind in kinds and effective(r, day)]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.factor, -KINDS.index(r.kind)))


def label(rule):
    """'Rush ×1.5' for a rule."""
    return f"{rule.label or KIND_LABELS[rule.kind]} ×{rule.factor:g}"
