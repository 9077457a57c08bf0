"""Rate precedence: which rate line prices a timesheet entry, in plain Python.

This module is the one place where the precedence of PRODUCT.md's "Rates" rule
is written. It knows nothing of the ORM: it takes and returns plain values
(ids, dates, numbers), so that the entries' stored prices, the bulk resolver, the
re-rate preview and the effective rate card all decide the same way, and so that
it can be tested directly.

The rule: the most specific scope wins, in this order

    employee+project > role+project > project > employee+client > role+client
    > client > employee > role > company default

and within a scope, the line effective on the entry's date (both ``date_from``
and ``date_to`` are included; an empty one is open). Lines of one scope never
overlap (``agency.rate`` refuses it); should overlapping lines exist anyway, the
one that started last wins, then the newest.

A blended rate (one rate for every person and role, the cost staying each
person's) beats every card: the engagement's first (an engagement line: no
other dimension, it prices every project of the engagement), then the
project's, then the client's.

The role of an entry is the role stamped on the entry (what the person did), not
the person's current default role; the client of an entry is the commercial
partner of its project's customer.
"""

from collections import namedtuple
from datetime import date, timedelta

# The precedence, most specific first: (scope, the entry dimensions it matches).
SCOPES = (
    ("employee_project", ("employee", "project")),
    ("role_project", ("role", "project")),
    ("project", ("project",)),
    ("employee_client", ("employee", "client")),
    ("role_client", ("role", "client")),
    ("client", ("client",)),
    ("employee", ("employee",)),
    ("role", ("role",)),
    ("company", ()),
)
SCOPE_RANK = {scope: rank for rank, (scope, _dims) in enumerate(SCOPES, start=1)}
# An engagement line is blended only, and beats every scope above.
SCOPE_RANK["engagement"] = 0
DIMENSIONS = ("client", "project", "role", "employee")

# A rate line, reduced to what precedence needs (ids or None, dates or None).
RateLine = namedtuple(
    "RateLine",
    "id company client project role employee date_from date_to blended engagement",
    defaults=(False, None),
)
# The scopes a blended line may have, the one that wins first.
BLENDED_SCOPES = ("engagement", "project", "client")
# What an entry is priced by (ids or None, a date).
Entry = namedtuple("Entry", "company client project role employee date")

_FIRST_DAY = date.min
_LAST_DAY = date.max


def scope_of(client=None, project=None, role=None, employee=None, engagement=None):
    """The scope of a rate line with these dimensions, or None when no scope has
    exactly them (a person and a role together, a client and a project, an
    engagement with anything else)."""
    if engagement:
        return None if client or project or role or employee else "engagement"
    present = {
        name
        for name, value in zip(
            DIMENSIONS, (client, project, role, employee), strict=True
        )
        if value
    }
    for scope, dims in SCOPES:
        if present == set(dims):
            return scope
    return None


def blended_error(scope, cost_rate, blended=True, engagement=False):
    """Why a blended line (or an engagement's line) is refused, or None: it is
    one rate for an engagement, a project or a client (every person and role),
    and the cost stays per person."""
    if engagement and not blended:
        return (
            "a rate line of an engagement is its blended rate: tick Blended "
            "Rate, or leave Engagement empty"
        )
    if engagement and scope != "engagement":
        return (
            "an engagement's blended rate has nothing else in its scope: leave "
            "Client, Project, Person and Role empty"
        )
    if scope not in BLENDED_SCOPES:
        return (
            "a blended rate is one rate for every person and role of an "
            "engagement, a project or a client: leave Person and Role empty"
        )
    if cost_rate:
        return (
            "a blended rate sets what the client pays only: the cost stays each "
            "person's, leave Cost Rate at 0"
        )
    return None


def covers(line, day):
    """Whether the line is effective on day (both bounds included)."""
    return (line.date_from or _FIRST_DAY) <= day <= (line.date_to or _LAST_DAY)


def dates_overlap(from_a, to_a, from_b, to_b):
    """Whether two date ranges (None = open) share at least one day."""
    return (from_a or _FIRST_DAY) <= (to_b or _LAST_DAY) and (from_b or _FIRST_DAY) <= (
        to_a or _LAST_DAY
    )


def overlap_range(line_a, line_b):
    """The (first, last) days two lines share, None standing for open ends."""
    first = max(line_a.date_from or _FIRST_DAY, line_b.date_from or _FIRST_DAY)
    last = min(line_a.date_to or _LAST_DAY, line_b.date_to or _LAST_DAY)
    return (
        None if first == _FIRST_DAY else first,
        None if last == _LAST_DAY else last,
    )


def line_key(line):
    """The scope key of a line: its company and its four dimensions, and its
    engagement (None but for an engagement's blended line)."""
    return (
        line.company,
        line.client or None,
        line.project or None,
        line.role or None,
        line.employee or None,
        line.engagement or None,
    )


def entry_keys(entry):
    """The (scope, key) pairs that could price the entry, most specific first.

    A scope is skipped when the entry lacks one of its dimensions (no role, no
    client...): a role line never prices an entry without a role.
    """
    values = {
        "client": entry.client or None,
        "project": entry.project or None,
        "role": entry.role or None,
        "employee": entry.employee or None,
    }
    for scope, dims in SCOPES:
        if all(values[dim] for dim in dims):
            yield (
                scope,
                (
                    entry.company,
                    *(values[dim] if dim in dims else None for dim in DIMENSIONS),
                    None,
                ),
            )


