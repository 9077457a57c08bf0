"""The board pack's sections as plain tables, and its workbook: pure (plain
values in, bytes out; tested directly in tests/test_board_pack.py).

Each section is ``{"key", "title", "header": [labels], "rows": [[values]]}``;
the XLSX has one sheet per section and the PDF (QWeb,
report/agency_board_pack_report.xml) one table per section, from the same
sections, so both show the same numbers.
"""

from odoo.addons.agency_timesheet import xlsx

from . import forecast_accuracy as fa

SECTIONS = (
    ("margins", "Margins summary"),
    ("utilization", "Utilization by role"),
    ("scenarios", "Scenarios with assumptions"),
    ("runway", "Cash runway"),
    ("accuracy", "Forecast accuracy"),
    ("warnings", "Top warnings"),
)
# XLSX sheet titles: at most 31 characters
TITLES = dict(SECTIONS)


def section(key, header, rows, title=None):
    return {
        "key": key,
        "title": title or TITLES[key],
        "header": list(header),
        "rows": [list(row) for row in rows],
    }


def money(value):
    return round(value or 0.0, 2)


def margins_rows(kpis_by_kind, kind_labels):
    """Rows per engagement kind then Total: kind, revenue, cost, margin,
    margin %, hours, billable share % (kpis of profitability.kpis)."""
    rows = []
    for kind, kpis in kpis_by_kind:
        rows.append(
            [
                kind_labels.get(kind, kind or "—"),
                money(kpis["revenue"]),
                money(kpis["cost"]),
                money(kpis["margin"]),
                _pct(kpis["margin_percent"]),
                round(kpis["hours"] or 0.0, 2),
                _pct(kpis["billable_share"]),
            ]
        )
    return rows


def utilization_rows(roles):
    """Rows per role of the heatmap: role, capacity, logged, booked,
    tentative hours, booked % of capacity."""
    rows = []
    for role in roles:
        sums = {f: sum(role["figures"].get(f, {}).values()) for f in (
            "capacity", "logged", "booked", "tentative")}  # fmt: skip
        rows.append(
            [
                role["name"],
                round(sums["capacity"], 2),
                round(sums["logged"], 2),
                round(sums["booked"], 2),
                round(sums["tentative"], 2),
                fa.utilization_percent(sums["booked"], sums["capacity"]),
            ]
        )
    return rows


def scenario_rows(scenarios, lever_names):
    """Rows per scenario: name, the levers, revenue, billings and cash in
    over the 12 months, lowest balance and its week, assumptions."""
    return [
        [
            s["name"],
            *[_plain(s["levers"].get(name)) for name in lever_names],
            money(s["revenue"]["total"]),
            money(s["billings"]["total"]),
            money(s["cash"]["total"]),
            money(s["lowest_balance"]["amount"]),
            s["lowest_balance"]["date"] or "",
            s.get("note") or "",
        ]
        for s in scenarios
    ]


def runway_rows(months, scenarios):
    """Rows per month: month, then each scenario's net cash and balance."""
    rows = []
    for index, month in enumerate(months):
        row = [month]
        for s in scenarios:
            row += [
                money(s["net_cash"]["months"][index]),
                money(s["balance"]["months"][index]),
            ]
        rows.append(row)
    return rows


def accuracy_rows(snapshots):
    """Rows per snapshot, figure and month: snapshot, figure, month,
    forecast, actual, difference, error %."""
    return [
        [
            name,
            row["figure"],
            str(row["month"]),
            row["forecast"],
            row["actual"],
            row["difference"],
            row["error"] if row["error"] is not None else "",
        ]
        for name, rows in snapshots
        for row in rows
    ]


def workbook(sections):
    """The XLSX bytes: one sheet per section."""
    return xlsx.workbook([(s["title"][:31], s["header"], s["rows"]) for s in sections])


def _pct(value):
    return round(value, 1) if value is not None else ""


def _plain(value):
    return "" if value is None or value is False else value
