"""What each reminder said: one row per short day a nudge named, so that the
adoption figures count reminders sent and the days fixed after them. Written by
the reminder cron only; no hours of anyone but the day's expected and logged
totals at the time."""

from odoo import fields, models


class AgencyReminderLog(models.Model):
    _name = "agency.reminder.log"
    _description = "Agency reminder sent"
    _order = "sent_on desc, id desc"
    _rec_name = "day"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="employee_id.company_id", store=True)
    department_id = fields.Many2one(
        "hr.department", string="Team", readonly=True, index=True
    )
    sent_on = fields.Date(required=True, readonly=True, index=True)
    day = fields.Date(string="Short Day", required=True, readonly=True)
