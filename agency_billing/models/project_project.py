from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.agency_timesheet.models.res_groups import COSTS_VISIBLE

from .confidential import check_named


class ProjectProject(models.Model):
    _inherit = "project.project"

    agency_engagement_id = fields.Many2one(
        "agency.engagement",
        string="Engagement",
        index="btree_not_null",
        copy=False,
        tracking=True,
        groups="agency_timesheet.group_agency_billing",
        help="The engagement whose billing runs invoice this project's approved "
        "time. A project billed through a sales order cannot also be on an "
        "engagement.",
    )
    # Stored so that the record rules on projects, tasks and entries read them
    # without the engagement (a Billing field).
    agency_confidential = fields.Boolean(
        string="Confidential",
        compute="_compute_agency_confidential",
        store=True,
        compute_sudo=True,
        help="Its engagement is confidential: only the named people log time "
        "on it and see it.",
    )
    agency_confidential_user_ids = fields.Many2many(
        "res.users",
        "agency_project_confidential_user_rel",
        "project_id",
        "user_id",
        string="Named People",
        compute="_compute_agency_confidential",
        store=True,
        compute_sudo=True,
    )

    @api.depends(
        "agency_engagement_id.confidential",
        "agency_engagement_id.confidential_user_ids",
    )
    def _compute_agency_confidential(self):
        for project in self:
            engagement = project.agency_engagement_id
            project.agency_confidential = engagement.confidential
            project.agency_confidential_user_ids = (
                engagement.confidential_user_ids if engagement.confidential else False
            )

    @api.constrains("agency_engagement_id", "sale_line_id", "company_id")
    def _check_agency_engagement(self):
        check_named(self.sudo().agency_engagement_id)
        for project in self.sudo():
            engagement = project.agency_engagement_id
            if not engagement:
                continue
            if project.sale_line_id:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s is billed through sales order line "
                        "%(line)s: it cannot also be billed by engagement "
                        "%(engagement)s. Remove the sales order item from the "
                        "project first, or keep it on the sales order.",
                        project=project.display_name,
                        line=project.sale_line_id.display_name,
                        engagement=engagement.display_name,
                    )
                )
            if project.company_id and project.company_id != engagement.company_id:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s belongs to %(company)s, engagement "
                        "%(engagement)s to %(other)s: attach it to an engagement "
                        "of its own company.",
                        project=project.display_name,
                        company=project.company_id.name,
                        engagement=engagement.display_name,
                        other=engagement.company_id.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if "agency_engagement_id" in vals:
            # an engagement's blended rate prices its projects' open entries
            self.env["account.analytic.line"].sudo().search(
                [("project_id", "in", self.ids), ("agency_rate_frozen", "=", False)]
            )._agency_reprice()
        return result

    def _get_profitability_items(self, with_action=True):
        """sale_timesheet sums the timesheet costs and revenues as superuser
        wherever stock asks (the project panel, project managers' project
        updates): nothing of it for Agency Users and Producers."""
        if not self.env.user.has_group(COSTS_VISIBLE):
            return {
                "revenues": {"data": [], "total": {"invoiced": 0.0, "to_invoice": 0.0}},
                "costs": {"data": [], "total": {"billed": 0.0, "to_bill": 0.0}},
            }
        return super()._get_profitability_items(with_action)
