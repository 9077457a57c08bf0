"""The revision (rework) marker on tasks, read by the excessive-revisions warning.

A task marked as a revision is one round of rework. Rounds are counted per
deliverable: a revision task under a parent task is a round of that parent
(the deliverable); revision tasks without a parent are rounds of the project as
a whole (warning_rules.revision_rounds).
"""

from odoo import fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    agency_revision = fields.Boolean(
        string="Revision / Rework",
        index=True,
        help="Time on this task is rework: the excessive-revisions warning counts "
        "its hours against the project's and counts it as one revision round of "
        "its parent task (the deliverable), or of the project without a parent.",
    )
