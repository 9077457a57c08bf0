"""One slice of one imported file: the migration's unit of work and of undo.

A batch holds the file (and its checksum), the source and reading options,
the slice (all, a month, a client), the counts and totals of its dry run and
of its import, its rejected rows and what it created. Administrators run its
steps from the wizard or over JSON-RPC (``action_dry_run``, ``action_import``,
``action_rollback``, ``action_answer``): each public method checks the caller
first, then the work is import_engine.py's. Large files are queued
(``action_queue``) and imported by the cron job in the background, with
progress.
"""

import base64
import json

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .. import import_engine
from ..importing.report import row_amounts
from ..importing.report_xlsx import workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
from .agency_import_template import (
    DATE_FORMAT_SELECTION,
    DECIMAL_SELECTION,
    PENDING_SELECTION,
    SLICE_SELECTION,
    SOURCE_SELECTION,
)

ADMIN = "agency_timesheet.group_agency_admin"
STATES = [
    ("new", "New"),
    ("question", "Needs an answer"),
    ("error", "Refused"),
    ("checked", "Dry run done"),
    ("queued", "Queued"),
    ("done", "Imported"),
    ("rolled_back", "Rolled back"),
]


class AgencyImportBatch(models.Model):
    _name = "agency.import.batch"
    _description = "Import batch"
    _check_company_auto = True
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    template_id = fields.Many2one(
        "agency.import.template",
        string="Mapping",
        check_company=True,
        help="The source's remembered mapping (created by the first dry run).",
    )
    file = fields.Binary(attachment=True, required=True)
    filename = fields.Char()
    checksum = fields.Char(compute="_compute_checksum", store=True, readonly=True)
    source = fields.Selection(
        SOURCE_SELECTION, help="Detected from the header when empty; overridable."
    )
    date_format = fields.Selection(DATE_FORMAT_SELECTION)
    decimal_mark = fields.Selection(DECIMAL_SELECTION)
    tz = fields.Char(string="Time Zone", help="Of the file's start and end times.")
    sheet = fields.Char(help="The XLSX sheet that holds the entries.")
    slice_kind = fields.Selection(
        SLICE_SELECTION,
        string="Slice",
        required=True,
        default="all",
    )
    slice_month = fields.Char(help="YYYY-MM")
    slice_client = fields.Char(help="The client's name as the file writes it.")
    pending_state = fields.Selection(
        PENDING_SELECTION,
        string="Unapproved rows as",
        required=True,
        default="draft",
        help="How rows the source did not approve come in.",
    )
    skip_rejected = fields.Boolean(
        string="Import without the rejected rows",
        help="Leave the rejected rows out (listed here) rather than refusing "
        "the slice.",
    )
    state = fields.Selection(STATES, required=True, default="new", readonly=True)
    message = fields.Text(readonly=True)
    question_kind = fields.Char(readonly=True)
    question_choices = fields.Char(readonly=True)
    answer = fields.Char(help="Your choice among the choices of the question.")
    row_count = fields.Integer(string="Rows", readonly=True)
    accepted_count = fields.Integer(string="Accepted", readonly=True)
    new_count = fields.Integer(string="New", readonly=True)
    already_count = fields.Integer(string="Already There", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    created_count = fields.Integer(string="Entries Created", readonly=True)
    create_summary = fields.Char(string="Would Create", readonly=True)
    file_hours = fields.Float(readonly=True)
    odoo_hours = fields.Float(readonly=True)
    report_json = fields.Text(readonly=True)
    report_html = fields.Html(compute="_compute_report_html", sanitize=False)
    mapping_ids = fields.One2many(
        related="template_id.mapping_ids", readonly=False, string="Mapping Lines"
    )
    reject_ids = fields.One2many("agency.import.reject", "batch_id", readonly=True)
    record_ids = fields.One2many("agency.import.record", "batch_id", readonly=True)
    imported_by_id = fields.Many2one("res.users", readonly=True)
    imported_on = fields.Datetime(readonly=True)
    progress_done = fields.Integer(readonly=True)
    progress_total = fields.Integer(readonly=True)

    @api.depends("filename", "source", "slice_kind", "slice_month", "slice_client")
    def _compute_name(self):
        for batch in self:
            part = {
                "month": batch.slice_month,
                "client": batch.slice_client,
            }.get(batch.slice_kind) or self.env._("all")
            batch.name = f"{batch.filename or self.env._('file')} ({part})"

    @api.depends("file")
    def _compute_checksum(self):
        for batch in self:
            batch.checksum = (
                import_engine.checksum(
                    base64.b64decode(batch.with_context(bin_size=False).file)
                )
                if batch.file
                else False
            )

    @api.depends("report_json")
    def _compute_report_html(self):
        for batch in self:
            batch.report_html = self._report_table(
                json.loads(batch.report_json or "[]")
            )

    # -- actions: each checks the caller, then the engine works as superuser --

    def _check_importer(self):
        if not self.env.user.has_group(ADMIN) and not self.env.su:
            raise AccessError(
                self.env._(
                    "Only Agency administrators import time history (batch %s).",
                    ", ".join(self.mapped("name")),
                )
            )

    def action_dry_run(self):
        """Read and map the file, list rejected rows, count and total: no
        entry is written."""
        self._check_importer()
        for batch in self:
            if batch.state in ("done", "queued"):
                raise UserError(
                    self.env._(
                        "Batch %s is imported: roll it back, or start a new batch.",
                        batch.name,
                    )
                )
            import_engine.dry_run(batch.sudo())
        return True

    def action_answer(self, answer=None):
        """Answer the file's question (date format, decimal mark, sheet) and
        run the dry run again."""
        self._check_importer()
        for batch in self:
            choice = answer or batch.answer
            choices = (batch.question_choices or "").split(",")
            if batch.state != "question" or choice not in choices:
                raise UserError(
                    self.env._(
                        "Batch %(batch)s: answer one of %(choices)s.",
                        batch=batch.name,
                        choices=", ".join(choices)
                        or self.env._("nothing (no question)"),
                    )
                )
            field = batch.question_kind  # date_format, decimal_mark or sheet
            batch.write({field: choice, "answer": False})
            if batch.question_kind in ("date_format", "decimal_mark"):
                batch.template_id.write({field: choice})
        return self.action_dry_run()

    def action_import(self):
        """Import the slice, all or nothing."""
        self._check_importer()
        for batch in self:
            batch._check_importable()
            with self.env.cr.savepoint():
                import_engine.run_import(batch.sudo())
        return True

    def action_queue(self):
        """Import in the background (the cron job), with progress."""
        self._check_importer()
        for batch in self:
            batch._check_importable()
        self.sudo().write({"state": "queued", "progress_done": 0})
        self.env.ref("agency_timesheet.ir_cron_agency_import")._trigger()
        return True

    def action_rollback(self):
        """Remove exactly what the batch created."""
        self._check_importer()
        for batch in self:
            if batch.state != "done":
                raise UserError(
                    self.env._(
                        "Batch %s is not imported: nothing to roll back.", batch.name
                    )
                )
            with self.env.cr.savepoint():
                import_engine.rollback(batch.sudo())
        return True

    def action_export_xlsx(self):
        """The side-by-side report and the rejected rows as a spreadsheet."""
        self._check_importer()
        self.ensure_one()
        data = workbook(
            json.loads(self.report_json or "[]"),
            [(r.line, r.column, r.value, r.reason) for r in self.reject_ids],
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("%s side by side.xlsx", self.name),
                "type": "binary",
                "raw": data,
                "mimetype": XLSX_MIMETYPE,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_next_slice(self):
        """A new batch of the same file for another slice."""
        self._check_importer()
        self.ensure_one()
        batch = self.copy({"state": "new", "template_id": self.template_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": batch.id,
            "view_mode": "form",
        }

    def _check_importable(self):
        self.ensure_one()
        if self.state != "checked":
            raise UserError(
                self.env._(
                    "Batch %(batch)s: run the dry run first (it is %(state)s).",
                    batch=self.name,
                    state=dict(STATES)[self.state],
                )
            )
        if self.slice_kind == "month" and not self.slice_month:
            raise UserError(
                self.env._("Batch %s: say which month (YYYY-MM).", self.name)
            )

    # -- the cron job --

    @api.model
    def _cron_import(self):
        """Import the queued batches, one per run; a failed batch is refused
        whole and says why."""
        batch = self.sudo().search([("state", "=", "queued")], limit=1, order="id")
        if not batch:
            return
        batch.state = "checked"
        try:
            with self.env.cr.savepoint():
                import_engine.run_import(batch)
        except UserError as error:
            batch.write({"state": "checked", "message": str(error)})
        remaining = self.sudo().search_count([("state", "=", "queued")])
        self.env["ir.cron"]._notify_progress(done=1, remaining=remaining)

    def _notify_import_progress(self, done, total):
        self.write({"progress_done": done, "progress_total": total})

    # -- extension hooks (agency_billing) --

    def _agency_import_state(self, row):
        """The state a row comes in with: approved when the source approved
        it, else the batch's choice (agency_billing: invoiced rows approved)."""
        if row.approved:
            return "approved"
        return self.pending_state

    def _agency_import_entry_values(self, row, vals):
        return vals

    def _agency_import_record_values(self, row):
        amount, cost = row_amounts(row)
        return {"billable": row.billable, "billable_amount": amount, "cost": cost}

    def _agency_rollback_blockers(self, lines):
        """Why the entries cannot be removed (text naming them), or ''."""
        return ""

    def _agency_before_rollback(self, lines):
        """Hook: undo what the import marked on its entries before they go."""

    # -- the report --

    def _report_table(self, rows):
        if not rows:
            return False
        head = "".join(
            f"<th>{label}</th>"
            for label in (
                "Month", "Client", "Project", "Person", "Hours (file)", "Hours (Odoo)",
                "Billable h (file)", "Billable h (Odoo)", "Amount (file)",
                "Amount (Odoo)", "Cost (file)", "Cost (Odoo)",
            )
        )  # fmt: skip
        body = []
        for row in rows:
            cells = [row["month"], row["client"], row["project"], row["person"]]
            for name in ("hours", "billable_hours", "billable_amount", "cost"):
                cells += [f"{row['file_' + name]:.2f}", f"{row['odoo_' + name]:.2f}"]
            style = "" if row["same"] else ' class="table-warning"'
            body.append(
                f"<tr{style}>"
                + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
                + "</tr>"
            )
        return (
            '<table class="table table-sm"><thead><tr>'
            + head
            + "</tr></thead><tbody>"
            + "".join(body)
            + "</tbody></table>"
        )
