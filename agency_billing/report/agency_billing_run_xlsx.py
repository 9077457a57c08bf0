"""A billing run as a spreadsheet, for the review meeting.

Four sheets: one row per engagement of the run (raw and billed hours, amount,
adjustments, checks, invoices), one row per entry the run holds or excluded (raw
and billed hours, rate and where it comes from, invoice, why it was excluded),
the write-ups and write-downs, and the checks with their owners.

The entries are read with one query and their names with one read per model
(people, projects, tasks, rate lines, invoices), so a run of 100,000 entries
exports without a query per entry; the workbook is written row by row
(xlsxwriter's constant-memory mode).
"""

import io
from collections import namedtuple

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import xlsxwriter

from ..models.billing_status import invoiced_sql
from ..models.explanations import terms_notes

BILLING = "agency_timesheet.group_agency_billing"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# kind of a column: text, date, int, hours, rate, amount
Column = namedtuple("Column", "header kind width")


class AgencyBillingRunXlsx(models.AbstractModel):
    _name = "agency.billing.run.xlsx"
    _description = "Agency Billing Run Spreadsheet"

    @api.model
    def _agency_download(self, run):
        """Build the run's workbook, keep it as an attachment of the run and
        return the action that downloads it."""
        run.ensure_one()
        self._agency_check_access(run)
        name = self.env._("%(run)s billing review.xlsx", run=run.name.replace("/", "-"))
        data = self._agency_workbook(run)
        Attachment = self.env["ir.attachment"]
        # The latest export replaces the previous one: the run is the record.
        Attachment.search(
            [
                ("res_model", "=", run._name),
                ("res_id", "=", run.id),
                ("name", "=", name),
            ]
        ).unlink()
        attachment = Attachment.create(
            {
                "name": name,
                "type": "binary",
                "raw": data,
                "mimetype": XLSX_MIMETYPE,
                "res_model": run._name,
                "res_id": run.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    @api.model
    def _agency_check_access(self, run):
        """Rates and amounts are for Billing: the entries are read in SQL
        below, so the rights are checked here, once."""
        if not self.env.su and not self.env.user.has_group(BILLING):
            raise AccessError(
                self.env._(
                    "Only Billing users export billing runs: rates and amounts "
                    "are in them. Ask a Billing user for the spreadsheet."
                )
            )
        run.check_access("read")

    @api.model
    def _agency_workbook(self, run):
        if xlsxwriter is None:
            raise UserError(
                self.env._(
                    "The Python library xlsxwriter is missing: install it to "
                    "export billing runs."
                )
            )
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        workbook.set_properties(
            {"title": run.name, "subject": self.env._("Billing review")}
        )
        formats = {
            "header": workbook.add_format({"bold": True, "bottom": 1}),
            "total": workbook.add_format(
                {"bold": True, "top": 1, "num_format": "#,##0.00"}
            ),
            "total_int": workbook.add_format({"bold": True, "top": 1}),
            "text": workbook.add_format({"valign": "top"}),
            "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "int": workbook.add_format({"num_format": "0"}),
            "hours": workbook.add_format({"num_format": "0.00"}),
            "rate": workbook.add_format({"num_format": "#,##0.00"}),
            "amount": workbook.add_format({"num_format": "#,##0.00"}),
        }
        self._agency_sheet_engagements(workbook, formats, run)
        self._agency_sheet_entries(workbook, formats, run)
        self._agency_sheet_adjustments(workbook, formats, run)
        self._agency_sheet_checks(workbook, formats, run)
        workbook.close()
        return output.getvalue()

    # -- writing a sheet --

    @api.model
    def _agency_write_sheet(self, workbook, formats, title, columns, rows, totals=()):
        """A sheet: bold frozen headers with an autofilter, one row per item
        of rows (tuples in the order of columns; None leaves a cell empty),
        then a totals row (SUBTOTAL, so filters change it) under the columns
        whose index is in totals."""
        sheet = workbook.add_worksheet(title)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width)
        sheet.write_row(0, 0, [column.header for column in columns], formats["header"])
        sheet.freeze_panes(1, 0)
        writers = {
            "text": (sheet.write_string, formats["text"]),
            "wrap": (sheet.write_string, formats["wrap"]),
            "date": (sheet.write_datetime, formats["date"]),
            "int": (sheet.write_number, formats["int"]),
            "hours": (sheet.write_number, formats["hours"]),
            "rate": (sheet.write_number, formats["rate"]),
            "amount": (sheet.write_number, formats["amount"]),
        }
        cells = [writers[column.kind] for column in columns]
        sums = dict.fromkeys(totals, 0.0)
        row_index = 0
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None or value is False or value == "":
                    continue
                write, cell_format = cells[col]
                write(row_index, col, value, cell_format)
                if col in sums:
                    sums[col] += value
        last = max(row_index, 1)
        sheet.autofilter(0, 0, last, len(columns) - 1)
        if totals and row_index:
            total_row = row_index + 1
            sheet.write_string(total_row, 0, self.env._("Total"), formats["total_int"])
            for col in sorted(totals):
                letter = xlsxwriter.utility.xl_col_to_name(col)
                cell_format = (
                    formats["total_int"]
                    if columns[col].kind == "int"
                    else formats["total"]
                )
                sheet.write_formula(
                    total_row,
                    col,
                    f"=SUBTOTAL(9,{letter}2:{letter}{row_index + 1})",
                    cell_format,
                    round(sums[col], 6),
                )
        return sheet

    @api.model
    def _agency_move_label(self, move):
        """'INV/2026/00042', or 'Draft Invoice (* 42)' before it has a number
        (drafts have no name to tell them apart)."""
        if not move:
            return ""
        if move.name and move.name != "/":
            return move.name
        return f"{move.display_name} (* {move.id})"

    @api.model
    def _agency_labels(self, model, field):
        Model = self.env[model]
        return dict(Model._fields[field]._description_selection(self.env))

    # -- the sheets --

    @api.model
    def _agency_sheet_engagements(self, workbook, formats, run):
        _ = self.env._
        columns = [
            Column(_("Engagement"), "text", 28),
            Column(_("Client"), "text", 24),
            Column(_("Billing Owner"), "text", 18),
            Column(_("Rounding"), "text", 20),
            Column(_("Entries"), "int", 9),
            Column(_("Raw Hours"), "hours", 11),
            Column(_("Billed Hours"), "hours", 11),
            Column(_("Billed − Raw"), "hours", 11),
            Column(_("Amount"), "amount", 13),
            Column(_("Adjustments"), "amount", 13),
            Column(_("Total"), "amount", 13),
            Column(_("Currency"), "text", 9),
            Column(_("Blocking Checks"), "int", 9),
            Column(_("Warnings"), "int", 9),
            Column(_("State"), "text", 12),
            Column(_("Invoices"), "text", 24),
        ]
        states = self._agency_labels("agency.billing.run.line", "state")
        lines = run.line_ids
        rows = [
            (
                line.engagement_id.display_name,
                line.partner_id.display_name,
                line.user_id.name,
                line.rounding,
                line.entry_count,
                line.raw_hours,
                line.billed_hours,
                round(line.billed_hours - line.raw_hours, 6),
                line.amount,
                line.adjustment_amount,
                line.total,
                line.currency_id.name,
                line.blocking_count,
                line.warning_count,
                states.get(line.state, ""),
                ", ".join(self._agency_move_label(move) for move in line.invoice_ids),
            )
            for line in lines
        ]
        totals = {4, 5, 6, 7, 12, 13}
        if len(lines.currency_id) == 1:
            totals |= {8, 9, 10}
        return self._agency_write_sheet(
            workbook, formats, _("Engagements"), columns, rows, totals
        )

    @api.model
    def _agency_entry_rows(self, run):
        """The entries the run holds (invoiced or not) and those excluded from
        it, in one query: [dict]."""
        # SQL: the export reads every column of the run's entries in one
        # query, ordered by engagement (a report read).
        self.env["account.analytic.line"].flush_model()
        self.env["account.move"].flush_model(["state"])
        self.env["project.project"].flush_model(["agency_engagement_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, line.date, line.employee_id, line.role_id,
                       line.project_id, line.task_id, line.name,
                       line.unit_amount, line.agency_billed_hours,
                       line.agency_bill_rate, line.agency_rate_currency_id,
                       line.agency_billed_amount, line.agency_rate_state,
                       line.agency_rate_id, line.agency_invoice_line_id,
                       %(invoiced)s AS invoiced,
                       line.agency_run_id IS NULL AS excluded,
                       line.agency_excluded_reason, line.agency_rounding_note,
                       line.agency_multiplier_label,
                       project.agency_engagement_id
                  FROM account_analytic_line line
                  JOIN project_project project ON project.id = line.project_id
                 WHERE line.agency_run_id = %(run)s
                    OR (line.agency_run_id IS NULL
                        AND line.agency_excluded_run_id = %(run)s)
              ORDER BY project.agency_engagement_id, line.date, line.id
                """,
                run=run.id,
                invoiced=invoiced_sql("line"),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _agency_names(self, model, ids, field="display_name"):
        """{id: name} for the records of model with these ids, in one read."""
        ids = {id_ for id_ in ids if id_}
        if not ids:
            return {}
        records = self.env[model].sudo().browse(ids)
        return {record.id: record[field] or "" for record in records}

    @api.model
    def _agency_sheet_entries(self, workbook, formats, run):
        _ = self.env._
        columns = [
            Column(_("Engagement"), "text", 24),
            Column(_("Date"), "date", 11),
            Column(_("Person"), "text", 18),
            Column(_("Role"), "text", 14),
            Column(_("Project"), "text", 24),
            Column(_("Task"), "text", 20),
            Column(_("Note"), "text", 30),
            Column(_("Raw Hours"), "hours", 10),
            Column(_("Billed Hours"), "hours", 10),
            Column(_("Billed − Raw"), "hours", 10),
            Column(_("Bill Rate"), "rate", 10),
            Column(_("Rate Currency"), "text", 9),
            Column(_("Billed Amount"), "amount", 13),
            Column(_("Rate Source"), "text", 40),
            Column(_("Invoice"), "text", 20),
            Column(_("Excluded Because"), "text", 30),
            Column(_("Rounding"), "text", 40),
            Column(_("Multiplier"), "text", 16),
            Column(_("Discount"), "text", 30),
            Column(_("Contract Rate"), "text", 30),
        ]
        rows = self._agency_entry_rows(run)
        terms = terms_notes(
            self.env["account.analytic.line"].browse([r["id"] for r in rows])
        )
        engagements = self._agency_names(
            "agency.engagement", (r["agency_engagement_id"] for r in rows)
        )
        people = self._agency_names("hr.employee", (r["employee_id"] for r in rows))
        roles = self._agency_names("agency.role", (r["role_id"] for r in rows))
        projects = self._agency_names(
            "project.project", (r["project_id"] for r in rows)
        )
        tasks = self._agency_names("project.task", (r["task_id"] for r in rows), "name")
        currencies = self._agency_names(
            "res.currency", (r["agency_rate_currency_id"] for r in rows), "name"
        )
        # Rate lines in words once per line; entries without one say why.
        rates = self._agency_names(
            "agency.rate",
            (r["agency_rate_id"] for r in rows if r["agency_rate_state"] == "priced"),
        )
        unpriced = [r["id"] for r in rows if r["agency_rate_state"] != "priced"]
        reasons = {
            line.id: line.agency_rate_reason or ""
            for line in self.env["account.analytic.line"].sudo().browse(unpriced)
        }
        invoice_lines = {r["agency_invoice_line_id"] for r in rows if r["invoiced"]}
        invoice_lines.discard(None)
        invoices = {
            line.id: self._agency_move_label(line.move_id)
            for line in self.env["account.move.line"].sudo().browse(invoice_lines)
        }

        def table():
            for row in rows:
                excluded = row["excluded"]
                raw = row["unit_amount"] or 0.0
                billed = None if excluded else (row["agency_billed_hours"] or 0.0)
                if row["agency_rate_state"] == "priced":
                    source = rates.get(row["agency_rate_id"], "")
                else:
                    source = reasons.get(row["id"], "")
                priced = row["agency_rate_state"] == "priced"
                yield (
                    engagements.get(row["agency_engagement_id"], ""),
                    row["date"],
                    people.get(row["employee_id"], ""),
                    roles.get(row["role_id"], ""),
                    projects.get(row["project_id"], ""),
                    tasks.get(row["task_id"], ""),
                    row["name"] or "",
                    raw,
                    billed,
                    None if excluded else round(billed - raw, 6),
                    row["agency_bill_rate"] if priced else None,
                    currencies.get(row["agency_rate_currency_id"], ""),
                    None if excluded else (row["agency_billed_amount"] or 0.0),
                    source,
                    invoices.get(row["agency_invoice_line_id"], "")
                    if row["invoiced"]
                    else "",
                    row["agency_excluded_reason"] if excluded else "",
                    "" if excluded else (row["agency_rounding_note"] or ""),
                    "" if excluded else (row["agency_multiplier_label"] or ""),
                    *(("", "") if excluded else terms.get(row["id"], ("", ""))),
                )

        totals = {7, 8, 9}
        if len({r["agency_rate_currency_id"] for r in rows} - {None}) <= 1:
            totals.add(12)
        return self._agency_write_sheet(
            workbook, formats, _("Entries"), columns, table(), totals
        )

    @api.model
    def _agency_sheet_adjustments(self, workbook, formats, run):
        _ = self.env._
        columns = [
            Column(_("Engagement"), "text", 24),
            Column(_("Entry"), "text", 34),
            Column(_("Direction"), "text", 12),
            Column(_("Reason"), "text", 14),
            Column(_("Note"), "text", 34),
            Column(_("Basis"), "text", 9),
            Column(_("Hours"), "hours", 9),
            Column(_("Rate"), "rate", 10),
            Column(_("Effect"), "amount", 12),
            Column(_("Currency"), "text", 9),
            Column(_("Decided By"), "text", 18),
            Column(_("Invoice"), "text", 20),
        ]
        Adjustment = "agency.billing.adjustment"
        directions = self._agency_labels(Adjustment, "direction")
        reasons = self._agency_labels(Adjustment, "reason")
        bases = self._agency_labels(Adjustment, "basis")
        adjustments = run.adjustment_ids
        rows = [
            (
                adjustment.engagement_id.display_name,
                adjustment.entry_id.sudo()._agency_describe()
                if adjustment.entry_id
                else _("Whole engagement"),
                directions.get(adjustment.direction, ""),
                reasons.get(adjustment.reason, ""),
                adjustment.note or "",
                bases.get(adjustment.basis, ""),
                adjustment.hours if adjustment.basis == "hours" else None,
                adjustment.price_unit if adjustment.basis == "hours" else None,
                adjustment.signed_amount,
                adjustment.currency_id.name,
                adjustment.user_id.name or "",
                self._agency_move_label(adjustment.invoice_line_id.move_id),
            )
            for adjustment in adjustments
        ]
        totals = {6} if len(adjustments.currency_id) > 1 else {6, 8}
        return self._agency_write_sheet(
            workbook, formats, _("Adjustments"), columns, rows, totals
        )

    @api.model
    def _agency_sheet_checks(self, workbook, formats, run):
        _ = self.env._
        columns = [
            Column(_("Engagement"), "text", 24),
            Column(_("Severity"), "text", 10),
            Column(_("Check"), "text", 24),
            Column(_("Message"), "wrap", 70),
            Column(_("Owner"), "text", 18),
            Column(_("Entries"), "int", 9),
            Column(_("State"), "text", 13),
        ]
        Check = "agency.billing.check"
        severities = self._agency_labels(Check, "severity")
        codes = self._agency_labels(Check, "code")
        states = self._agency_labels(Check, "state")
        rows = [
            (
                check.engagement_id.display_name,
                severities.get(check.severity, ""),
                codes.get(check.code, ""),
                check.message or "",
                check.owner_id.name or "",
                check.entry_count,
                states.get(check.state, ""),
            )
            for check in run.check_ids
        ]
        return self._agency_write_sheet(workbook, formats, _("Checks"), columns, rows)
