"""Rate multipliers of an engagement: weekend, public holiday, outside the
person's working hours or rush work billed at a multiple of the found rate
(the rules: ``multipliers``). Billing runs apply them when they collect."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .multipliers import (
    KIND_LABELS,
    KINDS,
    Multiplier,
    factor_error,
    label,
    overlapping,
)

BILLING = "agency_timesheet.group_agency_billing"


class AgencyRateMultiplier(models.Model):
    _name = "agency.rate.multiplier"
    _description = "Agency Rate Multiplier"
    _order = "engagement_id, kind, date_from, id"

    engagement_id = fields.Many2one(
        "agency.engagement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="engagement_id.company_id", store=True)
    kind = fields.Selection(
        [(key, KIND_LABELS[key]) for key in KINDS],
        required=True,
        help="Weekend: Saturday and Sunday. Public holiday: a day off of the "
        "whole company (or the person's working calendar). Outside working "
        "hours: a timer started or stopped outside the person's working hours "
        "that day. Rush: an entry a producer marked as rush.",
    )
    factor = fields.Float(
        required=True,
        default=1.5,
        digits=(16, 4),
        groups=BILLING,
        help="The found rate is multiplied by this (1.5 bills 150 %).",
    )
    label = fields.Char(
        help="Shown on the entry and the invoice line (default: the kind)."
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")

    @api.constrains("factor")
    def _check_factor(self):
        for rule in self:
            error = factor_error(rule.factor)
            if error:
                raise ValidationError(
                    self.env._(
                        "Multiplier %(rule)s of %(engagement)s: %(value)s is refused, "
                        "%(error)s.",
                        rule=rule.display_name,
                        engagement=rule.engagement_id.display_name,
                        value=rule.factor,
                        error=error,
                    )
                )

    @api.constrains("kind", "date_from", "date_to", "engagement_id")
    def _check_dates(self):
        for engagement in self.engagement_id:
            rules = engagement.multiplier_ids
            bad = rules.filtered(
                lambda r: r.date_from and r.date_to and r.date_to < r.date_from
            )
            if bad:
                raise ValidationError(
                    self.env._(
                        "Multiplier %(rule)s of %(engagement)s ends before it "
                        "starts: correct its dates.",
                        rule=bad[0].display_name,
                        engagement=engagement.display_name,
                    )
                )
            pair = overlapping(rules._agency_plain())
            if pair:
                first, second = self.browse([pair[0].id, pair[1].id])
                raise ValidationError(
                    self.env._(
                        "Engagement %(engagement)s has two %(kind)s multipliers "
                        "for the same days (%(first)s and %(second)s): one kind "
                        "applies once a day. End one before the other starts.",
                        engagement=engagement.display_name,
                        kind=dict(self._fields["kind"].selection)[first.kind].lower(),
                        first=first.display_name,
                        second=second.display_name,
                    )
                )

    @api.depends("kind", "label", "factor")
    def _compute_display_name(self):
        for rule in self:
            if rule.kind:
                rule.display_name = label(rule._agency_plain()[0])
            else:
                rule.display_name = rule.label or ""

    def _agency_plain(self):
        """[Multiplier] of the records (plain values for ``multipliers``)."""
        return [
            Multiplier(
                rule.id,
                rule.kind,
                rule.sudo().factor,
                rule.label or None,
                rule.date_from or None,
                rule.date_to or None,
            )
            for rule in self
        ]
