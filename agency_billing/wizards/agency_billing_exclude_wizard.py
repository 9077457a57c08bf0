from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AgencyBillingExcludeWizard(models.TransientModel):
    _name = "agency.billing.exclude.wizard"
    _description = "Exclude Entries from a Billing Run"

    run_id = fields.Many2one("agency.billing.run", required=True, ondelete="cascade")
    entry_ids = fields.Many2many("account.analytic.line", string="Entries")
    reason = fields.Char(
        required=True,
        help="Why these entries are not billed in this run. They stay approved "
        "and the next run collects them again; write them down instead to never "
        "bill them.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.analytic.line":
            entries = self.env["account.analytic.line"].browse(
                context.get("active_ids", [])
            )
            values.setdefault("entry_ids", [(6, 0, entries.ids)])
            run = entries.sudo().agency_run_id[:1]
            if run and "run_id" in fields_list:
                values.setdefault("run_id", run.id)
        return values

    @api.model
    def _agency_open(self, run, entries):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Exclude from %(run)s", run=run.name),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_run_id": run.id,
                "default_entry_ids": [(6, 0, entries.ids)],
            },
        }

    def action_apply(self):
        self.ensure_one()
        run = self.run_id
        run._agency_check_open()
        entries = self.entry_ids.sudo()
        if not entries:
            raise UserError(self.env._("Choose the entries to exclude."))
        wrong = entries.filtered(
            lambda e: e.agency_run_id != run or e._agency_is_invoiced()
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only entries of billing run %(run)s that are not invoiced can "
                    "be excluded from it: %(entries)s.",
                    run=run.name,
                    entries=wrong._agency_describe(),
                )
            )
        invoiced_lines = (
            entries.project_id.agency_engagement_id
            & run.line_ids.filtered(lambda line: line.state == "invoiced").engagement_id
        )
        if invoiced_lines:
            raise UserError(
                self.env._(
                    "Engagement %(engagement)s is invoiced in this run already.",
                    engagement=invoiced_lines[0].display_name,
                )
            )
        self.env["agency.audit"]._log(
            entries,
            "invoice",
            {
                entry.id: [("agency_excluded_reason", False, self.reason)]
                for entry in entries
            },
            reason=self.reason,
        )
        # SQL: one bulk UPDATE for any number of entries, told to the ORM
        # after it.
        entries.flush_recordset(
            [
                "agency_run_id",
                "agency_billed_hours",
                "agency_billed_amount",
                "agency_excluded_run_id",
                "agency_excluded_reason",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_analytic_line
                   SET agency_run_id = NULL,
                       agency_billed_hours = 0,
                       agency_billed_amount = 0,
                       agency_excluded_run_id = %s,
                       agency_excluded_reason = %s
                 WHERE id = ANY(%s)
                """,
                run.id,
                self.reason,
                entries.ids,
            )
        )
        entries._agency_sql_written(
            {
                "agency_run_id": None,
                "agency_billed_hours": 0.0,
                "agency_billed_amount": 0.0,
                "agency_excluded_run_id": run.id,
                "agency_excluded_reason": self.reason,
            }
        )
        run.action_check()
        return {"type": "ir.actions.act_window_close"}
