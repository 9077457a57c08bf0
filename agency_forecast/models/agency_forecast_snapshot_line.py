"""One frozen figure of a snapshot: a figure (revenue, billings, cash
receipts) of one month for one client (or the remainder without client), in
the company currency. Written only with its snapshot; read-only after."""

from odoo import fields, models

BILLING = "agency_timesheet.group_agency_billing"


class AgencyForecastSnapshotLine(models.Model):
    _name = "agency.forecast.snapshot.line"
    _inherit = ["agency.forecast.frozen"]  # noqa: RUF012 (Odoo reads it)
    _description = "Agency Forecast Snapshot Figure"
    _order = "snapshot_id, figure, month, client_id"

    snapshot_id = fields.Many2one(
        "agency.forecast.snapshot",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="snapshot_id.company_id", store=True)
    currency_id = fields.Many2one(related="snapshot_id.currency_id")
    figure = fields.Selection(
        [("revenue", "Revenue"), ("billings", "Billings"), ("cash", "Cash In")],
        required=True,
        readonly=True,
    )
    client_id = fields.Many2one("res.partner", readonly=True)
    month = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(readonly=True, groups=BILLING)

    def _agency_snapshot(self):
        return self.snapshot_id
