"""The revision (rework) marker on tasks, read by the excessive-revisions warning.

A task marked as a revision is one round of rework. Rounds are counted per
deliverable: a revision task under a parent task is a round of that parent
(the deliverable); revision tasks without a parent are rounds of the project as
a whole (warning_rules.revision_rounds).
"""

from odoo import fields, models
from odoo.exceptions import UserError


class ProjectTask(models.Model):
    _inherit = "project.task"

    agency_revision = fields.Boolean(
        string="Revision / Rework",
        index=True,
        help="Time on this task is rework: the excessive-revisions warning counts "
        "its hours against the project's and counts it as one revision round of "
        "its parent task (the deliverable), or of the project without a parent.",
    )

    def action_agency_book(self):
        """Book this task's remaining allocated hours up to its deadline
        (agency.booking._agency_task_values): the booking form, filled in;
        without a deadline it opens with the end date empty, to be given."""
        self.ensure_one()
        Booking = self.env["agency.booking"]
        today = fields.Date.context_today(self)
        try:
            values = Booking._agency_task_values(self, today)
        except UserError:
            if self.date_deadline:
                raise  # nothing left to book: the message says the way out
            values = Booking._agency_task_values(self, today, date_to=today)
            values["date_to"] = False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book %(task)s", task=self.display_name),
            "res_model": "agency.booking",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {f"default_{name}": value for name, value in values.items()},
        }
