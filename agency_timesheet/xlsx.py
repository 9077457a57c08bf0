"""Plain spreadsheets (xlsxwriter) for the audit log and the personal data
export, and their download: sheets of rows in, an attachment's URL out."""

import io
from datetime import date, datetime

import xlsxwriter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sheets):
    """The bytes of a workbook of sheets [(title, header, rows)], one row a
    sequence of plain values (text, numbers, dates, None)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for title, header, rows in sheets:
        sheet = book.add_worksheet(title[:31])
        sheet.write_row(0, 0, header, bold)
        sheet.freeze_panes(1, 0)
        for index, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(index, column, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(index, column, value, day)
                elif value is None or value is False:
                    sheet.write_blank(index, column, None)
                else:
                    sheet.write(index, column, value)
    book.close()
    return output.getvalue()


def download(record, name, data):
    """An act_url downloading data as an attachment of record."""
    attachment = (
        record.env["ir.attachment"]
        .sudo()
        .create(
            {
                "name": name,
                "type": "binary",
                "raw": data,
                "mimetype": XLSX_MIMETYPE,
                "res_model": record._name,
                "res_id": record.id,
            }
        )
    )
    return {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "self",
    }
