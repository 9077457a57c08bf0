"""An engagement's confidentiality (the rules are in confidential.py): kept
beside agency_engagement.py, which holds the engagement's terms, so that each
stays readable in one sitting."""

from odoo import api, fields, models

from .confidential import check_named


class AgencyEngagement(models.Model):
    _inherit = "agency.engagement"

    confidential = fields.Boolean(
        help="Only the named people log time on and see this engagement's "
        "projects (Billing and Administrators see all); entry notes never reach "
        "its invoices, ledger mails or exports, and are anonymised sooner.",
    )
    confidential_user_ids = fields.Many2many(
        "res.users",
        "agency_engagement_confidential_user_rel",
        "engagement_id",
        "user_id",
        string="Named People",
        domain="[('share', '=', False)]",
    )
    confidential_retention_months = fields.Integer(
        string="Anonymise Notes After (months)",
        default=6,
        help="Entry descriptions on this engagement's projects, once on or before "
        "the lock date and older than this, are anonymised by the retention "
        "purge (hours and amounts stay).",
    )

    @api.constrains("confidential", "confidential_user_ids")
    def _check_confidential_people(self):
        check_named(self)
