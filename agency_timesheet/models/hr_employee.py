from datetime import datetime, time, timedelta

import pytz

from odoo import models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def _agency_expected_hours(self, first, last):
        """Hours each person is expected to log per day from `first` to `last`
        (dates, inclusive, in each person's own time zone): their working
        calendar (part-time included) minus public holidays and leave (the
        calendar's leaves, which validated Time Off also creates).

        :return: {employee id: {date: hours}}; days without work are absent
        """
        result = {employee.id: {} for employee in self}
        if not self:
            return result
        # A window wide enough for every time zone; days are cut locally below.
        start = datetime.combine(first - timedelta(days=1), time.min, tzinfo=pytz.utc)
        stop = datetime.combine(last + timedelta(days=2), time.min, tzinfo=pytz.utc)
        per_day = self.sudo()._list_work_time_per_day(start, stop)
        for employee_id, days in per_day.items():
            result[employee_id] = {
                day: round(hours, 2) for day, hours in days if first <= day <= last
            }
        return result
