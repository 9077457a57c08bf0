"""A file's rows as clean values, its rejected rows, and what it asks.

:func:`inspect` reads a file once (streaming, memory bounded) to learn its
source, column map, date format and decimal mark; what the values leave open
(``03/04/2026`` in every row, several sheets) is a :class:`Question` with its
choices, never a guess. :func:`read_rows` then yields one :class:`Row` or
:class:`Reject` per data line, in file order, with the file's line numbers.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from . import parsing, sources
from .parsing import ParseError


class FileError(ValueError):
    """The whole file is refused; the message says why and what to do."""


class Question(ValueError):
    """The file can be read more than one way: the caller must choose."""

    def __init__(self, kind, choices, message):
        self.kind, self.choices = kind, list(choices)
        super().__init__(message)


@dataclass
class Options:
    source: str = None
    encoding: str = None
    delimiter: str = None
    date_format: str = None
    decimal_mark: str = None
    tz: str = "UTC"
    sheet: str = None
    generic_map: dict = None
    currency: str = None


@dataclass
class Layout:
    """What :func:`inspect` learnt of a file."""

    source: str
    header: list
    columns: dict
    date_format: str
    decimal_mark: str
    currency: str = None
    encoding: str = None
    delimiter: str = None
    sheet: str = None
    rows: int = 0


@dataclass
class Row:
    line: int
    date: datetime.date
    seconds: int
    client: str = ""
    project: str = ""
    project_code: str = ""
    task: str = ""
    notes: str = ""
    person: str = ""
    email: str = ""
    person_ref: str = ""
    role: str = ""
    billable: bool = False
    invoiced: bool = False
    approved: bool = False
    bill_rate: float = None
    bill_amount: float = None
    cost_rate: float = None
    cost_amount: float = None
    currency: str = None
    start: datetime.datetime = None
    tags: str = ""

    @property
    def hours(self):
        return self.seconds / 3600.0


@dataclass
class Reject:
    line: int
    column: str
    value: str
    reason: str


@dataclass
class _Table:
    header: list
    rows: object  # iterator of (line, cells)
    encoding: str = None
    delimiter: str = None
    sheet: str = None
    extra: dict = field(default_factory=dict)


XLSX_MAGIC = b"PK\x03\x04"


def open_table(content, options):
    if not content or not content.strip():
        raise FileError("The file is empty: export the time entries again.")
    if content.startswith(XLSX_MAGIC):
        return _xlsx_table(content, options)
    if b"\x00" in content[:4096]:
        raise FileError(
            "This is not a CSV or XLSX file: export the time report as CSV or "
            "Excel (XLSX)."
        )
    try:
        text, encoding = parsing.decode(content, options.encoding)
    except ParseError as error:
        raise FileError(f"The file cannot be read: {error}.") from error
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        delimiter = options.delimiter or parsing.header_delimiter(first)
    except ParseError as error:
        raise FileError(f"This is not a CSV file: {error}.") from error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        last = 0
        for cells in reader:
            line, last = last + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield line, cells

    header, iterator = _header(
        rows(), "The file is empty: export the time entries again."
    )
    return _Table(header, iterator, encoding=encoding, delimiter=delimiter)


def _xlsx_table(content, options):
    import openpyxl  # only XLSX files need it

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileError(f"This is not a readable XLSX file: {error}.") from error
    names = book.sheetnames
    if options.sheet:
        if options.sheet not in names:
            raise FileError(
                f"The workbook has no sheet {options.sheet!r}; it has "
                f"{', '.join(names)}."
            )
        name = options.sheet
    elif len(names) > 1:
        raise Question(
            "sheet",
            names,
            f"The workbook has {len(names)} sheets: which one holds "
            f"the time entries ({', '.join(names)})?",
        )
    else:
        name = names[0]
    cells_of = book[name].iter_rows(values_only=True)

    def rows():
        for line, values in enumerate(cells_of, start=1):
            cells = [_xlsx_text(value) for value in values]
            if any(cell.strip() for cell in cells):
                yield line, cells

    header, iterator = _header(rows(), f"The sheet {name!r} is empty.")
    return _Table(header, iterator, sheet=name, extra={"xlsx": True})


def _header(iterator, empty):
    """(the first row's cells, the iterator of the rest); FileError(empty)
    when there is no row."""
    try:
        _line, header = next(iterator)
    except StopIteration:
        raise FileError(empty) from None
    return header, iterator


def _xlsx_text(value):
    """A cell as the text a CSV export would hold (dates ISO, '.' decimals)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return repr(value)
    return str(value)


DATE_FIELDS = ("date", "start_date", "end_date")
NUMBER_FIELDS = (
    "duration",
    "duration_decimal",
    "bill_rate",
    "bill_amount",
    "cost_rate",
    "cost_amount",
)
_CLOCK = re.compile(r"^\d+:\d{2}(:\d{2})?(\s*min)?$", re.IGNORECASE)


def inspect(content, options=None):
    """The file's :class:`Layout`; raises FileError, MissingColumns or a
    Question (date format, decimal mark, sheet)."""
    options = options or Options()
    table = open_table(content, options)
    header = [sources.normal_column(cell) for cell in table.header]
    source = options.source or sources.detect_source(table.header)
    if source not in sources.SOURCES and source != "generic":
        raise FileError(f"Unknown source {source!r}.")
    columns = sources.column_map(source, table.header, options.generic_map)
    try:
        currency = sources.header_currency(table.header)
    except ValueError as error:
        raise FileError(f"The file cannot be read: {error}.") from error
    count, date_formats, marks, marked = _scan(table, columns)
    if not count:
        raise FileError("The file has a header but no time entries.")
    xlsx = table.extra.get("xlsx", False)
    return Layout(
        source=source,
        header=header,
        columns=columns,
        date_format=options.date_format or _date_format(date_formats, xlsx),
        decimal_mark=options.decimal_mark or _decimal_mark(marks, marked, xlsx),
        currency=currency or options.currency,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        rows=count,
    )


def _scan(table, columns):
    """(rows, date formats, decimal marks that read every value, whether any
    number has a mark at all), in one streaming pass."""
    date_formats = set(parsing.DATE_FORMATS)
    marks = {".", ","}
    marked = False
    count = 0
    date_columns = [columns[name] for name in DATE_FIELDS if name in columns]
    number_columns = [columns[name] for name in NUMBER_FIELDS if name in columns]
    for _line, cells in table.rows:
        count += 1
        values = [cells[position] for position in date_columns if position < len(cells)]
        date_formats &= parsing.date_formats(values)
        for position in number_columns:
            value = cells[position].strip() if position < len(cells) else ""
            if not value or _CLOCK.match(value):
                continue
            allowed = parsing.decimal_marks_of(value)
            if allowed:
                marks &= allowed
                marked = marked or "," in value or "." in value
    return count, date_formats, marks, marked


def _date_format(formats, xlsx):
    if xlsx and "iso" in formats:
        return "iso"
    if len(formats) == 1:
        return next(iter(formats))
    if not formats:
        raise FileError(
            "The dates of this file are written in several formats: no one "
            "format (YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY) reads "
            "them all. Export the file again with one date format."
        )
    labels = [parsing.DATE_FORMATS[key][1] for key in sorted(formats)]
    raise Question(
        "date_format",
        sorted(formats),
        "Every date of this file reads in more than one way "
        f"({' or '.join(labels)}): say which format it uses.",
    )


def _decimal_mark(marks, marked, xlsx):
    if len(marks) == 1:
        return next(iter(marks))
    if not marked or xlsx:
        return "."
    if not marks:
        raise FileError("The numbers of this file mix '.' and ',' as the decimal mark.")
    raise Question(
        "decimal_mark",
        [".", ","],
        "The numbers of this file read with '.' or ',' as the decimal mark (for "
        "example '1,250'): say which.",
    )


_CODE = re.compile(r"(?:^|[\s\-–(])([A-Z]{3})\)?\s*$")


def currency_code(value):
    """'GBP' from 'GBP' or Harvest's 'British Pound - GBP'; '' stays ''."""
    text = (value or "").strip()
    if not text:
        return ""
    match = _CODE.search(text)
    if not match:
        raise ParseError("not a currency (a three-letter code such as EUR)")
    return match.group(1)


def read_rows(content, layout, options=None):
    """Yield a Row or a Reject per data line of the file read with `layout`
    (from :func:`inspect`, with the user's answers in it)."""
    options = options or Options()
    fixed = {
        "sheet": layout.sheet,
        "delimiter": layout.delimiter,
        "encoding": layout.encoding,
    }
    options = Options(**{**options.__dict__, **fixed})
    table = open_table(content, options)
    header, columns = layout.header, layout.columns
    emails = {}
    for line, cells in table.rows:
        yield _row(line, cells, header, columns, layout, options, emails)


def _row(line, cells, header, columns, layout, options, emails):
    def cell(name):
        position = columns.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    def reject(name, reason):
        column = header[columns[name]] if name in columns else name
        return Reject(line, column, cell(name), reason)

    values, refusal = _values(cell, columns, layout, options)
    if refusal:
        return reject(*refusal)
    person = cell("person") or " ".join(
        part for part in (cell("first_name"), cell("last_name")) if part
    )
    if not person and not cell("email"):
        return Reject(line, "person", "", "no person")
    if not cell("project"):
        return reject("project", "no project")
    email = cell("email").lower()
    if email:
        known = emails.setdefault(person.casefold(), (email, line))
        if known[0] != email:
            return reject(
                "email",
                f"{person} has another email, {known[0]}, on line {known[1]}",
            )
    return Row(
        line=line,
        client=cell("client"),
        project=cell("project"),
        project_code=cell("project_code"),
        task=cell("task"),
        notes=cell("notes").replace("\r\n", "\n"),
        person=person,
        email=email,
        person_ref=cell("person_ref"),
        role=cell("role"),
        tags=cell("tags"),
        **values,
    )


def _values(cell, columns, layout, options):
    """({field: parsed value}, None), or (None, (field, why)) for the first
    value its format refuses."""
    values = {}
    try:
        current = "date"
        values["date"] = parsing.parse_date(cell("date"), layout.date_format)
        current = "duration"
        seconds = parsing.parse_duration(cell("duration"), layout.decimal_mark)
        if seconds is None:
            current = "duration_decimal"
            seconds = parsing.parse_duration(
                cell("duration_decimal"), layout.decimal_mark
            )
        if seconds is None:
            current = "duration"
            raise ParseError("no duration")
        parsing.check_duration(seconds)
        values["seconds"] = seconds
        for name in ("billable", "invoiced", "approved"):
            current = name
            if name in columns:
                values[name] = parsing.parse_bool(_approval_bool(cell(name)))
        for name in ("bill_rate", "bill_amount", "cost_rate", "cost_amount"):
            current = name
            values[name] = parsing.parse_number(cell(name), layout.decimal_mark)
            if values[name] is not None and values[name] < 0:
                raise ParseError("a negative amount")
        current = "currency"
        values["currency"] = currency_code(cell("currency")) or layout.currency
        if "start_time" in columns and cell("start_time"):
            current = "start_time"
            day = values["date"]
            if cell("start_date"):
                current = "start_date"
                day = parsing.parse_date(cell("start_date"), layout.date_format)
            current = "start_time"
            values["start"] = parsing.to_utc(
                day, parsing.parse_time(cell("start_time")), options.tz or "UTC"
            )
    except ParseError as error:
        return None, (current, str(error))
    return values, None


# Clockify's Approval column says APPROVED / PENDING / '' rather than Yes/No.
_APPROVAL = {"approved": "yes", "pending": "no", "unapproved": "no", "rejected": "no"}


def _approval_bool(text):
    return _APPROVAL.get(text.casefold(), text)
