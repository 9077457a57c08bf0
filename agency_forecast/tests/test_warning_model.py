"""Early warnings on records: each rule fires on a crafted case and stays quiet
on a clean one; the owner hears of a new warning once; a cleared condition
resolves it; acknowledging needs a reason and the right person; thresholds out
of range are refused; the number of queries does not grow with the entries.

Every date is fixed: `TODAY` is a Monday of June 2026, so the last 4 weeks are
4-31 May and the 12 weeks before them 9 February - 3 May (warning_rules.windows).
"""

from datetime import date, timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.agency_billing.tests.common import BillingCase
from odoo.addons.agency_forecast.models import agency_warning

TODAY = date(2026, 6, 1)
RECENT = [date(2026, 5, 4) + timedelta(days=7 * week) for week in range(4)]
BASELINE = [date(2026, 2, 9) + timedelta(days=7 * week) for week in range(12)]


@tagged("post_install", "-at_install")
class WarningCase(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["agency.warning"].search([]).unlink()
        cls.Warning = env["agency.warning"]
        cls.producer = cls.users["producer"]
        cls.dani.agency_approver_id = cls.producer
        cls.project.allocated_hours = 0
        cls.task.allocated_hours = 0

    def days(self, days, hours, **vals):
        """One approved entry of `hours` on each day of `days`."""
        lines = self.env["account.analytic.line"]
        for day in days:
            lines |= self.approved(hours, day=str(day), **vals)
        return lines

    def evaluate(self, projects=None, employees=None, today=TODAY):
        self.Warning._agency_evaluate(
            today, projects if projects is not None else self.project, employees
        )
        return self.Warning.search([("state", "!=", "resolved")])

    def standing(self, rule, **subject):
        domain = [("rule", "=", rule), ("state", "!=", "resolved")]
        domain += [(f"{name}_id", "=", record.id) for name, record in subject.items()]
        return self.Warning.search(domain)


@tagged("post_install", "-at_install")
class TestWarningRulesOnRecords(WarningCase):
    def test_nonbillable_creep_of_a_project(self):
        self.days(BASELINE, 4.0)
        recent = self.days(RECENT, 4.0)
        self.evaluate()
        self.assertFalse(self.standing("nonbillable_creep", project=self.project))
        # half of the last 4 weeks left out of billing: 50 points up
        recent[:2].sudo().write({"agency_excluded_reason": "client disputes it"})
        self.evaluate()
        warning = self.standing("nonbillable_creep", project=self.project)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.measure, 50.0)
        self.assertEqual(warning.severity, "danger")
        self.assertEqual(warning.owner_id, self.producer)
        self.assertEqual(warning.line_count, 2)
        entries = self.env["account.analytic.line"].search(
            warning.action_open_entries()["domain"]
        )
        self.assertEqual(entries, recent[:2], "the button opens exactly those")

    def test_nonbillable_creep_of_a_person(self):
        self.days(BASELINE, 4.0)
        self.days(RECENT, 4.0)
        self.evaluate(employees=self.dani)
        self.assertFalse(self.standing("nonbillable_creep", employee=self.dani))
        internal = self.days(RECENT, 2.0, project_id=self.internal.id, task_id=False)
        self.evaluate(employees=self.dani)
        warning = self.standing("nonbillable_creep", employee=self.dani)
        # 8 of 24 hours not billable lately, none before: 33.3 points
        self.assertEqual(warning.measure, 33.3)
        self.assertEqual(warning.owner_id, self.producer, "Dani's approver")
        self.assertEqual(
            self.env["account.analytic.line"].search(
                warning.action_open_entries()["domain"]
            ),
            internal,
        )

    def test_excessive_revisions_share(self):
        Task = self.env["project.task"]
        rework = Task.create(
            {
                "name": "Revisions",
                "project_id": self.project.id,
                "agency_revision": True,
            }
        )
        self.days(RECENT, 6.0)
        self.days(RECENT[:1], 6.0, task_id=rework.id)
        self.evaluate()
        self.assertFalse(self.standing("revisions"), "6 of 30 hours: 20 %")
        self.days(RECENT[1:2], 6.0, task_id=rework.id)
        self.evaluate()
        warning = self.standing("revisions", project=self.project)
        self.assertEqual(warning.measure, 33.3)
        self.assertEqual(warning.line_count, 2)

    def test_excessive_revision_rounds(self):
        Task = self.env["project.task"]
        rounds = Task.create(
            [
                {
                    "name": f"Round {n}",
                    "project_id": self.project.id,
                    "parent_id": self.task.id,
                    "agency_revision": True,
                }
                for n in range(1, 4)
            ]
        )
        self.days(RECENT, 8.0)
        self.evaluate()
        self.assertFalse(self.standing("revisions"), "three rounds are allowed")
        rounds |= Task.create(
            {
                "name": "Round 4",
                "project_id": self.project.id,
                "parent_id": self.task.id,
                "agency_revision": True,
            }
        )
        self.evaluate()
        warning = self.standing("revisions", project=self.project)
        self.assertIn("4 revision rounds", warning.message)

    def test_budget_burn_in_hours(self):
        self.project.write(
            {"allocated_hours": 100.0, "date_start": "2026-01-05", "date": "2026-06-20"}
        )
        self.days(BASELINE, 4.0)
        self.days(RECENT, 7.0)  # 76 used, 28 in 4 weeks: 24 left, 24 days
        self.evaluate()
        self.assertFalse(
            self.standing("budget_hours", project=self.project),
            "runs out on 25 June, after the project's end",
        )
        self.days(RECENT, 1.0)  # 80 used, 32 lately: 20 left in 17 days
        self.evaluate()
        warning = self.standing("budget_hours", project=self.project)
        self.assertEqual(warning.exhausted_on, date(2026, 6, 18))
        self.assertEqual(warning.severity, "warning")
        self.assertEqual(warning.owner_id, self.producer)
        # a task over its allocated hours: serious
        self.task.allocated_hours = 20.0
        self.evaluate()
        task_warning = self.standing("budget_hours", task=self.task)
        self.assertEqual(task_warning.severity, "danger")

    def test_retainer_burning_early(self):
        retainer = self.env["agency.engagement"].create(
            {
                "name": "Acme Retainer",
                "partner_id": self.acme.id,
                "kind": "retainer",
                "date_start": "2026-01-01",
                "included_hours": 20.0,
                "period_fee": 2000.0,
                "user_id": self.biller.id,
            }
        )
        self.acme_web.agency_engagement_id = retainer
        today = date(2026, 6, 10)
        days = [date(2026, 6, day) for day in (1, 2)]
        self.days(days, 4.0, project_id=self.acme_web.id, task_id=False)
        self.evaluate(self.acme_web, today=today)
        self.assertFalse(
            self.standing("budget_hours"), "8 of 20 hours: at that pace, late July"
        )
        days = [date(2026, 6, day) for day in (3, 4)]
        self.days(days, 4.5, project_id=self.acme_web.id, task_id=False)
        self.evaluate(self.acme_web, today=today)
        warning = self.standing("budget_hours", project=self.acme_web)
        # 17 of 20 hours by the 10th, 17 in 4 weeks: 3 left, gone by the 14th
        self.assertEqual(warning.exhausted_on, date(2026, 6, 14))
        self.assertEqual(warning.engagement_id, retainer)

    def test_fixed_fee_over_budget_and_below_margin(self):
        fixed = self.env["agency.engagement"].create(
            {
                "name": "Acme Fixed",
                "partner_id": self.acme.id,
                "kind": "fixed_fee",
                "fee_amount": 1000.0,
                "user_id": self.biller.id,
                "schedule_line_ids": [
                    (0, 0, {"name": "All", "date_due": "2026-05-01", "percent": 100.0})
                ],
            }
        )
        self.acme_web.agency_engagement_id = fixed
        self.days(RECENT, 2.0)
        self.days(RECENT, 2.0, project_id=self.acme_web.id, task_id=False)
        self.evaluate(self.acme_web | self.project)
        self.assertFalse(self.standing("budget_amount"), "800 of 1,000")
        self.assertFalse(
            self.standing("margin", engagement=self.engagement),
            "time & materials at 100 an hour costing 40 earns its margin",
        )
        self.days(RECENT, 2.0, project_id=self.acme_web.id, task_id=False)
        self.evaluate(self.acme_web)
        burn = self.standing("budget_amount", engagement=fixed)
        self.assertEqual(burn.severity, "danger")
        self.assertEqual(burn.owner_id, self.biller, "the billing owner")
        self.assertEqual(burn.amount, 1600.0)
        margin = self.standing("margin", engagement=fixed)
        self.assertEqual(margin.severity, "danger", "cost and nothing invoiced")

    def test_margins_refused_leave_money_warnings_as_they_stand(self):
        """Margins refuse to answer without an exchange rate: the approval
        and the nightly job go on, the money warnings stand as they were."""
        self.acme_web.agency_engagement_id.cap_amount = 100.0
        self.days(RECENT, 2.0, project_id=self.acme_web.id, task_id=False)
        self.evaluate(self.acme_web)
        burn = self.standing("budget_amount", engagement=self.engagement)
        self.assertTrue(burn)
        Engagement = type(self.env["agency.engagement"])
        refusal = UserError("No rate for EUR on 2026-05-04")
        with patch.object(Engagement, "_agency_margin_figures", side_effect=refusal):
            self.engagement.cap_amount = 0.0
            self.evaluate(self.acme_web)
        self.assertEqual(burn.state, "open", "not resolved on a refusal")
        self.evaluate(self.acme_web)
        self.assertEqual(burn.state, "resolved", "caught up once margins answer")

    def test_writeoff_leakage(self):
        self.approved(10.0, day="2026-03-02")
        run = self.new_run()
        run.action_collect()
        self.env["agency.billing.adjustment"].create(
            {
                "run_line_id": run.line_ids.id,
                "direction": "down",
                "basis": "amount",
                "amount": 50.0,
                "reason": "goodwill",
                "note": "a small gesture",
            }
        )
        self.review_and_invoice(run)
        self.evaluate()
        self.assertFalse(self.standing("writeoff"), "50 of 950 billed")
        run2 = self.new_run(date_to="2026-04-30", invoice_date="2026-05-01")
        self.approved(10.0, day="2026-04-06")
        run2.action_collect()
        self.env["agency.billing.adjustment"].create(
            {
                "run_line_id": run2.line_ids.id,
                "direction": "down",
                "basis": "amount",
                "amount": 400.0,
                "reason": "inefficiency",
                "note": "too many hours",
            }
        )
        self.review_and_invoice(run2)
        self.evaluate()
        warning = self.standing("writeoff", engagement=self.engagement)
        self.assertEqual(warning.amount, 450.0)
        self.assertEqual(warning.owner_id, self.biller)


