from odoo import fields, models

from .server_fields import check_server_fields


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    agency_entry_ids = fields.One2many(
        "account.analytic.line",
        "agency_invoice_line_id",
        string="Billed Entries",
        readonly=True,
        groups="agency_timesheet.group_agency_billing",
    )
    agency_adjustment_ids = fields.One2many(
        "agency.billing.adjustment",
        "invoice_line_id",
        string="Adjustment",
        readonly=True,
        groups="agency_timesheet.group_agency_billing",
    )
    agency_reversed_line_id = fields.Many2one(
        "account.move.line",
        string="Reverses",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="On a credit note: the invoice line it reverses. Posting the credit "
        "note frees the entries that line billed.",
    )

    # Contract exchange rate (issue 19): what this time line was converted at,
    # the day's rate it replaced and what that changed, for margins.
    agency_fx_contract = fields.Float(
        string="Contract Rate",
        digits=(16, 6),
        readonly=True,
        groups="agency_timesheet.group_agency_billing",
        help="The engagement's contract exchange rate this line's price used "
        "(one unit of the rates' currency), instead of the day's rate.",
    )
    agency_fx_daily = fields.Float(
        string="Day's Rate",
        digits=(16, 6),
        readonly=True,
        groups="agency_timesheet.group_agency_billing",
    )
    agency_fx_difference = fields.Monetary(
        string="Contract Rate Difference",
        readonly=True,
        groups="agency_timesheet.group_agency_billing",
        help="What the contract rate bills over the day's rate on this line, in "
        "the invoice's currency (negative: less).",
    )

    def write(self, vals):
        # Which invoice line a credit note line reverses decides which entries
        # posting it frees: set by the reversal's copy only.
        check_server_fields(self, {"agency_reversed_line_id"}, [vals])
        return super().write(vals)

    def _copy_data_extend_business_fields(self, values):
        """Reversing an invoice copies its lines with their business fields:
        each credit note line remembers the invoice line it reverses."""
        result = super()._copy_data_extend_business_fields(values)
        if self.move_id.move_type == "out_invoice" and self.display_type == "product":
            values["agency_reversed_line_id"] = self.id
        return result
