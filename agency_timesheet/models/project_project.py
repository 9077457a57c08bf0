"""Stock project fields and panels that carry money: hidden from Agency Users
and Producers (res_groups.py says why and how)."""

from odoo import fields, models

from .res_groups import COSTS_VISIBLE


class ProjectProject(models.Model):
    _inherit = "project.project"

    # The project's analytic balance: its time at the people's hourly cost
    # (and its invoices) summed up.
    analytic_account_balance = fields.Monetary(groups=COSTS_VISIBLE)
    agency_code = fields.Char(
        string="Code",
        index="btree_not_null",
        copy=False,
        help="The project's code in the agency's other tools (an import maps "
        "their projects by it).",
    )

    def _show_profitability(self):
        """The project panel's profitability (revenues, timesheet costs, read
        as superuser by stock) is shown to every project user in stock: not to
        Agency Users and Producers."""
        return super()._show_profitability() and self.env.user.has_group(COSTS_VISIBLE)
