"""Timesheet entries in agency_forecast: approval marks their projects and
people for the early warnings' minute job (agency_warning_mark.py);
approving, rejecting, reopening, invoicing, freeing and editing entries marks
their weekly margin facts dirty (report/margin_upkeep.py), in the same
transaction."""

from odoo import api, models

from ..report import margin_upkeep


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _agency_after_approve(self):
        """Approved time marks its projects and people: their early warnings
        are evaluated within a minute (agency_warning_mark.py), once per
        project and person whatever the number of entries approved."""
        result = super()._agency_after_approve()
        self.env["agency.warning.mark"].sudo()._agency_mark(self)
        return result

    # -- weekly margin facts (report/agency_margin_week.py) --

    def _agency_margin_mark(self, only_in_margins=True):
        """Mark the weekly margin facts of these entries dirty, their keys as
        the database holds them once pending writes are flushed."""
        if self.ids:
            self.flush_recordset()
            margin_upkeep.mark_entries(self.env, self.ids, only_in_margins)

    def _agency_set_state(self, state, values, reason=None):
        """Approving, rejecting and reopening change the margins (one SQL
        UPDATE: the keys are those of before, which it does not change)."""
        self._agency_margin_mark(only_in_margins=False)
        return super()._agency_set_state(state, values, reason=reason)

    def _agency_sql_written(self, values, also=()):
        """Prices, invoice links and freeing written in SQL change the margins."""
        result = super()._agency_sql_written(values, also)
        self._agency_margin_mark(only_in_margins=False)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._agency_margin_mark()
        return lines

    def write(self, vals):
        stale = not set(vals).isdisjoint(self._agency_margin_fields())
        if stale:
            self._agency_margin_mark()
        result = super().write(vals)
        if stale:
            self._agency_margin_mark()
        return result

    def unlink(self):
        self._agency_margin_mark()
        return super().unlink()

    @api.model
    def _agency_margin_fields(self):
        """The entry fields the margin facts read."""
        return self.env["agency.margin.fact"]._depends[self._name]
