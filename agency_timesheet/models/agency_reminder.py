"""Humane reminders: a kind nudge at each person's chosen local hour, and a weekly
digest to approvers at the review deadline.

Reminders go to people who log time (employees with an Agency role and a user in
an Agency group), only on their working days (their calendar minus holidays and
leave), only when a working day of the current week so far has less than the
company's share of its expected hours, and at most once a day. The hourly cron
works in each person's own time zone. The wording is built by plain functions
(tested directly): specific ("Tuesday has 2 h of 8 h"), never a scolding.
"""

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models

from ..pilot import employee_domain
from ..tools import local_now, week_bounds


def reminder_due(local, hour, reminded_on):
    """Whether a person's daily reminder is due: it is at or past their hour and
    they were not reminded today (a late cron still sends it, once)."""
    return local.hour >= hour and reminded_on != local.date()


def short_days(days, expected, logged, share):
    """The working days among `days` with less than `share` of their expected
    hours logged: [(day, logged, expected)]."""
    return [
        (day, logged.get(day, 0.0), expected[day])
        for day in days
        if expected.get(day) and logged.get(day, 0.0) < share * expected[day]
    ]


def hours_text(hours):
    """3 h, 2.5 h, 0 h."""
    return f"{hours:g} h"


def nudge_lines(short, today, template="{day} has {logged} of {expected}", now="Today"):
    """'Tuesday has 2 h of 8 h' for each short day (`now` for today)."""
    return [
        template.format(
            day=now if day == today else day.strftime("%A"),
            logged=hours_text(logged),
            expected=hours_text(expected),
        )
        for day, logged, expected in short
    ]


