"""Which tool wrote a file, read from its header, and where each fact is.

Each source maps the importer's fields (FIELDS) to the column names its
exports use (several spellings where its exports differ). A header is
Harvest's, Toggl's or Clockify's when it holds that source's signature
columns; anything else is a generic file whose column map the user picks once
and saves as a template. Currencies named in a header (Toggl's
``Amount (USD)``, Clockify's ``Billable Rate (EUR)``) are read from it.
"""

import re

# The importer's fields, in the order a mapping screen shows them.
FIELDS = (
    "date",
    "client",
    "project",
    "project_code",
    "task",
    "notes",
    "duration",
    "duration_decimal",
    "hours_rounded",
    "billable",
    "invoiced",
    "approved",
    "person",
    "first_name",
    "last_name",
    "email",
    "person_ref",
    "role",
    "bill_rate",
    "bill_amount",
    "cost_rate",
    "cost_amount",
    "currency",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "tags",
)

SOURCES = {
    "harvest": {
        "label": "Harvest (Detailed time)",
        "signature": ("Hours", "Billable?", "First Name", "Last Name"),
        "columns": {
            "date": ("Date",),
            "client": ("Client",),
            "project": ("Project",),
            "project_code": ("Project Code",),
            "task": ("Task",),
            "notes": ("Notes",),
            "duration": ("Hours",),
            "hours_rounded": ("Hours Rounded",),
            "billable": ("Billable?",),
            "invoiced": ("Invoiced?",),
            "approved": ("Approved?",),
            "first_name": ("First Name",),
            "last_name": ("Last Name",),
            "person_ref": ("Employee Id",),
            "role": ("Roles",),
            "bill_rate": ("Billable Rate",),
            "bill_amount": ("Billable Amount",),
            "cost_rate": ("Cost Rate",),
            "cost_amount": ("Cost Amount",),
            "currency": ("Currency",),
        },
        "required": ("date", "client", "project", "duration", "first_name"),
    },
    "toggl": {
        "label": "Toggl Track (Detailed)",
        "signature": ("User", "Email", "Start date", "Start time", "Duration"),
        "columns": {
            "person": ("User",),
            "email": ("Email",),
            "client": ("Client",),
            "project": ("Project",),
            "task": ("Task",),
            "notes": ("Description",),
            "billable": ("Billable",),
            "date": ("Start date",),
            "start_date": ("Start date",),
            "start_time": ("Start time",),
            "end_date": ("End date",),
            "end_time": ("End time",),
            "duration": ("Duration",),
            "tags": ("Tags",),
            "bill_amount": ("Amount",),
        },
        "required": ("person", "project", "date", "duration"),
    },
    "clockify": {
        "label": "Clockify (Detailed report)",
        "signature": ("Start Date", "Duration (h)", "Duration (decimal)"),
        "columns": {
            "project": ("Project",),
            "client": ("Client",),
            "notes": ("Description",),
            "task": ("Task", "Activity"),
            "person": ("User",),
            "role": ("Group",),
            "email": ("Email",),
            "tags": ("Tags",),
            "billable": ("Billable",),
            "date": ("Start Date",),
            "start_date": ("Start Date",),
            "start_time": ("Start Time",),
            "end_date": ("End Date",),
            "end_time": ("End Time",),
            "duration": ("Duration (h)",),
            "duration_decimal": ("Duration (decimal)",),
            "bill_rate": ("Billable Rate",),
            "bill_amount": ("Billable Amount",),
            "invoiced": ("Invoiced",),
            "approved": ("Approval",),
        },
        "required": ("person", "project", "date", "duration"),
    },
}
GENERIC_REQUIRED = ("date", "project", "duration")

_CURRENCY_SUFFIX = re.compile(r"^(.*?)\s*\(([A-Z]{3})\)$")


def normal_column(name):
    """A header cell without BOM, quotes' spaces or a currency suffix:
    'Amount (USD)' -> 'Amount'."""
    name = (name or "").replace("\ufeff", "").strip()
    match = _CURRENCY_SUFFIX.match(name)
    return match.group(1) if match else name


def header_currency(header):
    """The currency code a header names ('Amount (USD)' -> 'USD'), or None;
    two different codes are refused."""
    codes = set()
    for name in header:
        match = _CURRENCY_SUFFIX.match((name or "").strip())
        if match:
            codes.add(match.group(2))
    if len(codes) > 1:
        raise ValueError(f"the header names several currencies: {sorted(codes)}")
    return codes.pop() if codes else None


def detect_source(header):
    """'harvest', 'toggl', 'clockify' or 'generic' from the header cells."""
    names = {normal_column(cell).casefold() for cell in header}
    for key, source in SOURCES.items():
        if all(column.casefold() in names for column in source["signature"]):
            return key
    return "generic"


class MissingColumns(ValueError):
    def __init__(self, missing, found):
        self.missing, self.found = missing, found
        super().__init__(
            f"The file lacks the required columns {', '.join(missing)}; it has "
            f"{', '.join(found) or 'no columns'}. Choose its source, or map "
            "these columns in the source's mapping (column map)."
        )


def column_map(source, header, generic_map=None):
    """{field: column index} of the header for `source`; for 'generic', from
    generic_map ({field: column name}, the user's template). Raises
    MissingColumns naming the missing columns and those found."""
    cells = [normal_column(cell) for cell in header]
    index = {cell.casefold(): position for position, cell in enumerate(cells)}
    if source == "generic":
        columns = {
            field: (name,) for field, name in (generic_map or {}).items() if name
        }
        required = GENERIC_REQUIRED
    else:
        columns, required = SOURCES[source]["columns"], SOURCES[source]["required"]
    found = {}
    for field, names in columns.items():
        for name in names:
            position = index.get(normal_column(name).casefold())
            if position is not None:
                found[field] = position
                break
    missing = [
        " / ".join(columns.get(field, (field,)))
        for field in required
        if field not in found
    ]
    if source == "generic" and "person" not in found and "email" not in found:
        missing.append("person / email")
    if missing:
        raise MissingColumns(missing, [cell for cell in cells if cell])
    return found
