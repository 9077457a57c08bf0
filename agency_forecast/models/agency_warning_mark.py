"""What approving leaves for the early warnings: a mark per project and per
person whose approved time changed, and the minute job that evaluates them.

Approving stays as cheap as it was: one INSERT of the batch's projects and
people (not one evaluation per approval, which cost a quarter of approving
10,000 entries), and the job evaluates each marked project and person once
per minute, whatever the number of approvals behind the marks (the issue's
"within a minute"). The nightly evaluation (agency_warning.py) still covers
every project.
"""

from odoo import api, fields, models
from odoo.tools import SQL

CRON = "agency_forecast.ir_cron_agency_warning_marked"


class AgencyWarningMark(models.Model):
    _name = "agency.warning.mark"
    _description = "Agency Early Warning Mark"
    _log_access = False

    project_id = fields.Many2one("project.project", readonly=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", readonly=True, ondelete="cascade")

    def init(self):
        # DDL: one mark per project or person; the ORM has no unique index on
        # expressions.
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS agency_warning_mark_subject
               ON agency_warning_mark (COALESCE(project_id, 0),
                                       COALESCE(employee_id, 0))"""
        )

    @api.model
    def _agency_mark(self, lines):
        """Mark the projects and people of `lines` (entries just approved) for
        the next minute's evaluation: one query, then wake the job."""
        if not lines:
            return
        lines.flush_model(["project_id", "employee_id"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO agency_warning_mark (project_id, employee_id)
                   SELECT DISTINCT project_id, NULL::int FROM account_analytic_line
                    WHERE id = ANY(%(ids)s) AND project_id IS NOT NULL
                   UNION
                   SELECT DISTINCT NULL::int, employee_id FROM account_analytic_line
                    WHERE id = ANY(%(ids)s) AND employee_id IS NOT NULL
                   ON CONFLICT DO NOTHING""",
                ids=lines.ids,
            )
        )
        self.env.ref(CRON, raise_if_not_found=False).sudo()._trigger()

    @api.model
    def _cron_evaluate_marked(self):
        """Evaluate the warnings of every marked project and person, once
        each, and drop their marks (those marked meanwhile wait for the next
        run: the marks taken are deleted in the same statement)."""
        self.env.cr.execute(
            """DELETE FROM agency_warning_mark
               RETURNING project_id, employee_id"""
        )
        rows = self.env.cr.fetchall()
        project_ids = {project for project, _employee in rows if project}
        employee_ids = {employee for _project, employee in rows if employee}
        if not rows:
            return
        self.env["agency.warning"]._agency_evaluate_projects(
            self.env["project.project"].sudo().browse(project_ids).exists(),
            self.env["hr.employee"].sudo().browse(employee_ids).exists(),
        )
