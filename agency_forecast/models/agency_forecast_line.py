"""The forecast lines behind one figure: a drill-down list computed on demand.

Nothing is stored for good: the scenario's drill-down
(``agency.forecast.scenario.agency_forecast_drill``) writes the lines of one
figure into this transient model and opens them; each line opens its real
records (entries, expenses, bookings, schedule lines, engagements, invoices,
people). Billing and Administrators only.
"""

import json

from odoo import api, fields, models

KIND_LABELS = [
    ("time", "Approved time not invoiced"),
    ("expense", "Re-billed expenses"),
    ("booking", "Booked work"),
    ("fixed_fee", "Fixed-fee schedule"),
    ("retainer", "Retainer fees"),
    ("overage", "Retainer overage"),
    ("draft_invoice", "Draft invoices"),
    ("open_invoice", "Open invoices"),
    ("payroll", "Payroll"),
    ("overhead", "Overheads"),
]


class AgencyForecastLine(models.TransientModel):
    _name = "agency.forecast.line"
    _description = "Agency Forecast Line"
    _order = "day, kind, id"

    scenario_id = fields.Many2one("agency.forecast.scenario", readonly=True)
    view = fields.Selection(
        [("revenue", "Revenue"), ("billings", "Billings"), ("cash", "Cash")],
        readonly=True,
    )
    kind = fields.Selection(KIND_LABELS, readonly=True)
    day = fields.Date(readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(currency_field="company_currency_id", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Engagement Currency", readonly=True
    )
    amount_currency = fields.Monetary(
        string="In Engagement Currency", currency_field="currency_id", readonly=True
    )
    client_id = fields.Many2one("res.partner", readonly=True)
    engagement_id = fields.Many2one("agency.engagement", readonly=True)
    source_model = fields.Char(readonly=True)
    source_ids = fields.Char(readonly=True)

    @api.model
    def _agency_open(self, scenario, view, picked):
        """Create the lines of `picked` [(Line, day, amount)] and open them."""
        currency = scenario.company_id.currency_id
        records = self.create(
            [
                {
                    "scenario_id": scenario.id,
                    "view": view,
                    "kind": line.kind,
                    "day": day,
                    "company_currency_id": currency.id,
                    "amount": amount,
                    "currency_id": line.currency_id or currency.id,
                    "amount_currency": line.amount_currency * (amount / line.amount)
                    if line.amount
                    else 0.0,
                    "client_id": line.client_id or False,
                    "engagement_id": line.engagement_id or False,
                    "source_model": line.source_model,
                    "source_ids": json.dumps(list(line.source_ids)),
                }
                for line, day, amount in picked
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Forecast lines of %(scenario)s", scenario=scenario.name
            ),
            "res_model": self._name,
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("id", "in", records.ids)],
            "target": "current",
        }

    def action_open_sources(self):
        """The real records behind this line."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": dict(KIND_LABELS)[self.kind],
            "res_model": self.source_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", json.loads(self.source_ids or "[]"))],
        }
