"""How one source's files map to this database, remembered between files.

One template per source and company (and as many as the user saves for
generic CSV/XLSX files): the generic column map, the reading options the
user answered (date format, decimal mark, time zone, sheet) and the mapping
lines of every client, project, task, person, role and currency met so far.
The next file of the same source starts from it.
"""

import json

from odoo import api, fields, models

from ..importing.sources import FIELDS

SOURCE_SELECTION = [
    ("harvest", "Harvest (Detailed time)"),
    ("toggl", "Toggl Track (Detailed)"),
    ("clockify", "Clockify (Detailed report)"),
    ("generic", "Other CSV or XLSX"),
]
DATE_FORMAT_SELECTION = [
    ("iso", "YYYY-MM-DD"),
    ("mdy", "MM/DD/YYYY"),
    ("dmy", "DD/MM/YYYY"),
    ("dmy_dot", "DD.MM.YYYY"),
]
DECIMAL_SELECTION = [(".", "1.5 (point)"), (",", "1,5 (comma)")]
SLICE_SELECTION = [
    ("all", "The whole file"),
    ("month", "One month"),
    ("client", "One client"),
]
PENDING_SELECTION = [("draft", "Drafts"), ("submitted", "Submitted")]


class AgencyImportTemplate(models.Model):
    _name = "agency.import.template"
    _description = "Import mapping of a source"
    _check_company_auto = True
    _order = "source, name"

    name = fields.Char(required=True)
    source = fields.Selection(SOURCE_SELECTION, required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    column_map = fields.Text(
        help="For other CSV/XLSX files: a JSON object {field: column name} of "
        f"the fields {', '.join(FIELDS)}.",
    )
    date_format = fields.Selection(DATE_FORMAT_SELECTION)
    decimal_mark = fields.Selection(DECIMAL_SELECTION)
    tz = fields.Char(
        string="Time Zone",
        default="UTC",
        help="The time zone of the file's start and end times.",
    )
    mapping_ids = fields.One2many("agency.import.mapping", "template_id")
    batch_ids = fields.One2many("agency.import.batch", "template_id")

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "name_uniq",
            "unique(company_id, source, name)",
            "A source has one template of each name per company.",
        )
    ]

    @api.model
    def _for_source(self, source, company):
        """The source's template of the company (its first), created if none."""
        template = self.search(
            [("source", "=", source), ("company_id", "=", company.id)], limit=1
        )
        if not template:
            label = dict(SOURCE_SELECTION)[source]
            template = self.create(
                {"name": label, "source": source, "company_id": company.id}
            )
        return template

    def _generic_map(self):
        self.ensure_one()
        return json.loads(self.column_map) if self.column_map else {}