@tagged("post_install", "-at_install")
class TestWarningLifecycle(WarningCase):
    def setUp(self):
        super().setUp()
        self.task.allocated_hours = 10.0
        self.lines = self.days(RECENT[:3], 4.0)

    def activities(self, warning):
        return self.env["mail.activity"].search(
            [("res_model", "=", "agency.warning"), ("res_id", "=", warning.id)]
        )

    def test_one_activity_per_new_warning(self):
        self.evaluate()
        warning = self.standing("budget_hours", task=self.task)
        activity = self.activities(warning)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.producer)
        self.assertIn("a heads-up", activity.note)
        self.assertEqual(warning.first_seen, TODAY)
        # it stands the next day: the same warning, no second activity
        self.evaluate(today=TODAY + timedelta(days=1))
        self.assertEqual(self.standing("budget_hours", task=self.task), warning)
        self.assertEqual(self.activities(warning), activity)
        self.assertEqual(warning.last_seen, TODAY + timedelta(days=1))
        # the condition clears: resolved, its activity done
        self.task.allocated_hours = 40.0
        self.evaluate(today=TODAY + timedelta(days=2))
        self.assertEqual(warning.state, "resolved")
        self.assertEqual(warning.resolved_on, TODAY + timedelta(days=2))
        self.assertFalse(self.activities(warning))
        # it comes back: a new warning, a new activity
        self.task.allocated_hours = 10.0
        self.evaluate(today=TODAY + timedelta(days=3))
        again = self.standing("budget_hours", task=self.task)
        self.assertNotEqual(again, warning)
        self.assertEqual(len(self.activities(again)), 1)

    def test_activities_of_many_new_warnings_in_batch(self):
        """The owners' activities of new warnings: one each, the owner a
        follower, in as many queries for 12 warnings as for 3 (one create,
        one access check and one subscription per person), and no
        "assigned to you" message per activity on top."""

        def notify(count, offset):
            warnings = self.Warning.sudo().with_context(tracking_disable=True)
            warnings = warnings.create(
                [
                    {
                        "name": f"Budget {number}",
                        "rule": "budget_hours",
                        "key": f"test:{number}",
                        "company_id": self.company.id,
                        "project_id": self.project.id,
                        "owner_id": self.producer.id,
                        "message": "The budget is used up.",
                        "first_seen": TODAY,
                        "last_seen": TODAY,
                    }
                    for number in range(offset, offset + count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            warnings._agency_notify_owner()
            self.env.flush_all()
            return warnings, self.env.cr.sql_log_count - before

        notify(1, 200)  # the registry's and the mail add-on's caches warm
        _few, few_queries = notify(3, 0)
        many, many_queries = notify(12, 100)
        self.assertEqual(many_queries, few_queries)
        for warning in many:
            activity = self.activities(warning)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.producer)
            self.assertIn("The budget is used up.", activity.note)
            self.assertIn(self.producer.partner_id, warning.message_partner_ids)
        messages = self.env["mail.message"].search_count(
            [("model", "=", "agency.warning"), ("res_id", "in", many.ids)]
        )
        self.assertEqual(messages, 0)

    def test_nightly_job_in_batches(self):
        """The nightly job evaluates a batch of projects per call and resumes
        where it stopped (the cron runner calls it again while some remain),
        then starts a new pass."""
        Param = self.env["ir.config_parameter"].sudo()
        calls = 0
        with patch.object(agency_warning, "CRON_BATCH", 5):
            while True:
                self.Warning._cron_evaluate(TODAY)
                calls += 1
                if not Param.get_param(agency_warning.CURSOR_PARAM) or calls > 100:
                    break
        projects = self.env["project.project"].search_count(
            [("allow_timesheets", "=", True)]
        )
        self.assertEqual(calls, -(-projects // 5))
        self.assertTrue(self.standing("budget_hours", task=self.task))

    def test_evaluated_on_approval(self):
        entry = self.entry(4.0, day="2026-05-20")
        entry.with_user(self.users["user"]).action_submit()
        self.assertFalse(self.standing("budget_hours", task=self.task))
        entry.with_user(self.producer).action_approve()
        # approving marks the project and the person; the minute job evaluates
        marks = self.env["agency.warning.mark"].search([])
        self.assertEqual(marks.project_id, entry.project_id)
        self.assertEqual(marks.employee_id, entry.employee_id)
        self.assertFalse(self.standing("budget_hours", task=self.task))
        self.env["agency.warning.mark"]._cron_evaluate_marked()
        self.assertTrue(self.standing("budget_hours", task=self.task))
        self.assertFalse(self.env["agency.warning.mark"].search([]))

    def test_approving_marks_once_per_project_and_person(self):
        """Approving many entries costs one query for the warnings, and marks
        each project and person once, however many times they are approved."""
        entries = self.entry(1.0, day="2026-05-18") | self.entry(1.0, day="2026-05-19")
        entries.with_user(self.users["user"]).action_submit()
        Mark = self.env["agency.warning.mark"]
        Mark._agency_mark(entries)
        with self.assertQueryCount(1):  # the marks and the cron trigger
            Mark._agency_mark(entries)
        self.assertEqual(len(Mark.search([])), 2, "one project, one person")
        cron = self.env.ref("agency_forecast.ir_cron_agency_warning_marked")
        due = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertEqual(len(due), 1, "woken once, not once per approval")

    def test_acknowledge_needs_a_reason_and_the_right_person(self):
        self.evaluate()
        warning = self.standing("budget_hours", task=self.task)
        mine = warning.with_user(self.producer)
        with self.assertRefused(UserError, "Say why"):
            mine._agency_acknowledge("  ")
        with self.assertRaises(AccessError):
            warning.with_user(self.users["user"])._agency_acknowledge("because")
        other = self.new_user("other_producer", "producer")
        with self.assertRaises(AccessError):
            warning.with_user(other)._agency_acknowledge("because")
        dialog = Form(
            self.env["agency.warning.acknowledge"]
            .with_user(self.producer)
            .with_context(default_warning_ids=warning.ids)
        )
        dialog.reason = "The client pays the extra hours as a change order."
        dialog.save().action_apply()
        self.assertEqual(warning.state, "acknowledged")
        self.assertEqual(warning.ack_user_id, self.producer)
        self.assertFalse(self.activities(warning), "no repeats while it stands")
        self.evaluate(today=TODAY + timedelta(days=1))
        self.assertEqual(warning.state, "acknowledged", "still acknowledged")
        self.assertFalse(self.activities(warning))

    def test_no_state_change_by_hand(self):
        self.evaluate()
        warning = self.standing("budget_hours", task=self.task)
        for level in ("producer", "billing", "admin"):
            with self.assertRaises(AccessError, msg=level):
                warning.with_user(self.users[level]).write({"state": "resolved"})


@tagged("post_install", "-at_install")
class TestWarningThresholds(WarningCase):
    def test_out_of_range_refused(self):
        for name, value in (
            ("agency_warning_creep_points", 0.0),
            ("agency_warning_revision_share", 120.0),
            ("agency_warning_revision_rounds", 0),
            ("agency_warning_burn_share", -5.0),
            ("agency_warning_margin_target", 150.0),
            ("agency_warning_writeoff_share", -1.0),
        ):
            with self.assertRefused(ValidationError, "choose a value from"):
                self.company.write({name: value})
        settings = Form(self.env["res.config.settings"])
        settings.agency_warning_creep_points = 500.0
        with self.assertRefused(ValidationError, "Non-billable Creep"):
            settings.save().execute()
        self.company.agency_warning_creep_points = 15.0
        self.assertEqual(self.company.agency_warning_creep_points, 15.0)


@tagged("post_install", "-at_install")
class TestWarningQueries(WarningCase):
    def test_query_count_does_not_grow_with_entries(self):
        projects = self.env["project.project"].create(
            [
                {
                    "name": f"Bench {n}",
                    "allow_timesheets": True,
                    "partner_id": self.acme.id,
                    "user_id": self.producer.id,
                    "allocated_hours": 10000.0,
                }
                for n in range(5)
            ]
        )

        def queries(per_project):
            for project in projects:
                for day in RECENT[:per_project]:
                    self.approved(
                        1.0, day=str(day), project_id=project.id, task_id=False
                    )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.evaluate(projects)
            return self.env.cr.sql_log_count - before

        few = queries(1)
        many = queries(4)
        self.assertEqual(few, many, "queries grow with the entries")
        self.assertLess(many, 60)
