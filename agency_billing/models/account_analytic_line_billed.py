"""How a billing run billed an entry, beside its price: the rounding note, the
rate multiplier and the rush mark a producer sets (issue 19). Kept apart from
``account_analytic_line.py`` so that each file reads in one sitting."""

from odoo import api, fields, models

from .explanations import terms_notes
from .rush import mark_rush

BILLING = "agency_timesheet.group_agency_billing"


# A second _inherit on purpose: account_analytic_line.py is at the 600-line
# limit of tests/test_layout.py, and these fields are one concern.
class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"  # pylint: disable=consider-merging-classes-inherited

    agency_rounding_note = fields.Char(
        string="Why These Billed Hours",
        copy=False,
        readonly=True,
        groups=BILLING,
        help="The rounding rules that made the billed hours: scope, increment, "
        "minimum, override, and the entry's share of its group.",
    )
    agency_rush = fields.Boolean(
        string="Rush",
        copy=False,
        readonly=True,
        help="Marked by a producer (Mark as Rush): billed at the engagement's "
        "rush multiplier.",
    )
    agency_multiplier = fields.Float(
        string="Rate Multiplier", copy=False, readonly=True, groups=BILLING
    )
    agency_multiplier_label = fields.Char(
        string="Multiplier", copy=False, readonly=True, groups=BILLING
    )

    agency_discount_note = fields.Char(
        string="Discount",
        compute="_compute_agency_terms_notes",
        groups=BILLING,
        help="The engagement's discount, billed on its own invoice line.",
    )
    agency_fx_note = fields.Char(
        string="Contract Rate",
        compute="_compute_agency_terms_notes",
        groups=BILLING,
        help="The contract exchange rate that converts this entry's price into "
        "the invoice's currency, instead of the day's rate.",
    )

    @api.depends(
        "project_id.agency_engagement_id",
        "agency_rate_currency_id",
        "agency_invoice_line_id",
        "date",
    )
    @api.depends_context("lang")
    def _compute_agency_terms_notes(self):
        notes = terms_notes(self)
        for line in self:
            line.agency_discount_note, line.agency_fx_note = notes.get(
                line.id, ("", "")
            )

    def action_agency_mark_rush(self):
        """Producers: bill these entries at the engagement's rush multiplier."""
        return mark_rush(self, True)

    def action_agency_unmark_rush(self):
        return mark_rush(self, False)
