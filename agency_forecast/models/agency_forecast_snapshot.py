"""Snapshots: a scenario's figures frozen for the board, with its levers
(assumptions) and the day they were forecast from.

Made only by *Freeze for the Board* on a scenario
(:meth:`AgencyForecastSnapshot._agency_freeze`, audited), then read-only for
everyone (models/agency_forecast_frozen.py): the ORM refuses write and
unlink even to the superuser, as the audit log does. Accuracy
(report/agency_forecast_accuracy.py) compares its months with the real
invoices and payments.
"""

import json

from odoo import api, fields, models

from .. import forecast_accuracy as fa

BILLING = "agency_timesheet.group_agency_billing"


class AgencyForecastSnapshot(models.Model):
    _name = "agency.forecast.snapshot"
    _inherit = ["agency.forecast.frozen"]  # noqa: RUF012 (Odoo reads it)
    _description = "Agency Forecast Snapshot"
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    scenario_id = fields.Many2one(
        "agency.forecast.scenario", readonly=True, ondelete="set null"
    )
    kind = fields.Selection(
        lambda self: self.env["agency.forecast.scenario"]._fields["kind"].selection,
        readonly=True,
    )
    date = fields.Date(string="Forecast From", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Frozen By", readonly=True)
    assumptions = fields.Text(readonly=True, help="The scenario's levers when frozen.")
    levers = fields.Json(readonly=True)
    opening_balance = fields.Monetary(readonly=True, groups=BILLING)
    lowest_balance = fields.Monetary(readonly=True, groups=BILLING)
    lowest_balance_date = fields.Date(readonly=True)
    line_ids = fields.One2many(
        "agency.forecast.snapshot.line", "snapshot_id", string="Figures", readonly=True
    )

    @api.model
    def _agency_freeze(self, scenarios, today=None):
        """Freeze each scenario's figures of `today` (default the user's
        today): one snapshot each with its lines, audited; the snapshots."""
        scenarios.check_access("read")
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        data = scenarios.agency_forecast_data(today=today, scenario_ids=scenarios.ids)
        months = [fields.Date.to_date(m) for m in data["months"]]
        labels = (
            {
                name: field.string
                for name, field in scenarios._fields.items()
                if name in data["scenarios"][0]["levers"]
            }
            if data["scenarios"]
            else {}
        )
        labels["payment_term"] = self.env._("Other Payment Terms")
        vals_list = []
        for figures in data["scenarios"]:
            scenario = scenarios.browse(figures["id"])
            lines = fa.snapshot_lines(figures, months)
            lowest = figures["lowest_balance"]
            vals_list.append(
                {
                    "name": self.env._(
                        "%(scenario)s, %(day)s",
                        scenario=scenario.name,
                        day=data["today"],
                    ),
                    "company_id": scenario.company_id.id,
                    "currency_id": data["currency"]["id"],
                    "scenario_id": scenario.id,
                    "kind": scenario.kind,
                    "date": today,
                    "user_id": self.env.uid,
                    "levers": figures["levers"],
                    "assumptions": _assumptions(scenario, figures["levers"], labels),
                    "opening_balance": data["opening_balance"],
                    "lowest_balance": lowest["amount"],
                    "lowest_balance_date": lowest["date"] or False,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "figure": figure,
                                "client_id": client,
                                "month": month,
                                "amount": amount,
                            }
                        )
                        for figure, client, month, amount in lines
                    ],
                }
            )
        snapshots = (
            self.sudo()
            .with_context(agency_freeze=True)
            .create(vals_list)
            .with_env(self.env)
        )
        self.env["agency.audit"]._log_operation(
            "create",
            snapshots,
            reason=self.env._(
                "Frozen for the board: %s", ", ".join(snapshots.sudo().mapped("name"))
            ),
        )
        return snapshots

    def action_open_accuracy(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_forecast.agency_forecast_accuracy_action"
        )
        action["domain"] = [("snapshot_id", "in", self.ids)]
        return action


def _assumptions(scenario, levers, labels):
    """The levers in words, one a line, then the scenario's note."""
    text = [
        f"{labels.get(name, name)}: {value}"
        for name, value in levers.items()
        if value not in (False, None, "")
    ]
    if scenario.note:
        text.append(scenario.note)
    return "\n".join(text) or json.dumps(levers)
