"""The records the margins read mark their weekly facts dirty when created,
changed or deleted (report/margin_upkeep.py), in the same transaction."""

from odoo import api, models


class AgencyMarginMarker(models.AbstractModel):
    _name = "agency.margin.marker"
    _description = "Agency Margin Marker"
    # Fields whose change makes the weekly facts stale; empty: any field.
    _agency_margin_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._agency_margin_mark()
        return records

    def write(self, vals):
        stale = not self._agency_margin_fields or not set(vals).isdisjoint(
            self._agency_margin_fields
        )
        if stale:  # the keys as they were …
            self._agency_margin_mark()
        result = super().write(vals)
        if stale:  # … and as they are now
            self._agency_margin_mark()
        return result

    def unlink(self):
        self._agency_margin_mark()
        return super().unlink()

    def _agency_margin_mark(self):
        """Mark the weekly facts of these records dirty (each model says which)."""