def find_overlaps(lines):
    """Pairs of lines with the same scope key whose dates overlap."""
    by_key = {}
    for line in lines:
        by_key.setdefault(line_key(line), []).append(line)
    pairs = []
    for same in by_key.values():
        same = sorted(same, key=lambda line: (line.date_from or _FIRST_DAY, line.id))
        for index, line in enumerate(same):
            for other in same[index + 1 :]:
                if dates_overlap(
                    line.date_from, line.date_to, other.date_from, other.date_to
                ):
                    pairs.append((line, other))
    return pairs


class RateCard:
    """The rate lines of one or more companies, indexed for fast look-ups.

    ``find(entry)`` returns the winning RateLine (or None). For each combination
    of company, client, project, role and person, the lines that could apply are
    gathered once, most specific scope first (its "chain"); an entry then only
    looks for the first line of its chain effective on its date.
    """

    def __init__(self, lines, engagement_of=None):
        """:param engagement_of: {project id: engagement id}, for the projects
        of the engagements that have a blended line"""
        self._engagement_of = engagement_of or {}
        self._by_key = {}
        for line in lines:
            self._by_key.setdefault(line_key(line), []).append(line)
        for same in self._by_key.values():
            # The line that started last first: it wins should lines overlap.
            same.sort(key=lambda line: (line.date_from or _FIRST_DAY, line.id))
            same.reverse()
        self._dated = {
            key: [
                (line.date_from or _FIRST_DAY, line.date_to or _LAST_DAY, line)
                for line in same
            ]
            for key, same in self._by_key.items()
        }
        # blended lines by the key of their scope, tried before any chain
        self._blended = {}
        for key, dated in self._dated.items():
            blended = [item for item in dated if item[2].blended]
            if blended:
                self._blended[key] = blended
        self._chains = {}

    def __len__(self):
        return sum(len(same) for same in self._by_key.values())

    def forget(self):
        """Drop the chains gathered so far (to bound memory between batches)."""
        self._chains.clear()

    def find(self, entry):
        """The line that prices entry, or None when no line does."""
        return self.find_for(
            entry.company,
            entry.client,
            entry.project,
            entry.role,
            entry.employee,
            entry.date,
        )

    def find_for(self, company, client, project, role, employee, day):
        """find() for plain values: the line that prices them on day, or None."""
        combo = (company, client, project, role, employee)
        chain = self._chains.get(combo)
        if chain is None:
            keys = list(entry_keys(Entry(*combo, None)))
            engagement = self._engagement_of.get(project)
            key = (company, None, None, None, None, engagement)
            chain = self._chains[combo] = [
                *([self._blended[key]] if engagement and key in self._blended else []),
                *(
                    self._blended[key]
                    for scope in BLENDED_SCOPES[1:]
                    for key_scope, key in keys
                    if key_scope == scope and key in self._blended
                ),
                *(self._dated[key] for _scope, key in keys if key in self._dated),
            ]
        for dated in chain:
            for first, last, line in dated:
                if first <= day <= last:
                    return line
        return None

    def lines_for(self, entry):
        """Every line that could price the entry on some day, whatever the date."""
        engagement = self._engagement_of.get(entry.project)
        if engagement:
            key = (entry.company, None, None, None, None, engagement)
            yield from self._by_key.get(key, ())
        for _scope, key in entry_keys(entry):
            yield from self._by_key.get(key, ())

    def timeline(self, entry, first, last):
        """How the price of entry-like work changes from first to last.

        :param entry: an Entry whose date is ignored
        :return: [(from, to, line or None)], consecutive periods covering first
            to last, merged where the same line applies
        """
        bounds = {first}
        for line in self.lines_for(entry):
            for day in (
                line.date_from,
                line.date_to and line.date_to + timedelta(days=1),
            ):
                if day and first < day <= last:
                    bounds.add(day)
        starts = sorted(bounds)
        periods = []
        for index, start in enumerate(starts):
            if index + 1 < len(starts):
                end = starts[index + 1] - timedelta(days=1)
            else:
                end = last
            line = self.find(entry._replace(date=start))
            if periods and periods[-1][2] == line:
                periods[-1] = (periods[-1][0], end, line)
            else:
                periods.append((start, end, line))
        return periods


def currency_rate_on(rows, company, day):
    """The rate of one currency on day for company, as Odoo's res.currency reads it.

    :param rows: [(company id or None, date, rate)] of that currency, any order
    :param company: the root company whose rates apply
    :return: the latest rate on or before day, the company's own rates before
        shared ones; else the earliest rate; else 1.0
    """
    own = sorted((d, r) for c, d, r in rows if c == company)
    shared = sorted((d, r) for c, d, r in rows if c is None)
    for candidates in (own, shared):
        before = [rate for when, rate in candidates if when <= day]
        if before:
            return before[-1]
    for candidates in (own, shared):
        if candidates:
            return candidates[0][1]
    return 1.0
