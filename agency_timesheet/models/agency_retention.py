"""The retention purge: what each company's policies (retention.py) remove,
previewed and purged from the same list, in batches, each purge audited with
its counts (never the content it removed).

Kinds: suggestions (deleted), notes of stopped timers (blanked: the timer
row stays, with its hours, its dates and its entry, so that a person's own
timer list and the entry it made still agree), descriptions of people who left
in closed periods (anonymised; hours and amounts stay), uploaded import files
(the attachment deleted; the batch, its report and its records stay),
activity events from webhooks (deleted with their raw payloads), audit
rows (deleted through the trigger's one way in, agency.audit_purge).
"""

from datetime import datetime, time

from odoo import api, fields, models
from odoo.tools import SQL

from ..retention import ANONYMISED, BY_CODE, KINDS, cutoff

BATCH = 1000


class AgencyRetention(models.AbstractModel):
    _name = "agency.retention"
    _description = "Agency Retention Purge"

    @api.model
    def _agency_targets(self, company, kinds=None):
        """{kind code: records the next purge removes (or anonymises)} for a
        company; one search per kind."""
        today = fields.Date.context_today(self)
        result = {}
        for kind in KINDS:
            if kinds and kind.code not in kinds:
                continue
            first = cutoff(today, kind, company[kind.field])
            result[kind.code] = getattr(self, f"_agency_targets_{kind.code}")(
                company, first
            )
        return result

    def _agency_targets_suggestion(self, company, first):
        return (
            self.env["agency.suggestion"]
            .sudo()
            .search([("company_id", "=", company.id), ("date", "<", first)])
        )

    def _agency_targets_timer(self, company, first):
        # stopped before the first day kept (a timer stopped in SQL by an
        # older version has no stop time: its last change then), with a note
        before = datetime.combine(first, time.min)
        return (
            self.env["agency.timer"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "stopped"),
                    ("note", "not in", [False, ""]),
                    "|",
                    ("stopped_at", "<", before),
                    "&",
                    ("stopped_at", "=", False),
                    ("write_date", "<", before),
                ]
            )
        )

    def _agency_targets_departed(self, company, first):
        lock = company.agency_timesheet_lock_date
        if not lock:
            return self.env["account.analytic.line"]
        return (
            self.env["account.analytic.line"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("project_id", "!=", False),
                    ("date", "<=", lock),
                    ("employee_id.active", "=", False),
                    ("employee_id.departure_date", "!=", False),
                    ("employee_id.departure_date", "<", first),
                    ("name", "!=", ANONYMISED),
                ]
            )
        )

    def _agency_targets_import_file(self, company, first):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "agency.import.batch"),
                    ("res_field", "=", "file"),
                    ("company_id", "in", [company.id, False]),
                    ("res_id", "in", self._agency_batch_ids(company)),
                    ("create_date", "<", datetime.combine(first, time.min)),
                ]
            )
        )

    def _agency_batch_ids(self, company):
        Batch = self.env["agency.import.batch"].sudo()
        return Batch.search([("company_id", "=", company.id)]).ids

    def _agency_targets_activity(self, company, first):
        return (
            self.env["agency.activity.event"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("create_date", "<", datetime.combine(first, time.min)),
                ]
            )
        )

    def _agency_targets_audit(self, company, first):
        return (
            self.env["agency.audit"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("create_date", "<", datetime.combine(first, time.min)),
                ]
            )
        )

    # -- preview and purge --

    @api.model
    def _agency_preview(self, companies=None, kinds=None):
        """[(company, kind, records)] of what the next purge removes."""
        companies = companies or self.env["res.company"].sudo().search([])
        return [
            (company, BY_CODE[code], records)
            for company in companies
            for code, records in self._agency_targets(company, kinds).items()
        ]

    @api.model
    def _agency_purge(self, companies=None, kinds=None):
        """Remove what the preview lists, in batches; one audit row per company
        and purge with the counts per kind. {(company id, kind): count}."""
        counts, labels = {}, {}
        for company, kind, records in self._agency_preview(companies, kinds):
            counts[company.id, kind.code] = len(records)
            labels[kind.code] = kind.label
            for start in range(0, len(records), BATCH):
                getattr(self, f"_agency_remove_{kind.code}")(
                    records[start : start + BATCH]
                )
        Audit = self.env["agency.audit"]
        for company in {self.env["res.company"].browse(cid) for cid, _k in counts}:
            done = {k: n for (cid, k), n in counts.items() if cid == company.id and n}
            if done:
                Audit.with_company(company)._log_operation(
                    "purge",
                    company,
                    after={labels[code]: count for code, count in done.items()},
                    reason=self.env._("Retention policies of %s", company.name),
                )
        return counts

    @api.model
    def _cron_purge(self):
        self._agency_purge()

    def _agency_remove_suggestion(self, records):
        records.unlink()

    def _agency_remove_timer(self, timers):
        # the note only: state, times, accumulated seconds and entry stay
        timers.write({"note": False})

    def _agency_remove_activity(self, records):
        records.unlink()

    def _agency_remove_import_file(self, records):
        records.unlink()

    def _agency_remove_departed(self, lines):
        # SQL: one bulk UPDATE of a closed period's descriptions, which the
        # entries' guards (locked, approved, invoiced) refuse through write();
        # only the free text changes, told to the ORM as write() would.
        lines.flush_recordset(["name"])
        self.env.cr.execute(
            SQL(
                "UPDATE account_analytic_line SET name = %s WHERE id = ANY(%s)",
                ANONYMISED,
                lines.ids,
            )
        )
        lines.invalidate_recordset(["name"])
        lines.modified(["name"])

    def _agency_remove_audit(self, rows):
        # SQL: the trigger refuses DELETE on audit rows unless this setting is
        # on, set locally (this transaction only) and turned off right after.
        self.env.cr.execute("SET LOCAL agency.audit_purge = 'on'")
        try:
            self.env.cr.execute(
                SQL("DELETE FROM agency_audit WHERE id = ANY(%s)", rows.ids)
            )
        finally:
            self.env.cr.execute("SET LOCAL agency.audit_purge = 'off'")
        rows.invalidate_recordset()
