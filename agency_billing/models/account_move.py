"""Invoices made by billing runs, and what frees their entries.

An invoiced entry changes only through its invoice: cancelling or deleting a
draft invoice frees all its entries; a posted credit note frees exactly the
entries behind the lines it reverses (all of them, or the lines kept in a
partial credit note). Freed entries are billed by the next run. 'Reverse and
Create Invoice' moves them onto the new draft, which bills them in their place.
"""

from odoo import fields, models
from odoo.tools import SQL

from .server_fields import check_server_fields

# Which run, engagement in a run and engagement an invoice belongs to: set
# when the run (or a credit note) creates it, never by a write
# (server_fields.py).
MOVE_SERVER_FIELDS = {"agency_run_id", "agency_run_line_id", "agency_engagement_id"}


class AccountMove(models.Model):
    _inherit = "account.move"

    agency_run_id = fields.Many2one(
        "agency.billing.run",
        string="Billing Run",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    agency_run_line_id = fields.Many2one(
        "agency.billing.run.line", index="btree_not_null", copy=False, readonly=True
    )
    agency_engagement_id = fields.Many2one(
        "agency.engagement",
        string="Engagement",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    agency_entry_count = fields.Integer(
        string="Billed Entries", compute="_compute_agency_entry_count"
    )

    def _compute_agency_entry_count(self):
        counts = dict(
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("timesheet_invoice_id", "in", self.ids),
                    ("agency_invoice_line_id", "!=", False),
                ],
                ["timesheet_invoice_id"],
                ["__count"],
            )
        )
        for move in self:
            move.agency_entry_count = counts.get(move, 0)

    def _agency_entries(self):
        return (
            self.env["account.analytic.line"]
            .sudo()
            .search([("agency_invoice_line_id.move_id", "in", self.ids)])
        )

    def _agency_free_entries(self, reason):
        """A draft invoice cancelled or deleted: its entries, adjustments,
        fees and expenses can be invoiced again. The entries stay in their run,
        whose engagement goes back to review: the run invoices them again with
        the same write-ups and write-downs (or its owner excludes them)."""
        entries = self._agency_entries()
        if entries:
            entries._agency_free(reason, keep_run=True)
        self.env["hr.expense"]._agency_free_invoiced(self.line_ids, reason)
        lines = self.sudo().agency_run_line_id
        adjustments = (
            self.env["agency.billing.adjustment"]
            .sudo()
            .search([("invoice_line_id.move_id", "in", self.ids)])
        )
        adjustments.invoice_line_id = False  # as superuser: the invoice's own path
        self._agency_free_fees(self.sudo().line_ids)
        lines.filtered(lambda line: line.state == "invoiced").write(
            {"state": "review", "reviewed_by_id": False, "reviewed_on": False}
        )
        runs = lines.run_id.filtered(lambda run: run.state == "done")
        runs.write({"state": "review"})

    def _agency_free_fees(self, invoice_lines):
        """Schedule lines and retainer periods billed on these lines can be
        billed again."""
        schedule = (
            self.env["agency.engagement.schedule"]
            .sudo()
            .search([("invoice_line_id", "in", invoice_lines.ids)])
        )
        schedule.write({"invoice_line_id": False, "run_id": False})
        self.env["agency.retainer.period"].sudo()._agency_free(invoice_lines)

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """A credit note belongs to the engagement of the invoice it reverses,
        so that the engagement's invoiced amount (and its cap) deducts it."""
        if default_values_list is None:
            default_values_list = [{} for _move in self]
        for move, values in zip(self, default_values_list, strict=True):
            if move.agency_engagement_id:
                values.setdefault("agency_engagement_id", move.agency_engagement_id.id)
        return super()._reverse_moves(default_values_list, cancel=cancel)

    def write(self, vals):
        check_server_fields(self, MOVE_SERVER_FIELDS, [vals])
        return super().write(vals)

    def button_cancel(self):
        moves = self.filtered(lambda m: m.move_type == "out_invoice")
        for move in moves:
            move._agency_free_entries(
                self.env._("Invoice %(move)s cancelled.", move=move.display_name)
            )
        return super().button_cancel()

    def unlink(self):
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            move._agency_free_entries(
                self.env._("Invoice %(move)s deleted.", move=move.display_name)
            )
        return super().unlink()

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        if refunds:
            reversed_lines = refunds.line_ids.agency_reversed_line_id
            entries = (
                self.env["account.analytic.line"]
                .sudo()
                .search([("agency_invoice_line_id", "in", reversed_lines.ids)])
            )
            refunds._agency_free_fees(reversed_lines)
            for refund in refunds:
                reason = self.env._(
                    "Credit note %(refund)s reverses their invoice line.",
                    refund=refund.display_name,
                )
                mine = entries.filtered(
                    lambda e, r=refund: (
                        e.agency_invoice_line_id in r.line_ids.agency_reversed_line_id
                    )
                )
                if mine:
                    mine._agency_free(reason)
                self.env["hr.expense"]._agency_free_invoiced(
                    refund.line_ids.agency_reversed_line_id, reason
                )
        return posted

    def _agency_take_over(self, entries, billed):
        """The moves in self are copies of invoices (their lines know the line
        they copy): bill `entries` on them, {entry id: (line, run)} being where
        each entry was billed before."""
        copies = {
            line.agency_reversed_line_id: line
            for line in self.invoice_line_ids
            if line.agency_reversed_line_id
        }
        ids, lines, moves, runs, changes = [], [], [], [], {}
        for entry in entries:
            old_line, run = billed[entry.id]
            new_line = copies.get(old_line)
            if not new_line:
                continue
            ids.append(entry.id)
            lines.append(new_line.id)
            moves.append(new_line.move_id.id)
            runs.append(run.id or None)
            changes[entry.id] = [
                (
                    "agency_invoice_line_id",
                    old_line.move_id.display_name,
                    new_line.move_id.display_name,
                )
            ]
        for move in self:
            original = move.invoice_line_ids.agency_reversed_line_id.move_id[:1]
            move.sudo().write(
                {
                    "agency_run_id": original.agency_run_id.id,
                    "agency_run_line_id": original.agency_run_line_id.id,
                    "agency_engagement_id": original.agency_engagement_id.id,
                }
            )
        # the copies replace their invoice's lines: they reverse nothing
        self.invoice_line_ids.sudo().agency_reversed_line_id = False
        if not ids:
            return
        taken = entries.browse(ids)
        self.env["agency.audit"]._log(
            taken,
            "invoice",
            changes,
            reason=self.env._(
                "Invoice reversed and replaced by %(moves)s.",
                moves=", ".join(self.mapped("display_name")),
            ),
        )
        # SQL: one bulk UPDATE whatever the number of entries (write() would
        # send one per distinct line), told to the ORM as write() would: the
        # new values in the cache, their dependents (the invoices'
        # timesheet_ids, stock's computes on the entries) recomputed.
        fnames = ["agency_invoice_line_id", "timesheet_invoice_id", "agency_run_id"]
        taken.flush_recordset(fnames)
        taken.modified(fnames, before=True)
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_analytic_line line
                   SET agency_invoice_line_id = v.invoice_line,
                       timesheet_invoice_id = v.move,
                       agency_run_id = v.run
                  FROM unnest(%(ids)s::int[], %(lines)s::int[], %(moves)s::int[],
                              %(runs)s::int[]) AS v(id, invoice_line, move, run)
                 WHERE line.id = v.id
                """,
                ids=ids,
                lines=lines,
                moves=moves,
                runs=runs,
            )
        )
        taken._agency_sql_written(dict(zip(fnames, (lines, moves, runs), strict=True)))

    def action_agency_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_billing.account_analytic_line_action_raw_billed"
        )
        action["domain"] = [("agency_invoice_line_id.move_id", "=", self.id)]
        return action
