"""Import batches, for billing: invoiced history stays invoiced, and a batch
whose entries a billing run used cannot be rolled back.

A row the source marks invoiced (Harvest's ``Invoiced?``, Clockify's
``Invoiced``) comes in approved and *invoiced outside Odoo*
(``agency_invoiced_outside``): billing_status.py's one definition counts it
invoiced, so no billing run collects it and it changes only by rolling its
batch back.
"""

from odoo import models, tools


class AgencyImportBatch(models.Model):
    _inherit = "agency.import.batch"

    def _agency_import_state(self, row):
        if row.invoiced:
            return "approved"
        return super()._agency_import_state(row)

    def _agency_import_entry_values(self, row, vals):
        vals = super()._agency_import_entry_values(row, vals)
        if row.invoiced:
            vals["agency_invoiced_outside"] = True
        return vals

    def _agency_import_record_values(self, row):
        vals = super()._agency_import_record_values(row)
        if row.bill_rate is not None and row.billable:
            vals.update(
                bill_rate=row.bill_rate,
                cost_rate=row.cost_rate or 0.0,
                currency_id=self._agency_currency_id(row.currency),
            )
        return vals

    @tools.ormcache("code")
    def _agency_currency_id(self, code):
        """The id of the currency of that code (read once per code)."""
        if not code:
            return False
        return (
            self.env["res.currency"]
            .sudo()
            .with_context(active_test=False)
            .search([("name", "=", code)], limit=1)
            .id
        )

    def _agency_rollback_blockers(self, lines):
        """Entries a billing run holds or an invoice bills (not the history
        invoiced outside Odoo, which the batch itself marked)."""
        blockers = super()._agency_rollback_blockers(lines)
        lines = lines.sudo()
        used = lines.filtered(
            lambda line: (
                line.agency_run_id
                or line.agency_invoice_line_id
                or line.timesheet_invoice_id
            )
        )
        if not used:
            return blockers
        runs = used.agency_run_id.mapped("display_name")
        invoices = used.timesheet_invoice_id.mapped("display_name")
        text = self.env._(
            "%(entries)s are in billing runs %(runs)s and on invoices %(invoices)s",
            entries=used._agency_describe(),
            runs=", ".join(runs) or "-",
            invoices=", ".join(invoices) or "-",
        )
        return "; ".join(part for part in (blockers, text) if part)

    def _agency_before_rollback(self, lines):
        """The batch's own mark goes first: the entries are then plain ones
        that its rollback removes."""
        result = super()._agency_before_rollback(lines)
        marked = lines.sudo().filtered("agency_invoiced_outside")
        if marked:
            marked.write({"agency_invoiced_outside": False})
        return result
