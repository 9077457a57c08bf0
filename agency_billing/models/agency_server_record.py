"""Records that only the server writes: a mixin for the conveyor's findings.

The pre-billing checks (agency_billing_check.py) are written by Check on a run,
the retainer ledger (agency_retainer_period.py) by its engagement and by billing
runs, always as superuser after the conveyor's own rights checks. A client's
create, write or delete of one is refused, whatever its context: a blocking
check made a warning, or a ledger row edited, would let time reach an invoice
unchecked. Each model says in :meth:`_agency_server_refusal` what to do instead.
"""

from odoo import api, models
from odoo.exceptions import UserError


class AgencyServerRecord(models.AbstractModel):
    _name = "agency.server.record"
    _description = "Agency Record Kept by the Server"

    @api.model_create_multi
    def create(self, vals_list):
        self._agency_check_server()
        return super().create(vals_list)

    def write(self, vals):
        self._agency_check_server()
        return super().write(vals)

    def unlink(self):
        self._agency_check_server()
        return super().unlink()

    def _agency_check_server(self):
        if not self.env.su:
            raise UserError(self._agency_server_refusal())

    def _agency_server_refusal(self):
        """The translated refusal a client gets, with the way out."""
        return self.env._(
            "%(model)s records are kept by the billing conveyor, never written "
            "directly.",
            model=self._description,
        )
