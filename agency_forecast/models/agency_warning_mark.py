"""What approving leaves for the early warnings: a mark per project and per
person whose approved time changed, and the minute job that evaluates them.

Approving stays as cheap as it was: one statement marks the batch's projects
and people and wakes the job (not one evaluation per approval, which cost a
quarter of approving 10,000 entries), and the job evaluates each marked
project and person once, whatever the number of approvals behind the marks
(the issue's "within a minute"). The nightly evaluation (agency_warning.py)
still covers every project.
"""

from odoo import api, fields, models
from odoo.tools import SQL

# the minute job (data/agency_warning_data.xml)
CRON_MODULE, CRON_NAME = "agency_forecast", "ir_cron_agency_warning_marked"


class AgencyWarningMark(models.Model):
    _name = "agency.warning.mark"
    _description = "Agency Early Warning Mark"
    _log_access = False

    project_id = fields.Many2one("project.project", readonly=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", readonly=True, ondelete="cascade")

    @api.private
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
        the next evaluation, and wake the job (a trigger unless one is already
        due): one query, whatever the batch and whatever is cached, then the
        cron workers are told after the commit."""
        if not lines:
            return
        lines.flush_model(["project_id", "employee_id"])
        self.env.cr.execute(
            SQL(
                """WITH marked AS (
                       INSERT INTO agency_warning_mark (project_id, employee_id)
                       SELECT DISTINCT project_id, NULL::int FROM account_analytic_line
                        WHERE id = ANY(%(ids)s) AND project_id IS NOT NULL
                       UNION
                       SELECT DISTINCT NULL::int, employee_id FROM account_analytic_line
                        WHERE id = ANY(%(ids)s) AND employee_id IS NOT NULL
                       ON CONFLICT DO NOTHING)
                   INSERT INTO ir_cron_trigger
                          (cron_id, call_at, create_uid, write_uid, create_date,
                           write_date)
                   SELECT cron.res_id, now() AT TIME ZONE 'UTC', %(uid)s, %(uid)s,
                          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                     FROM ir_model_data cron
                    WHERE cron.module = %(module)s AND cron.name = %(name)s
                      AND NOT EXISTS (
                          SELECT 1 FROM ir_cron_trigger due
                           WHERE due.cron_id = cron.res_id
                             AND due.call_at <= now() AT TIME ZONE 'UTC')""",
                ids=lines.ids,
                uid=self.env.uid,
                module=CRON_MODULE,
                name=CRON_NAME,
            )
        )
        # as ir.cron._trigger does: wake the cron workers once committed
        self.env.cr.postcommit.add(self.env["ir.cron"]._notifydb)

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
