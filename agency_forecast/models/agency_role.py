"""A role's target utilization: a band, not a single number (PRODUCT.md).

The heatmap colours a cell against its role's band and the staffing signals
read it; each role has its own (Agency › Configuration › Roles), 75–85 %
unless said otherwise. Bounds: 0–150 %, low not above high.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

TARGET_BOUNDS = (0.0, 150.0)
DEFAULT_BAND = (75.0, 85.0)


def check_band(env, owner, low, high):
    """Refuse a band out of 0–150 % or upside down, naming `owner`."""
    lowest, highest = TARGET_BOUNDS
    if lowest <= low <= high <= highest:
        return
    raise ValidationError(
        env._(
            "%(owner)s: the target utilization band %(low)s–%(high)s %% is not "
            "possible; choose a low and a high from %(lowest)s to %(highest)s %%, "
            "the low not above the high.",
            owner=owner,
            low=low,
            high=high,
            lowest=lowest,
            highest=highest,
        )
    )


class AgencyRole(models.Model):
    _inherit = "agency.role"

    agency_target_low = fields.Float(
        string="Target Utilization From (%)",
        default=DEFAULT_BAND[0],
        help="Below this share of capacity (logged or booked) the role is underused.",
    )
    agency_target_high = fields.Float(
        string="Target Utilization To (%)",
        default=DEFAULT_BAND[1],
        help="Above this share the role runs hot; above 100 % it is over-booked.",
    )

    @api.constrains("agency_target_low", "agency_target_high")
    def _check_agency_target(self):
        for role in self:
            check_band(
                self.env, role.name, role.agency_target_low, role.agency_target_high
            )
