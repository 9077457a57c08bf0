"""Rate cards, read from a file or proposed from history: pure functions.

:func:`read_rate_card` reads a rate-card CSV (client, project, role, person,
bill rate, cost rate, currency, from, to), with the same rules as time files:
encodings, delimiters, dates and decimal marks that ask when ambiguous.
:func:`propose_rates` turns the rates a file's rows were billed at into
proposed rate lines: one per project when everyone on it followed the same
sequence of rates, else one per person on the project; a new line (and the
previous one's end) wherever the rate changed.
"""

import datetime
from dataclasses import dataclass

from . import parsing, reader
from .parsing import ParseError
from .reader import FileError, Question

COLUMNS = {
    "client": ("client", "customer"),
    "project": ("project",),
    "role": ("role",),
    "person": ("person", "employee", "email"),
    "bill_rate": ("bill rate", "billable rate", "rate"),
    "cost_rate": ("cost rate",),
    "currency": ("currency",),
    "date_from": ("from", "date from", "start"),
    "date_to": ("to", "date to", "end"),
}
REQUIRED = ("bill_rate", "currency")


@dataclass
class RateRow:
    line: int
    client: str
    project: str
    role: str
    person: str
    bill_rate: float
    cost_rate: float
    currency: str
    date_from: datetime.date
    date_to: datetime.date


def _map_header(header):
    names = [cell.replace("\ufeff", "").strip().casefold() for cell in header]
    found = {}
    for field, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in names:
                found[field] = names.index(spelling)
                break
    missing = [COLUMNS[field][0] for field in REQUIRED if field not in found]
    if missing:
        raise FileError(
            f"The rate card lacks the columns {', '.join(missing)}; it has "
            f"{', '.join(cell for cell in header if cell)}."
        )
    return found


def read_rate_card(content, date_format=None, decimal_mark=None):
    """(rows, rejects) of a rate-card file; raises FileError or Question."""
    table = reader.open_table(content, reader.Options())
    columns = _map_header(table.header)
    lines = list(table.rows)
    if not lines:
        raise FileError("The rate card has a header but no rates.")

    def values(field):
        position = columns.get(field)
        return [
            cells[position]
            for _line, cells in lines
            if position is not None and position < len(cells)
        ]

    if not date_format:
        formats = parsing.date_formats(values("date_from") + values("date_to"))
        if len(formats) > 1 and any(
            v.strip() for v in values("date_from") + values("date_to")
        ):
            raise Question(
                "date_format",
                sorted(formats),
                "Say which date format the rate card uses.",
            )
        date_format = next(iter(formats), "iso") if len(formats) == 1 else "iso"
    if not decimal_mark:
        numbers = values("bill_rate") + values("cost_rate")
        marks = parsing.decimal_marks(numbers)
        if len(marks) == 2 and any("," in v or "." in v for v in numbers):
            raise Question(
                "decimal_mark", [".", ","], "Say which decimal mark the rate card uses."
            )
        decimal_mark = next(iter(marks)) if len(marks) == 1 else "."
    rows, rejects = [], []
    for line, cells in lines:
        result = _rate_row(
            line, cells, columns, table.header, date_format, decimal_mark
        )
        (rejects if isinstance(result, reader.Reject) else rows).append(result)
    return rows, rejects


def _rate_row(line, cells, columns, header, date_format, decimal_mark):
    def cell(field):
        position = columns.get(field)
        return (
            cells[position].strip()
            if position is not None and position < len(cells)
            else ""
        )

    current = "bill_rate"
    try:
        bill = parsing.parse_number(cell("bill_rate"), decimal_mark)
        if bill is None or bill < 0:
            raise ParseError("a rate of zero or more is required")
        current = "cost_rate"
        cost = parsing.parse_number(cell("cost_rate"), decimal_mark) or 0.0
        if cost < 0:
            raise ParseError("a negative cost rate")
        current = "currency"
        currency = reader.currency_code(cell("currency"))
        if not currency:
            raise ParseError("no currency")
        dates = []
        for current in ("date_from", "date_to"):
            dates.append(
                parsing.parse_date(cell(current), date_format)
                if cell(current)
                else None
            )
    except ParseError as error:
        column = header[columns[current]] if current in columns else current
        return reader.Reject(line, column, cell(current), str(error))
    if dates[0] and dates[1] and dates[1] < dates[0]:
        return reader.Reject(
            line, header[columns["date_to"]], cell("date_to"), "ends before it starts"
        )
    return RateRow(
        line, cell("client"), cell("project"), cell("role"), cell("person"),
        bill, cost, currency, dates[0], dates[1],
    )  # fmt: skip


@dataclass
class Observation:
    """A row of history: who worked on what, when, at which rates."""

    project: object
    person: object
    day: datetime.date
    bill_rate: float
    cost_rate: float
    currency: object


def _runs(observations):
    """[(date_from, (bill, cost, currency))] of consecutive equal rates."""
    runs = []
    for item in sorted(observations, key=lambda o: o.day):
        rate = (item.bill_rate, item.cost_rate, item.currency)
        if not runs or runs[-1][1] != rate:
            runs.append((item.day, rate))
    return runs


def _lines(runs, project, person):
    proposals = []
    for index, (start, (bill, cost, currency)) in enumerate(runs):
        end = (
            runs[index + 1][0] - datetime.timedelta(days=1)
            if index + 1 < len(runs)
            else None
        )
        proposals.append(
            {
                "project": project,
                "person": person,
                "date_from": start,
                "date_to": end,
                "bill_rate": bill,
                "cost_rate": cost,
                "currency": currency,
            }
        )
    return proposals


def propose_rates(observations):
    """Proposed rate lines (dicts: project, person or None, date_from,
    date_to or None, bill_rate, cost_rate, currency) from history."""
    by_project = {}
    for item in observations:
        if item.bill_rate is None:
            continue
        by_project.setdefault(item.project, {}).setdefault(item.person, []).append(item)
    proposals = []
    for project, people in by_project.items():
        timelines = {person: _runs(items) for person, items in people.items()}
        sequences = {
            tuple(rate for _start, rate in runs) for runs in timelines.values()
        }
        if len(sequences) == 1:
            # everyone followed the same rates: one line per change, starting
            # on the first day anyone was billed the new rate
            merged = [item for items in people.values() for item in items]
            changes = {}
            for item in merged:
                rate = (item.bill_rate, item.cost_rate, item.currency)
                changes[rate] = min(changes.get(rate, item.day), item.day)
            runs = [(changes[rate], rate) for rate in next(iter(sequences))]
            proposals += _lines(runs, project, None)
        else:
            for person, runs in timelines.items():
                proposals += _lines(runs, project, person)
    return proposals
