from odoo import models


class ProjectTask(models.Model):
    _inherit = "project.task"

    def action_agency_timer_start(self):
        """Start my timer on this task (task form, my tasks)."""
        self.ensure_one()
        self.env["agency.timer"].action_start(task_id=self.id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Timer started on %(task)s", task=self.name),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
