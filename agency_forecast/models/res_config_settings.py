"""Settings › Agency › Early Warnings: the company's thresholds (res_company.py)."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agency_warning_creep_points = fields.Float(
        related="company_id.agency_warning_creep_points", readonly=False
    )
    agency_warning_revision_share = fields.Float(
        related="company_id.agency_warning_revision_share", readonly=False
    )
    agency_warning_revision_rounds = fields.Integer(
        related="company_id.agency_warning_revision_rounds", readonly=False
    )
    agency_warning_burn_share = fields.Float(
        related="company_id.agency_warning_burn_share", readonly=False
    )
    agency_warning_margin_target = fields.Float(
        related="company_id.agency_warning_margin_target", readonly=False
    )
    agency_warning_writeoff_share = fields.Float(
        related="company_id.agency_warning_writeoff_share", readonly=False
    )
    agency_resourcing_user_id = fields.Many2one(
        related="company_id.agency_resourcing_user_id", readonly=False
    )
