"""Expense categories: their own markup when re-billed, and a limit to check.

A category's markup applies instead of the engagement's only when *Own Markup*
is ticked (so 0 % is a markup a category can have: "re-bill taxis at cost");
untick it to follow each engagement's markup.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Billing decides the markup; expense managers, who keep the categories, see
# and set it too.
GROUPS = "agency_timesheet.group_agency_billing,hr_expense.group_hr_expense_manager"


class ProductTemplate(models.Model):
    _inherit = "product.template"

    agency_expense_markup_set = fields.Boolean(
        string="Own Markup",
        groups=GROUPS,
        help="Re-billed expenses of this category take the markup below instead "
        "of the engagement's.",
    )
    agency_expense_markup = fields.Float(
        string="Markup (%)",
        digits=(16, 2),
        groups=GROUPS,
        help="Added to the cost of re-billed expenses of this category, when Own "
        "Markup is ticked.",
    )
    agency_expense_limit = fields.Float(
        string="Re-billing Limit",
        digits="Product Price",
        groups=GROUPS,
        help="Re-billed expenses of this category above this amount (in the "
        "company's currency) get a warning in billing runs. 0: no limit.",
    )

    @api.constrains("agency_expense_markup", "agency_expense_limit")
    def _check_agency_expense_values(self):
        for template in self:
            if template.agency_expense_markup < 0 or template.agency_expense_limit < 0:
                raise ValidationError(
                    self.env._(
                        "Expense category %(name)s: markup and re-billing limit "
                        "cannot be negative (a limit of 0 means no limit).",
                        name=template.display_name,
                    )
                )
