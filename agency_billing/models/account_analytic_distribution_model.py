"""Distribution models answer a billing run's repeated look-ups from memory
(``distribution_memo.py`` says when and why)."""

from odoo import api, models

from .distribution_memo import distribution


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    @api.model
    def _get_distribution(self, vals):
        return distribution(self.env, vals, super()._get_distribution)
