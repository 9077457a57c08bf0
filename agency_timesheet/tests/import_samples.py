"""The sample files of data/import/ and small files built in the tests."""

import os

SAMPLES = os.path.join(
    os.path.dirname(__file__), os.pardir, os.pardir, "data", "import"
)
GENERIC_CSV_MAP = {
    "date": "Day",
    "person": "Staff",
    "email": "Mail",
    "client": "Customer",
    "project": "Job",
    "project_code": "Job code",
    "task": "Work",
    "notes": "Comment",
    "duration": "Time",
}
GENERIC_XLSX_MAP = {
    "date": "Date",
    "person": "Person",
    "email": "Email",
    "client": "Client",
    "project": "Project",
    "task": "Task",
    "duration": "Hours",
    "billable": "Billable",
}


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as handle:
        return handle.read()


HARVEST_HEADER = (
    "Date,Client,Project,Project Code,Task,Notes,Hours,Hours Rounded,Billable?,"
    "Invoiced?,Approved?,First Name,Last Name,Employee Id,Roles,Teams,Employee?,"
    "Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,"
    "External Reference URL"
)


def harvest(*rows, header=HARVEST_HEADER):
    """A Harvest file of `rows` (CSV text lines), UTF-8."""
    return "\n".join([header, *rows, ""]).encode("utf-8")


def harvest_row(
    day="2026-01-05",
    client="ACME Inc",
    project="Brand Refresh",
    hours="1.0",
    first="Mia",
    last="Hart",
    invoiced="No",
    approved="No",
    notes="Work",
    task="Design",
    rate="100.0",
    currency="British Pound - GBP",
    role="Designer",
):
    try:
        amount = f"{float(hours) * float(rate):.2f}"
    except ValueError:
        amount = "0"
    return (
        f"{day},{client},{project},BR-01,{task},{notes},{hours},{hours},Yes,"
        f"{invoiced},{approved},{first},{last},H-1,{role},Studio,Yes,{rate},"
        f"{amount},50.0,50.0,{currency},"
    )