class AgencyReminder(models.AbstractModel):
    _name = "agency.reminder"
    _description = "Agency timesheet reminders"

    @api.model
    def _people(self, with_user=True):
        """Employees who log time in the agency (they have a role) and are in
        the pilot (pilot.py); with_user: only those with a user in an Agency
        group, whom we can remind."""
        domain = [("role_id", "!=", False), *employee_domain(self.env)]
        if with_user:
            group = self.env.ref("agency_timesheet.group_agency_user")
            domain += [("user_id", "!=", False), ("user_id.groups_id", "in", group.ids)]
        return self.env["hr.employee"].sudo().search(domain)

    @api.model
    def _cron_send_reminders(self):
        now = fields.Datetime.now()
        self._send_nudges(now)
        self._send_digests(now)

    # -- daily nudges ------------------------------------------------------------

    @api.model
    def _send_nudges(self, now):
        due = {}
        for employee in self._people():
            user = employee.user_id
            if not user.agency_reminder_enabled:
                continue
            local = local_now(now, employee.tz or user.tz)
            if reminder_due(local, user.agency_reminder_hour, user.agency_reminded_on):
                due[employee] = local.date()
        if not due:
            return
        employees = self.env["hr.employee"].concat(*due)
        first = min(
            week_bounds(day, int(emp.company_id.agency_week_start))[0]
            for emp, day in due.items()
        )
        last = max(due.values())
        expected = employees._agency_expected_hours(first, last)
        logged = self._logged(employees, first, last)
        sent = []
        for employee, today in due.items():
            week_start = week_bounds(today, int(employee.company_id.agency_week_start))[
                0
            ]
            days = [
                week_start + timedelta(days=n)
                for n in range((today - week_start).days + 1)
            ]
            mine = expected[employee.id]
            if not mine.get(today):
                continue  # a day off or on leave: no reminder at all
            short = short_days(
                days,
                mine,
                logged.get(employee.id, {}),
                employee.company_id.agency_reminder_share / 100.0,
            )
            employee.user_id.agency_reminded_on = today
            if short:
                self._notify(
                    employee.user_id,
                    self.env._("A gentle nudge about your timesheet"),
                    self._nudge_body(employee, short, today),
                )
                sent += [
                    {
                        "employee_id": employee.id,
                        "department_id": employee.department_id.id,
                        "sent_on": today,
                        "day": day,
                    }
                    for day, _logged, _expected in short
                ]
        # what was said, for the adoption figures (days fixed after a reminder)
        self.env["agency.reminder.log"].sudo().create(sent)

    @api.model
    def _nudge_body(self, employee, short, today):
        texts = nudge_lines(
            short,
            today,
            template=self.env._("{day} has {logged} of {expected}"),
            now=self.env._("Today"),
        )
        lines = Markup("").join(Markup("<li>%s</li>") % text for text in texts)
        first_name = (employee.name or "").split(" ")[0]
        return Markup(
            "<p>Hi %(name)s,</p><p>%(intro)s</p><ul>%(lines)s</ul><p>%(outro)s</p>"
        ) % {
            "name": escape(first_name),
            "intro": self.env._("A quick look at your week so far:"),
            "lines": lines,
            "outro": self.env._(
                "A couple of minutes now (My Week, or the timer in the top bar) saves "
                "a puzzle on Friday. If you were off, nothing to do: tell your "
                "producer and enjoy it."
            ),
        }

    # -- weekly digest to approvers ----------------------------------------------

    @api.model
    def _send_digests(self, now):
        """At the company's review deadline, in each approver's own time zone, a
        digest of last week: who has missing days and what waits for them."""
        people = self._people(with_user=False)
        approvers = defaultdict(lambda: self.env["hr.employee"])
        for employee in people:
            for project_user in self._approvers_of(employee):
                approvers[project_user] |= employee
        for approver, team in approvers.items():
            company = approver.company_id
            local = local_now(now, approver.tz)
            deadline_day = int(company.agency_submit_deadline_weekday)
            if (
                local.weekday() != deadline_day
                or local.hour < company.agency_submit_deadline_hour
                or approver.agency_digest_sent_on == local.date()
            ):
                continue
            week_start, week_end = week_bounds(
                local.date() - timedelta(days=7), int(company.agency_week_start)
            )
            body = self._digest_body(approver, team, week_start, week_end)
            approver.agency_digest_sent_on = local.date()
            if body:
                self._notify(
                    approver,
                    self.env._("Timesheets of the week of %(day)s", day=week_start),
                    body,
                )

    @api.model
    def _approvers_of(self, employee):
        """Producers of the projects the person logged time on lately, and their
        own timesheet approver."""
        since = fields.Date.today() - timedelta(days=21)
        projects = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [("employee_id", "=", employee.id), ("date", ">=", since)],
                ["project_id"],
            )
        )
        users = self.env["res.users"]
        for (project,) in projects:
            users |= project.user_id
        users |= employee.agency_approver_id
        return users.filtered(
            lambda user: user.has_group("agency_timesheet.group_agency_producer")
        )

    @api.model
    def _digest_body(self, approver, team, first, last):
        expected = team._agency_expected_hours(first, last)
        logged = self._logged(team, first, last)
        share = approver.company_id.agency_reminder_share / 100.0
        days = [first + timedelta(days=n) for n in range(7)]
        missing = []
        for employee in team.sorted("name"):
            short = short_days(
                days, expected[employee.id], logged.get(employee.id, {}), share
            )
            if short:
                total = sum(hours for _d, hours, _e in short)
                target = sum(hours for _d, _l, hours in short)
                missing.append(
                    self.env._(
                        "%(person)s: %(count)s day(s) short "
                        "(%(logged)s of %(expected)s)",
                        person=employee.name,
                        count=len(short),
                        logged=hours_text(total),
                        expected=hours_text(target),
                    )
                )
        pending = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("approver_id", "=", approver.id),
                    ("approval_state", "=", "submitted"),
                ],
                ["employee_id"],
                ["unit_amount:sum"],
            )
        )
        if not missing and not pending:
            return None
        parts = [Markup("<p>%s</p>") % self.env._("Here is where last week stands.")]
        if pending:
            parts.append(
                Markup("<p><b>%s</b></p><ul>") % self.env._("Waiting for you:")
            )
            parts += [
                Markup("<li>%s</li>")
                % self.env._(
                    "%(person)s: %(hours)s submitted",
                    person=employee.name,
                    hours=hours_text(hours),
                )
                for employee, hours in pending
            ]
            parts.append(Markup("</ul>"))
        if missing:
            parts.append(
                Markup("<p><b>%s</b></p><ul>")
                % self.env._("Days that look incomplete (a friendly word helps):")
            )
            parts += [Markup("<li>%s</li>") % line for line in missing]
            parts.append(Markup("</ul>"))
        return Markup("").join(parts)

    # -- helpers -----------------------------------------------------------------

    @api.model
    def _logged(self, employees, first, last):
        """{employee id: {date: hours}} of timesheet entries, in one query."""
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("project_id", "!=", False),
                    ("date", ">=", first),
                    ("date", "<=", last),
                ],
                ["employee_id", "date:day"],
                ["unit_amount:sum"],
            )
        )
        logged = defaultdict(dict)
        for employee, day, hours in groups:
            logged[employee.id][day] = hours
        return logged

    @api.model
    def _notify(self, user, subject, body):
        """In Odoo's inbox or by email, as the person chose in their preferences."""
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=body,
            model_description=self.env._("Timesheets"),
        )
