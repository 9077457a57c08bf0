"""Plain rounding-scope rules, without the ORM: which entries are rounded
together, the minimum per entry, per-task overrides, and how a group's rounded
total is shared back onto its entries so that they add up to it exactly.

Scopes (``SCOPES``):

- ``entry``: each entry is rounded alone (the default, as before);
- ``person_day``: the entries of one person on one task (or, without a task,
  one project) on one day are added up and rounded once;
- ``line``: the entries of one invoice line to be (the engagement's grouping
  and the entry's rate) are added up and rounded once.

Raw time is never changed. In every scope:

1. the **minimum per entry** lifts an entry's counted time (never its raw time)
   to the minimum when it is above 0 and below it;
2. an entry whose task (or one of its task's tags) has an **override** is
   rounded with the override's increment and method, and only with entries
   that have the same rule (overridden entries never share a group with the
   others);
3. the group's counted time is rounded (``billing_rules.billed_minutes``), then
   turned into hours at the quantity precision;
4. that total is shared onto the group's entries in units of the quantity
   precision (0.01 h), in proportion to their counted time, by the largest
   remainder: each entry first gets the whole units of its share, and the units
   left go one each to the entries with the largest remainders, ties to the
   earlier entry (date, then id, the order given). The shares add up to the
   group's total exactly, and the same entries always get the same shares.
"""

from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

from .billing_rules import INCREMENTS, METHODS, billed_minutes, minutes_to_hours

SCOPES = ("entry", "person_day", "line")

# increment in minutes, method, and what says where the rule comes from
Rule = namedtuple("Rule", "increment method source", defaults=("engagement",))


def check_rule(increment, method):
    """Refuse an increment or method outside the lists (ValueError)."""
    if int(increment) not in INCREMENTS:
        raise ValueError(f"increment {increment!r} is not one of {INCREMENTS}")
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")


def counted_seconds(raw_hours, minimum=0):
    """An entry's time as the rounding counts it, in whole seconds: the raw
    time, lifted to `minimum` minutes when above 0 and below it."""
    seconds = max(0, round((raw_hours or 0.0) * 3600))
    if minimum and 0 < seconds < minimum * 60:
        seconds = minimum * 60
    return seconds


def group_key(scope, entry, rule):
    """Which entries are rounded together."""
    if scope == "entry":
        return ("entry", entry["id"])
    if scope == "person_day":
        where = entry.get("task") or ("project", entry.get("project"))
        return ("day", entry.get("employee"), where, entry.get("date"), rule)
    if scope == "line":
        return ("line", entry.get("line"), rule)
    raise ValueError(f"rounding scope {scope!r} is not one of {SCOPES}")


def share(total_units, weights):
    """`total_units` (an int) shared in proportion to `weights` (ints, in
    order), by the largest remainder, ties to the earlier: a list of ints
    adding up to `total_units`. Without weight, everything goes to the first."""
    if not weights:
        return []
    whole = sum(weights)
    if not whole:
        return [total_units] + [0] * (len(weights) - 1)
    parts = [total_units * w // whole for w in weights]
    remainders = [total_units * w % whole for w in weights]
    left = total_units - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in order[:left]:
        parts[index] += 1
    return parts


DEFAULT_RULE = Rule(15, "nearest")


def billed_hours(entries, scope="entry", rule=DEFAULT_RULE, minimum=0, digits=2):
    """Billed hours of each entry under a rounding scope.

    :param entries: dicts with id, raw_hours, and what the scope groups by:
        employee, task, project, date (person_day) or line (line); optional
        rule (a Rule overriding the engagement's for this entry). Give them in
        a stable order (date, id): ties of the distribution go to the earlier.
    :param rule: the engagement's Rule
    :param minimum: minimum minutes per entry (0: none)
    :return: ({id: Decimal hours}, {id: Group}) the billed hours and the group
        each entry was rounded in (for its explanation)
    """
    if scope not in SCOPES:
        raise ValueError(f"rounding scope {scope!r} is not one of {SCOPES}")
    if minimum < 0:
        raise ValueError("the minimum per entry cannot be negative")
    groups = {}
    for entry in entries:
        entry_rule = entry.get("rule") or rule
        key = group_key(scope, entry, entry_rule)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(scope=scope, rule=entry_rule)
        seconds = counted_seconds(entry["raw_hours"], minimum)
        group.ids.append(entry["id"])
        group.raw_seconds += max(0, round((entry["raw_hours"] or 0.0) * 3600))
        group.seconds.append(seconds)
    unit = Decimal(1).scaleb(-digits)
    hours, where = {}, {}
    for group in groups.values():
        total_seconds = sum(group.seconds)
        minutes = billed_minutes(
            total_seconds / 3600, int(group.rule.increment), group.rule.method
        )
        group.billed = minutes_to_hours(minutes, digits)
        units = int((group.billed / unit).to_integral_value(ROUND_HALF_UP))
        for id_, part in zip(group.ids, share(units, group.seconds), strict=True):
            hours[id_] = Decimal(part) * unit
            where[id_] = group
    return hours, where


class Group:
    """Entries rounded together: their ids, raw and counted seconds, the rule
    and the billed total (Decimal hours)."""

    __slots__ = ("billed", "ids", "raw_seconds", "rule", "scope", "seconds")

    def __init__(self, scope, rule):
        self.scope = scope
        self.rule = rule
        self.ids = []
        self.seconds = []
        self.raw_seconds = 0
        self.billed = Decimal(0)

    @property
    def raw_hours(self):
        return Decimal(self.raw_seconds) / 3600

    @property
    def counted_hours(self):
        return Decimal(sum(self.seconds)) / 3600


SCOPE_WORDS = {
    "entry": "per entry",
    "person_day": "per person, task and day",
    "line": "per invoice line",
}
METHOD_WORDS = {"up": "up to", "nearest": "to the nearest", "down": "down to"}


def explain(group, entry_hours, minimum=0, raw_hours=None):
    """The rounding of one entry in words (English; the model translates the
    frame): the scope, the rule and where it comes from, the minimum when it
    applied, the group's total and this entry's share."""
    rule = group.rule
    words = [
        (
            f"Rounded {SCOPE_WORDS[group.scope]}, {METHOD_WORDS[rule.method]} "
            f"{int(rule.increment)} min ({rule.source})"
        )
    ]
    if minimum and raw_hours is not None and 0 < raw_hours * 60 < minimum:
        words.append(f"minimum {minimum} min per entry")
    if group.scope != "entry":
        words.append(
            f"{len(group.ids)} entries, {group.counted_hours:.2f} h counted → "
            f"{group.billed:.2f} h; this entry {entry_hours:.2f} h"
        )
    return "; ".join(words)
