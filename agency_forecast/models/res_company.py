"""The early warnings' thresholds, per company (shown in Settings).

Their bounds and defaults are said once, in ``THRESHOLDS``
(warning_rules.py); a value outside them is refused with a message that names
the company, the setting and its range.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..warning_rules import THRESHOLDS


def _default(name):
    return THRESHOLDS[name][2]


class ResCompany(models.Model):
    _inherit = "res.company"

    agency_warning_creep_points = fields.Float(
        string="Non-billable Creep (points)",
        default=_default("agency_warning_creep_points"),
        help="Warn when the non-billable share of a project or a person over the "
        "last 4 weeks is more than this many percentage points above their own "
        "share of the 12 weeks before.",
    )
    agency_warning_revision_share = fields.Float(
        string="Revisions Above (% of hours)",
        default=_default("agency_warning_revision_share"),
        help="Warn when a project's hours on revision tasks exceed this share of "
        "its hours.",
    )
    agency_warning_revision_rounds = fields.Integer(
        string="Revision Rounds per Deliverable",
        default=_default("agency_warning_revision_rounds"),
        help="Warn when one deliverable has more revision rounds than this.",
    )
    agency_warning_burn_share = fields.Float(
        string="Budget Used Above (%)",
        default=_default("agency_warning_burn_share"),
        help="For budgets without an end date or deadline: warn once this share "
        "is used. With one, the warning comes when the budget runs out before it "
        "at the last 4 weeks' pace.",
    )
    agency_warning_margin_target = fields.Float(
        string="Target Margin (%)",
        default=_default("agency_warning_margin_target"),
        help="Warn when an engagement's margin (revenue minus cost, over revenue) "
        "falls below this.",
    )
    agency_warning_writeoff_share = fields.Float(
        string="Write-offs Above (% of billed)",
        default=_default("agency_warning_writeoff_share"),
        help="Warn when an engagement's write-downs and over-run write-offs "
        "exceed this share of what it billed.",
    )

    agency_resourcing_user_id = fields.Many2one(
        "res.users",
        string="Resourcing Owner",
        domain="[('share', '=', False)]",
        help="Hears of the staffing signals (over-booked people, burnout risk, "
        "roles under target, demand beyond supply) as activities, beside the "
        "producers of the projects concerned.",
    )

    @api.constrains(*THRESHOLDS)
    def _check_agency_warning_thresholds(self):
        for company in self:
            for name, (lowest, highest, _default_value) in THRESHOLDS.items():
                value = company[name]
                if lowest <= value <= highest:
                    continue
                raise ValidationError(
                    self.env._(
                        "%(company)s: %(setting)s cannot be %(value)s; choose a value "
                        "from %(lowest)s to %(highest)s (Settings › Agency › Early "
                        "Warnings).",
                        company=company.name,
                        setting=self._fields[name].get_description(self.env)["string"],
                        value=value,
                        lowest=lowest,
                        highest=highest,
                    )
                )
