"""The day a person starts, for their capacity (capacity.py).

Odoo 18 Community's employee has a departure date but no start date (the first
contract date belongs to hr_contract, which the agency does not require):
capacity counts nothing before ``agency_start_date`` nor after
``departure_date``.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    agency_start_date = fields.Date(
        string="Start Date",
        groups="hr.group_hr_user",
        help="The first day this person works here: their capacity starts on it "
        "(and ends on their departure date). Empty: they were always here.",
    )

    @api.constrains("agency_start_date", "departure_date")
    def _check_agency_start_date(self):
        for employee in self:
            start, end = employee.agency_start_date, employee.departure_date
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "%(person)s cannot leave on %(end)s before starting on "
                        "%(start)s: correct the start or the departure date.",
                        person=employee.name,
                        end=end,
                        start=start,
                    )
                )
