"""Who can see rates: from the live groups, every active internal user who can
read bill rates, cost rates, margins and forecasts, and why (the group that
grants it and the chain of implied groups that gives it to them). Printable
for a client's security questionnaire (report/agency_rate_visibility.xml).

A kind is readable by a user when an access rule of its model grants them
read and, for a field, when they are in one of the field's groups. The kinds
whose model is not installed are left out.
"""

from collections import deque

from odoo import api, fields, models

# (what, model, field or None): the money a client asks about.
KINDS = (
    ("Bill rates", "agency.rate", "bill_rate"),
    ("Cost rates", "agency.rate", "cost_rate"),
    ("Entry prices and costs", "account.analytic.line", "agency_cost_rate"),
    ("Margins", "agency.margin.fact", None),
    ("Forecasts", "agency.forecast.scenario", None),
)


class AgencyRateVisibility(models.TransientModel):
    _name = "agency.rate.visibility"
    _description = "Agency Rate Visibility"
    _order = "what, user_name"

    what = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, ondelete="cascade")
    user_name = fields.Char(related="user_id.name", store=True)
    group_id = fields.Many2one(
        "res.groups", string="Granted By", readonly=True, ondelete="cascade"
    )
    chain = fields.Char(string="Why", readonly=True)

    @api.model
    def _agency_rows(self):
        """[(what, user, granting group, chain)] from the live configuration."""
        Groups = self.env["res.groups"].sudo()
        users = self.env["res.users"].sudo().search([("share", "=", False)])
        rows = []
        for what, model, field_name in KINDS:
            if model not in self.env:
                continue
            granting = self._agency_read_groups(model)
            field = self.env[model]._fields.get(field_name) if field_name else None
            field_groups = (
                Groups.browse([self.env.ref(x).id for x in field.groups.split(",")])
                if field is not None and field.groups
                else None
            )
            for user in users:
                mine = user.groups_id
                granted = granting & mine
                if field_groups is not None:
                    if not field_groups & mine:
                        continue
                    granted = (granting & field_groups & mine) or granted
                if not granted:
                    continue
                group = granted.sorted(lambda g: -len(g.trans_implied_ids))[-1:]
                rows.append((what, user, group, _chain(mine, group)))
        return rows

    @api.model
    def _agency_read_groups(self, model):
        access = (
            self.env["ir.model.access"]
            .sudo()
            .search([("model_id.model", "=", model), ("perm_read", "=", True)])
        )
        return access.group_id

    @api.model
    def action_refresh(self):
        """Rebuild the list from the live groups and open it."""
        self.search([("create_uid", "=", self.env.uid)]).unlink()
        self.create(
            [
                {
                    "what": what,
                    "user_id": user.id,
                    "group_id": group.id,
                    "chain": chain,
                }
                for what, user, group, chain in self._agency_rows()
            ]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "agency_timesheet.agency_rate_visibility_list_action"
        )
        return action


def _chain(groups, target):
    """'A → B → target' from the highest of groups that implies target."""
    sources = groups.filtered(lambda g: target in g.trans_implied_ids)
    top = sources - sources.trans_implied_ids
    if not top:
        return target.full_name
    start = top.sorted("id")[0]
    # breadth-first over implied_ids, for the shortest chain
    queue = deque([(start, [start])])
    seen = {start.id}
    while queue:
        group, path = queue.popleft()
        if group == target:
            return " → ".join(g.full_name for g in path)
        for nxt in group.implied_ids:
            if nxt.id not in seen:
                seen.add(nxt.id)
                queue.append((nxt, [*path, nxt]))
    return f"{start.full_name} → {target.full_name}"
