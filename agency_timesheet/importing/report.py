"""Side-by-side totals: the file's and Odoo's, per month × client × project
× person, with hours, billable hours, billable amount and cost."""

from collections import defaultdict

MEASURES = ("hours", "billable_hours", "billable_amount", "cost")


def empty():
    return dict.fromkeys(MEASURES, 0.0)


def row_amounts(row):
    """(billable amount, cost) of a reader Row: the file's amounts, else rate
    × hours; a row that is not billable has no billable amount."""
    amount = row.bill_amount
    if amount is None and row.bill_rate is not None:
        amount = row.bill_rate * row.hours
    cost = row.cost_amount
    if cost is None and row.cost_rate is not None:
        cost = row.cost_rate * row.hours
    return (amount or 0.0) if row.billable else 0.0, cost or 0.0


class Totals:
    """Accumulates measures per (month, client, project, person)."""

    def __init__(self):
        self.cells = defaultdict(empty)

    def add(self, month, client, project, person, hours, billable, amount, cost):
        cell = self.cells[(month, client or "", project or "", person or "")]
        cell["hours"] += hours
        cell["billable_hours"] += hours if billable else 0.0
        cell["billable_amount"] += amount or 0.0
        cell["cost"] += cost or 0.0

    def add_row(self, row):
        """Add a reader Row (its amounts: :func:`row_amounts`)."""
        amount, cost = row_amounts(row)
        self.add(
            row.date.strftime("%Y-%m"),
            row.client,
            row.project,
            row.person or row.email,
            row.hours,
            row.billable,
            amount,
            cost,
        )

    def total(self):
        result = empty()
        for cell in self.cells.values():
            for name in MEASURES:
                result[name] += cell[name]
        return result


def side_by_side(file_totals, odoo_totals, digits=2):
    """Rows (month, client, project, person, {measure: (file, odoo)}, same)
    for every key of either side, sorted; `same` when every measure agrees to
    `digits` decimals."""
    keys = sorted(set(file_totals.cells) | set(odoo_totals.cells))
    rows = []
    for key in keys:
        left = file_totals.cells.get(key, empty())
        right = odoo_totals.cells.get(key, empty())
        pairs = {
            name: (round(left[name], digits), round(right[name], digits))
            for name in MEASURES
        }
        rows.append((*key, pairs, all(a == b for a, b in pairs.values())))
    return rows
