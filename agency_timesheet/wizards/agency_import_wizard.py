"""The first screen of a migration: pick the file, the source (detected when
left empty) and the slice; it opens the batch with its dry run done."""

from odoo import fields, models

from ..models.agency_import_template import (
    PENDING_SELECTION,
    SLICE_SELECTION,
    SOURCE_SELECTION,
)


class AgencyImportWizard(models.TransientModel):
    _name = "agency.import.wizard"
    _description = "Import time history"

    file = fields.Binary(required=True)
    filename = fields.Char()
    source = fields.Selection(
        SOURCE_SELECTION,
        help="Leave empty: the file's header says which tool wrote it.",
    )
    template_id = fields.Many2one(
        "agency.import.template",
        string="Mapping",
        help="For other CSV/XLSX files: the saved column map to use.",
    )
    tz = fields.Char(string="Time Zone", default=lambda self: self.env.user.tz or "UTC")
    slice_kind = fields.Selection(
        SLICE_SELECTION,
        string="Slice",
        required=True,
        default="all",
    )
    slice_month = fields.Char(help="YYYY-MM")
    slice_client = fields.Char()
    pending_state = fields.Selection(
        PENDING_SELECTION,
        string="Unapproved rows as",
        required=True,
        default="draft",
    )

    def action_start(self):
        """Create the batch and run its dry run: nothing is imported yet."""
        self.ensure_one()
        batch = self.env["agency.import.batch"].create(
            {
                "file": self.file,
                "filename": self.filename,
                "source": self.source or (self.template_id.source or False),
                "template_id": self.template_id.id,
                "tz": self.tz,
                "slice_kind": self.slice_kind,
                "slice_month": self.slice_month,
                "slice_client": self.slice_client,
                "pending_state": self.pending_state,
            }
        )
        batch.action_dry_run()
        return {
            "type": "ir.actions.act_window",
            "res_model": batch._name,
            "res_id": batch.id,
            "view_mode": "form",
            "target": "current",
        }
