"""sale_timesheet writes the project's profitability (costs, revenues,
margin, read as superuser) into each project update of a project manager:
not for Agency Users and Producers who manage projects with stock's project
manager rights (agency_timesheet's res_groups.py says why)."""

from odoo import api, models

from odoo.addons.agency_timesheet.models.res_groups import COSTS_VISIBLE


class ProjectUpdate(models.Model):
    _inherit = "project.update"

    @api.model
    def _get_profitability_values(self, project):
        if not self.env.user.has_group(COSTS_VISIBLE):
            return {}
        return super()._get_profitability_values(project)
