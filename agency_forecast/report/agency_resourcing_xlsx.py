"""The heatmap as a spreadsheet, for the resourcing meeting (xlsxwriter).

Three sheets: the grid (roles, their people and placeholders by week, each
cell the hours and the % of capacity, coloured in the heatmap's bands), the
deadlines of the visible projects by week, and the staffing signals standing
(agency.warning's staffing rules the reader may see). Read from the same
one-call grid as the screen (heatmap.py), so it shows what the screen shows.
"""

import base64
import io
from datetime import date

from odoo import api, models
from odoo.tools.misc import xlsxwriter

from .. import capacity as cap
from .. import warning_rules as rules

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLOURS = {
    "under": "#dbe9f6",
    "on": "#c7ecc9",
    "over": "#ffe2a8",
    "overbooked": "#f5a3a3",
    "none": "#ffffff",
    "placeholder": "#dddddd",
}


class AgencyResourcingXlsx(models.AbstractModel):
    _name = "agency.resourcing.xlsx"
    _description = "Agency Resourcing Spreadsheet"

    @api.model
    def agency_download(self, first=None, weeks=17, filters=None, tentative=True):
        """Build the workbook, keep it as the reader's own attachment and
        return the action that downloads it."""
        data = self.env["agency.capacity"].agency_heatmap_data(first, weeks, filters)
        name = self.env._("Resourcing %(first)s.xlsx", first=data["first"])
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "type": "binary",
                "datas": base64.b64encode(self._agency_workbook(data, tentative)),
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    @api.model
    def _agency_workbook(self, data, tentative=True):
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = book.add_format({"bold": True})
        fills = {
            kind: book.add_format(
                {"bg_color": colour, "border": 1, "num_format": "0.0"}
            )
            for kind, colour in COLOURS.items()
        }
        weeks = [c for c in data["columns"] if c["kind"] == "week"]
        sheet = book.add_worksheet(self.env._("Heatmap"))
        sheet.set_column(0, 0, 28)
        sheet.write(0, 0, self.env._("Role / person"), bold)
        for index, column in enumerate(weeks):
            sheet.set_column(1 + 2 * index, 2 + 2 * index, 8)
            sheet.write(0, 1 + 2 * index, column["start"], bold)
            sheet.write(0, 2 + 2 * index, "%", bold)
        row_index = 1
        for role in data["roles"]:
            rows = [(role["name"], role["figures"], False)]
            rows += [(f"  {p['name']}", p["figures"], False) for p in role["people"]]
            if role["placeholder"]:
                rows.append(
                    (
                        f"  {role['name']} · {self.env._('to find')}",
                        role["placeholder"],
                        True,
                    )
                )
            for label, figures, placeholder in rows:
                sheet.write(
                    row_index, 0, label, bold if label == role["name"] else None
                )
                for index, column in enumerate(weeks):
                    key = column["key"]
                    capacity = figures["capacity"].get(key, 0.0)
                    load = figures["load"].get(key, 0.0)
                    if tentative:
                        load += figures["tentative_load"].get(key, 0.0)
                    pct = cap.utilization(load, capacity)
                    kind = (
                        "placeholder"
                        if placeholder
                        else cap.band(pct, role["low"], role["high"])
                    )
                    if not capacity and load:
                        kind = "placeholder" if placeholder else "overbooked"
                    sheet.write_number(row_index, 1 + 2 * index, load, fills[kind])
                    sheet.write(
                        row_index,
                        2 + 2 * index,
                        pct if pct is not None else "",
                        fills[kind],
                    )
                row_index += 1
        deadlines = book.add_worksheet(self.env._("Deadlines"))
        headers = (
            self.env._("Week"),
            self.env._("Date"),
            self.env._("Kind"),
            self.env._("Deadline"),
            self.env._("Project"),
        )
        for col, header in enumerate(headers):
            deadlines.write(0, col, header, bold)
        for index, deadline in enumerate(data["deadlines"], start=1):
            week = str(cap.monday(date.fromisoformat(deadline["date"])))
            for col, value in enumerate(
                (
                    week,
                    deadline["date"],
                    deadline["kind"],
                    deadline["name"],
                    deadline["project"],
                )
            ):
                deadlines.write(index, col, value)
        signals = book.add_worksheet(self.env._("Signals"))
        warnings = self.env["agency.warning"].search(
            [("rule", "in", list(rules.STAFFING_RULES)), ("state", "!=", "resolved")]
        )
        headers = (
            self.env._("Signal"),
            self.env._("Severity"),
            self.env._("Since"),
            self.env._("Owner"),
            self.env._("Message"),
        )
        for col, header in enumerate(headers):
            signals.write(0, col, header, bold)
        signals.set_column(4, 4, 100)
        for index, warning in enumerate(warnings, start=1):
            for col, value in enumerate(
                (
                    warning.name,
                    warning.severity,
                    str(warning.first_seen),
                    warning.owner_id.name or "",
                    warning.message or "",
                )
            ):
                signals.write(index, col, value)
        book.close()
        return output.getvalue()
