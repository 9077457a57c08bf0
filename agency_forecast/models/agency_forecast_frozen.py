"""What is frozen for the board (a snapshot and its figures): made only by
*Freeze for the Board* (the superuser with the freeze context, in
``agency.forecast.snapshot._agency_freeze``), never changed nor deleted by
anyone afterwards, the superuser included, as the audit log."""

from odoo import api, models
from odoo.exceptions import UserError


class AgencyForecastFrozen(models.AbstractModel):
    _name = "agency.forecast.frozen"
    _description = "Frozen for the Board"

    def _agency_snapshot(self):
        """The snapshot a record belongs to (named in the refusals)."""
        return self

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("agency_freeze") or not self.env.su:
            self.check_access("create")
            raise UserError(
                self.env._(
                    "A snapshot and its figures are made by Freeze for the Board "
                    "on a forecast scenario, never by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            self.check_access("write")
            raise UserError(
                self.env._(
                    "Snapshot %(name)s is frozen: it cannot be changed. Freeze the "
                    "scenario again for new figures.",
                    name=self[:1]._agency_snapshot().name,
                )
            )
        return super().write(vals)

    def unlink(self):
        if self:
            self.check_access("unlink")
            raise UserError(
                self.env._(
                    "Snapshot %(name)s is frozen: it cannot be deleted.",
                    name=self[:1]._agency_snapshot().name,
                )
            )
        return super().unlink()
