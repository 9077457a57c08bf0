"""One frozen figure of a snapshot: a figure (revenue, billings, cash
receipts) of one month for one client (or the remainder without client), in
the company currency. Written only with its snapshot; read-only after."""

from odoo import api, fields, models
from odoo.exceptions import UserError

BILLING = "agency_timesheet.group_agency_billing"


class AgencyForecastSnapshotLine(models.Model):
    _name = "agency.forecast.snapshot.line"
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

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("agency_freeze") or not self.env.su:
            self.check_access("create")
            raise UserError(
                self.env._("A snapshot's figures are frozen with it, never by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self.check_access("write")
            raise UserError(
                self.env._(
                    "Snapshot %(name)s is frozen: its figures cannot be changed.",
                    name=self[:1].snapshot_id.name,
                )
            )
        return super().write(vals)

    def unlink(self):
        # the cascade of a snapshot never runs (it cannot be deleted)
        if self:
            self.check_access("unlink")
            raise UserError(
                self.env._(
                    "Snapshot %(name)s is frozen: its figures cannot be deleted.",
                    name=self[:1].snapshot_id.name,
                )
            )
        return super().unlink()
