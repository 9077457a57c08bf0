"""The side-by-side report of an import batch as a spreadsheet: one sheet of
month × client × project × person (file vs Odoo, and the differences), one
of the rejected rows. Plain rows in, the workbook's bytes out."""

import io

import xlsxwriter

from .report import MEASURES

LABELS = {
    "hours": "Hours",
    "billable_hours": "Billable hours",
    "billable_amount": "Billable amount",
    "cost": "Cost",
}


def workbook(rows, rejects):
    """rows: the batch's report rows (dicts as import_engine.report_rows
    writes them); rejects: (line, column, value, reason) tuples."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = book.add_format({"bold": True})
    number = book.add_format({"num_format": "#,##0.00"})
    warn = book.add_format({"num_format": "#,##0.00", "bg_color": "#FFEB9C"})
    sheet = book.add_worksheet("Side by side")
    header = ["Month", "Client", "Project", "Person"]
    for name in MEASURES:
        header += [f"{LABELS[name]} (file)", f"{LABELS[name]} (Odoo)", "Difference"]
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 4)
    for index, row in enumerate(rows, start=1):
        names = [row["month"], row["client"], row["project"], row["person"]]
        sheet.write_row(index, 0, names)
        column = 4
        for name in MEASURES:
            left, right = row[f"file_{name}"], row[f"odoo_{name}"]
            style = number if round(left - right, 2) == 0 else warn
            sheet.write_number(index, column, left, style)
            sheet.write_number(index, column + 1, right, style)
            sheet.write_number(index, column + 2, right - left, style)
            column += 3
    sheet.set_column(0, 3, 18)
    sheet.set_column(4, 3 + 3 * len(MEASURES), 14)
    rejected = book.add_worksheet("Rejected rows")
    rejected.write_row(0, 0, ["Line", "Column", "Value", "Why"], bold)
    for index, reject in enumerate(rejects, start=1):
        rejected.write_row(index, 0, list(reject))
    rejected.set_column(1, 3, 30)
    book.close()
    return output.getvalue()
