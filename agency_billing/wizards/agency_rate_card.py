"""The effective rate card of a client or a project: what applies on a day, and
what changes when over the months that follow.

One row per role, and per person who has a line of their own, for each period
in which the same rate line applies. It is computed with the same precedence as
the entries' prices (:class:`..models.rate_precedence.RateCard`), so what the
card says is what an entry logged that day gets.
"""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.osv import expression

from ..models.pricing import Pricing
from ..models.rate_precedence import Entry

HORIZONS = [("90", "3 months"), ("180", "6 months"), ("365", "12 months")]


class AgencyRateCard(models.TransientModel):
    _name = "agency.rate.card"
    _description = "Effective Rate Card"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The client whose card to show. Leave empty for the card of a client "
        "without rates of its own.",
    )
    project_id = fields.Many2one(
        "project.project",
        domain="[('company_id', 'in', (False, company_id))]",
        help="The project whose card to show; its customer's lines apply too.",
    )
    date = fields.Date(
        string="On",
        required=True,
        default=fields.Date.context_today,
        help="The day whose rates the card shows first.",
    )
    horizon = fields.Selection(
        HORIZONS,
        string="Changes Over",
        required=True,
        default="180",
        help="How far ahead to show the changes already planned.",
    )
    line_ids = fields.One2many(
        "agency.rate.card.line",
        "card_id",
        compute="_compute_line_ids",
        store=True,
        readonly=True,
    )
    missing_count = fields.Integer(compute="_compute_line_ids", store=True)

    @api.depends("project_id")
    def _compute_partner_id(self):
        for card in self:
            if card.project_id:
                card.partner_id = card.project_id.partner_id.commercial_partner_id
            else:
                card.partner_id = card.partner_id

    @api.depends("company_id", "partner_id", "project_id", "date", "horizon")
    def _compute_line_ids(self):
        for card in self:
            rows = card._rows() if card.date and card.company_id else []
            card.line_ids = [Command.clear()] + [Command.create(row) for row in rows]
            card.missing_count = len(
                {row["who"] for row in rows if row["state"] == "missing"}
            )

    def _people(self):
        """The people with lines of their own that can apply on this card."""
        self.ensure_one()
        scopes = [[("project_id", "=", False), ("partner_id", "=", False)]]
        if self.project_id:
            scopes.append([("project_id", "=", self.project_id._origin.id)])
        if self.partner_id:
            scopes.append([("partner_id", "=", self.partner_id._origin.id)])
        lines = (
            self.env["agency.rate"]
            .sudo()
            .search(
                expression.AND(
                    [
                        [
                            ("company_id", "=", self.company_id.id),
                            ("employee_id", "!=", False),
                        ],
                        expression.OR(scopes),
                    ]
                )
            )
        )
        return lines.employee_id.sorted("name")

    def _rows(self):
        self.ensure_one()
        first = self.date
        last = first + timedelta(days=int(self.horizon) - 1)
        company = self.company_id._origin
        pricing = Pricing(self.env, [company.id], first, last)
        client = self.partner_id._origin.commercial_partner_id.id or None
        project = self.project_id._origin.id or None
        roles = self.env["agency.role"].search(
            [("company_id", "in", (False, company.id))]
        )
        whos = [(role, self.env["hr.employee"], role) for role in roles]
        whos += [
            (employee.sudo().role_id, employee, employee) for employee in self._people()
        ]
        rows = []
        for sequence, (role, employee, who) in enumerate(whos):
            entry = Entry(
                company=company.id,
                client=client,
                project=project,
                role=role.id or None,
                employee=employee.id or None,
                date=first,
            )
            for start, end, line in pricing.card.timeline(entry, first, last):
                currency, bill_rate, cost_rate = (
                    pricing.rates[line.id] if line else (False, 0.0, 0.0)
                )
                rows.append(
                    {
                        "sequence": sequence,
                        "who": who.display_name,
                        "role_id": role.id,
                        "employee_id": employee.id,
                        "date_from": start,
                        "date_to": end if end < last else False,
                        "current": start == first,
                        "state": "priced" if line else "missing",
                        "rate_id": line.id if line else False,
                        "currency_id": currency,
                        "bill_rate": bill_rate,
                        "cost_rate": cost_rate,
                    }
                )
        return rows

    def action_refresh(self):
        """Recompute the card (after changing rate lines in another tab)."""
        self.ensure_one()
        self._compute_line_ids()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }


class AgencyRateCardLine(models.TransientModel):
    _name = "agency.rate.card.line"
    _description = "Effective Rate Card Line"
    _order = "sequence, date_from, id"

    card_id = fields.Many2one(
        "agency.rate.card", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    who = fields.Char(help="The role, or the person with a rate of their own.")
    role_id = fields.Many2one("agency.role")
    employee_id = fields.Many2one("hr.employee", string="Person")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="Until", help="Empty: beyond the card's horizon.")
    current = fields.Boolean(string="Applies Now")
    state = fields.Selection([("priced", "Priced"), ("missing", "No rate")])
    rate_id = fields.Many2one("agency.rate", string="Rate Line")
    currency_id = fields.Many2one("res.currency")
    bill_rate = fields.Monetary()
    cost_rate = fields.Monetary(
        help="The line's cost rate; 0 means the person's hourly cost applies."
    )
