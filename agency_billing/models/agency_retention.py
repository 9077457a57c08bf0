"""The retention purge, plus the stricter retention of confidential
engagements: their entries' descriptions anonymised after the engagement's own
number of months (models/confidential.py)."""

from odoo import api, fields, models

from .confidential import CONFIDENTIAL, targets


class AgencyRetention(models.AbstractModel):
    _inherit = "agency.retention"

    @api.model
    def _agency_preview(self, companies=None, kinds=None):
        rows = super()._agency_preview(companies, kinds)
        if kinds and CONFIDENTIAL.code not in kinds:
            return rows
        today = fields.Date.context_today(self)
        companies = companies or self.env["res.company"].sudo().search([])
        departed = {
            company.id: records
            for company, kind, records in rows
            if kind.code == "departed"
        }
        for company in companies:
            # what the departed kind anonymises already is not counted twice
            lines = targets(self.env, company, today) - departed.get(
                company.id, self.env["account.analytic.line"]
            )
            rows.append((company, CONFIDENTIAL, lines))
        return rows

    def _agency_remove_confidential(self, lines):
        self._agency_remove_departed(lines)
