"""Where the activity of another tool belongs in Odoo: a repository (GitHub,
GitLab), a Jira project key or an Asana project, mapped to a project (and
maybe a task) of the company. Producers and administrators keep the list
(Agency › Configuration › Activity Mappings); activity without a mapping
still becomes a suggestion, without a project, for the person to choose.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AgencyActivityMapping(models.Model):
    _name = "agency.activity.mapping"
    _description = "Agency Activity Mapping"
    _order = "kind, key"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("repository", "Repository (GitHub, GitLab)"),
            ("jira", "Jira Project Key"),
            ("asana", "Asana Project ID"),
            ("generic", "Project Hint (Generic Events)"),
        ],
        required=True,
    )
    key = fields.Char(
        required=True,
        help="owner/repository for GitHub and GitLab, the Jira project key "
        "(e.g. WEB), the Asana project's id, or the 'project' a design tool sends.",
    )
    project_id = fields.Many2one(
        "project.project",
        required=True,
        check_company=True,
        domain="[('allow_timesheets', '=', True)]",
    )
    task_id = fields.Many2one(
        "project.task", check_company=True, domain="[('project_id', '=', project_id)]"
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "key_unique",
            "UNIQUE(company_id, kind, key)",
            "This repository, key or project is mapped already.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("key"):
                vals["key"] = vals["key"].strip().lower()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("key"):
            vals["key"] = vals["key"].strip().lower()
        return super().write(vals)

    @api.constrains("project_id", "task_id")
    def _check_task(self):
        for mapping in self:
            if mapping.task_id and mapping.task_id.project_id != mapping.project_id:
                raise ValidationError(
                    self.env._(
                        "Mapping %(key)s: task %(task)s is not part of project "
                        "%(project)s. Choose a task of the project, or no task.",
                        key=mapping.key,
                        task=mapping.task_id.display_name,
                        project=mapping.project_id.display_name,
                    )
                )

    @api.model
    def _agency_find(self, company, source, hint):
        """(project, task) mapped for an event's project hint, or empty ones."""
        kind = {
            "github": "repository",
            "gitlab": "repository",
            "jira": "jira",
            "asana": "asana",
        }.get(source, "generic")
        mapping = self.sudo().search(
            [("company_id", "=", company.id), ("kind", "=", kind), ("key", "=", hint)],
            limit=1,
        )
        return mapping.project_id, mapping.task_id
