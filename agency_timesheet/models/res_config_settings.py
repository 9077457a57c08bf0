from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    agency_timer_max_hours = fields.Float(
        related="company_id.agency_timer_max_hours", readonly=False
    )
    agency_timer_stop_at_day_end = fields.Boolean(
        related="company_id.agency_timer_stop_at_day_end", readonly=False
    )
    agency_timers_visible_to_producers = fields.Boolean(
        related="company_id.agency_timers_visible_to_producers", readonly=False
    )
    agency_timesheet_lock_date = fields.Date(
        related="company_id.agency_timesheet_lock_date", readonly=False
    )
    agency_week_start = fields.Selection(
        related="company_id.agency_week_start", readonly=False
    )
    agency_submit_deadline_weekday = fields.Selection(
        related="company_id.agency_submit_deadline_weekday", readonly=False
    )
    agency_submit_deadline_hour = fields.Integer(
        related="company_id.agency_submit_deadline_hour", readonly=False
    )
    agency_reminder_share = fields.Float(
        related="company_id.agency_reminder_share", readonly=False
    )
    agency_allow_self_approval = fields.Boolean(
        related="company_id.agency_allow_self_approval", readonly=False
    )
    agency_suggestion_retention_days = fields.Integer(
        related="company_id.agency_suggestion_retention_days", readonly=False
    )
    agency_retention_timer_months = fields.Integer(
        related="company_id.agency_retention_timer_months", readonly=False
    )
    agency_retention_departed_months = fields.Integer(
        related="company_id.agency_retention_departed_months", readonly=False
    )
    agency_retention_import_months = fields.Integer(
        related="company_id.agency_retention_import_months", readonly=False
    )
    agency_retention_audit_years = fields.Integer(
        related="company_id.agency_retention_audit_years", readonly=False
    )
