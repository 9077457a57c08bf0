"""sale_timesheet's per-person prices of a project: the sale price of each
person's hour and a copy of their hourly cost, readable by every internal
user in stock. Hidden from Agency Users and Producers (agency_timesheet's
res_groups.py says why and how). Its Hourly Cost column keeps stock's groups
(project administrators, HR officers), like the employee's hourly cost."""

from odoo import fields, models

from odoo.addons.agency_timesheet.models.res_groups import COSTS_VISIBLE


class ProjectSaleLineEmployeeMap(models.Model):
    _inherit = "project.sale.line.employee.map"

    price_unit = fields.Float(groups=COSTS_VISIBLE)
    cost = fields.Monetary(groups=COSTS_VISIBLE)
