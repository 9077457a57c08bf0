"""One name of a source's files and the Odoo record it stands for.

Filled by the dry run for every client, project, task, person, role and
currency of a file: an existing record found by email, code or a
near-identical name is proposed (``map``), spellings of one name are proposed
for merging (``merge`` into the first), the rest are created on import
(``create``). The user reviews and changes them once; the next file of the
source reuses them.
"""

from odoo import api, fields, models

KINDS = [
    ("client", "Client"),
    ("project", "Project"),
    ("task", "Task"),
    ("person", "Person"),
    ("role", "Role"),
    ("currency", "Currency"),
]
MODEL_OF = {
    "client": "res.partner",
    "project": "project.project",
    "task": "project.task",
    "person": "hr.employee",
    "role": "agency.role",
    "currency": "res.currency",
}


class AgencyImportMapping(models.Model):
    _name = "agency.import.mapping"
    _description = "Import mapping line"
    _order = "kind, name"

    template_id = fields.Many2one(
        "agency.import.template", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    kind = fields.Selection(KINDS, required=True)
    name = fields.Char(
        required=True,
        help="The name as the file writes it; for a task, 'project / task'; for "
        "a person, their email when the file has one.",
    )
    key = fields.Char(index=True, help="The name without case, accents or spaces.")
    action = fields.Selection(
        [
            ("map", "Use existing"),
            ("create", "Create"),
            ("merge", "Merge into"),
            ("skip", "Reject its rows"),
        ],
        required=True,
        default="create",
    )
    res_model = fields.Char(compute="_compute_res_model", store=True)
    res_id = fields.Many2oneReference(
        string="Odoo Record", model_field="res_model", index=True
    )
    record_name = fields.Char(compute="_compute_record_name")
    merge_into = fields.Char(help="The name (as in the file) this one is merged into.")
    archive = fields.Boolean(
        help="Projects: archived once imported (proposed when the file has no "
        "entry of theirs in its last 12 months)."
    )
    note = fields.Char(readonly=True, help="Why this was proposed.")

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "name_uniq",
            "unique(template_id, kind, name)",
            "A name is mapped once per template.",
        )
    ]

    @api.depends("kind")
    def _compute_res_model(self):
        for line in self:
            line.res_model = MODEL_OF.get(line.kind)

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for line in self:
            record = (
                self.env[line.res_model].browse(line.res_id).exists()
                if line.res_model and line.res_id
                else None
            )
            line.record_name = record.display_name if record else False
