"""Analytic balances sum timesheet costs: hidden from Agency Users and
Producers, like the entries' amounts (res_groups.py says why and how)."""

from odoo import fields, models

from .res_groups import COSTS_VISIBLE


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    balance = fields.Monetary(groups=COSTS_VISIBLE)
    debit = fields.Monetary(groups=COSTS_VISIBLE)
    credit = fields.Monetary(groups=COSTS_VISIBLE)
