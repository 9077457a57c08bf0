"""Field groups hold when ordering and grouping by a related field too.

Odoo checks a field's ``groups`` when a stored field is turned into SQL, but
for a related field that is not stored it follows the relation first and
checks only the target field: a Producer could order or group entries by the
Billing-only *Engagement* (``project_id.agency_engagement_id``) and read its
values off the groups. Found by the probe suite (tests/test_probe.py); the
check is Odoo's own, made before the relation is followed.
"""

from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        field = self._fields.get(fname.split(".", 1)[0])
        if field is not None and field.related and not field.store and field.groups:
            self.check_field_access_rights("read", [field.name])
        return super()._field_to_sql(alias, fname, query, flush)
