"""What an import batch created: each entry with its row's fingerprint and
the file's historic billable values, and each client, project, task, person
and role it created. A re-import skips the fingerprints found here; rolling a
batch back removes exactly these records."""

from odoo import fields, models


class AgencyImportRecord(models.Model):
    _name = "agency.import.record"
    _description = "Record created by an import"
    _order = "batch_id, id"

    batch_id = fields.Many2one(
        "agency.import.batch", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    source = fields.Selection(related="batch_id.source", store=True)
    line_id = fields.Many2one(
        "account.analytic.line", ondelete="cascade", index="btree_not_null"
    )
    fingerprint = fields.Char(index="btree_not_null")
    file_line = fields.Integer(help="The row's line in the file.")
    billable = fields.Boolean()
    billable_amount = fields.Float(help="The file's billable amount of the row.")
    cost = fields.Float(help="The file's cost of the row.")
    res_model = fields.Char()
    res_id = fields.Many2oneReference(model_field="res_model")
