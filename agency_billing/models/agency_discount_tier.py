"""Volume discount tiers of an engagement ("5 % above 200 hours"): the rules
in ``discounts``; the invoice's discount line in ``invoice_terms``."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .discounts import tiers_error

BILLING = "agency_timesheet.group_agency_billing"


class AgencyDiscountTier(models.Model):
    _name = "agency.discount.tier"
    _description = "Agency Volume Discount Tier"
    _order = "engagement_id, sequence, id"

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    threshold = fields.Float(
        string="Above",
        required=True,
        groups=BILLING,
        help="The billed hours (or amount, by the engagement's Discount On) of "
        "the calendar month's invoices, or of the invoice alone (Volume "
        "Counted), above which this tier's discount applies.",
    )
    percent = fields.Float(
        string="Discount (%)",
        required=True,
        digits=(16, 2),
        groups=BILLING,
    )

    @api.constrains("threshold", "percent", "sequence", "engagement_id")
    def _check_tiers(self):
        for engagement in self.sudo().engagement_id:
            tiers = engagement.discount_tier_ids
            error = tiers_error([(t.threshold, t.percent) for t in tiers])
            if error:
                raise ValidationError(
                    self.env._(
                        "Volume discount of %(engagement)s: %(error)s.",
                        engagement=engagement.display_name,
                        error=error,
                    )
                )
            if tiers and engagement.discount_percent:
                raise ValidationError(
                    self.env._(
                        "%(engagement)s has a flat discount of %(percent)s %% and "
                        "volume tiers: keep one of them.",
                        engagement=engagement.display_name,
                        percent=engagement.discount_percent,
                    )
                )
