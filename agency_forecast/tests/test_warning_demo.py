"""The demo agency's early warnings (demo/warnings.py): each story has its
standing warning and its owner's activity, whatever day the demo was built."""

from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.agency_timesheet.tests.demo_common import DemoCase

from ..profitability import kpis
from ..warning_rules import RECENT_DAYS, retainer_period


@tagged("post_install", "-at_install")
class TestWarningDemo(DemoCase):
    demo_xmlid = "agency_demo.engagement_bright_brand"

    def ref(self, name):
        return self.env.ref(f"agency_demo.{name}")

    def assertWarned(self, rule, owner, **subject):
        domain = [("rule", "=", rule), ("state", "=", "open")]
        domain += [(f"{name}_id", "=", record.id) for name, record in subject.items()]
        warning = self.env["agency.warning"].search(domain)
        self.assertEqual(len(warning), 1, f"{rule} {subject}")
        self.assertEqual(warning.owner_id, owner, warning.name)
        activity = warning.activity_ids
        self.assertEqual(len(activity), 1, warning.name)
        self.assertEqual(activity.user_id, owner)
        self.assertEqual(activity.summary, warning.name)
        self.assertTrue(warning.line_count, "the entries driving it")
        self.assertEqual(
            self.env["account.analytic.line"].search_count(
                warning._agency_line_domain()
            ),
            warning.line_count,
        )
        return warning

    def test_revision_rounds(self):
        warning = self.assertWarned(
            "revisions",
            self.ref("user_priya"),
            project=self.ref("project_foxglove_lookbook"),
        )
        self.assertIn("5 revision rounds", warning.message)

    def test_creeping_non_billable_time_of_a_person(self):
        warning = self.assertWarned(
            "nonbillable_creep",
            self.ref("user_priya"),
            employee=self.ref("employee_theo"),
        )
        self.assertGreater(warning.measure, warning.limit)

    def test_effective_rate_well_below_the_role(self):
        """Théo's approved time of the last 4 weeks earns well under his role's
        rate card (the margins' effective rate: revenue ÷ hours logged): his
        hours went into internal work, which his creep warning points at."""
        theo = self.ref("employee_theo")
        facts = self.env["agency.margin.fact"]._agency_totals(
            [
                ("employee_id", "=", theo.id),
                ("date", ">=", self.plan.today - timedelta(days=RECENT_DAYS)),
                ("date", "<=", self.plan.approved_until),
            ],
            ["employee_id"],
        )
        effective = kpis(facts[theo])["effective_rate"]
        role_rate = self.ref("rate_role_des").bill_rate
        self.assertLess(effective, 0.6 * role_rate)

    def test_retainer_burning_early(self):
        engagement = self.ref("engagement_bright_brand")
        warning = self.assertWarned(
            "budget_hours", self.ref("user_paula"), engagement=engagement
        )
        _first, last = retainer_period(warning.last_seen)
        self.assertLessEqual(warning.exhausted_on, last, "runs out by the month end")

    def test_fixed_fee_that_over_ran(self):
        engagement = self.ref("engagement_acme_web")
        bruno = self.ref("user_bruno")
        margin = self.assertWarned("margin", bruno, engagement=engagement)
        self.assertLess(margin.measure, margin.limit)
        self.assertWarned("writeoff", bruno, engagement=engagement)
        burn = self.assertWarned("budget_amount", bruno, engagement=engagement)
        self.assertEqual(burn.severity, "danger", "effort beyond the fee")

    def test_nothing_for_stock_odoo_time(self):
        """Time without an Agency role (stock Odoo's demo) raises nothing."""
        warnings = self.env["agency.warning"].search([("state", "!=", "resolved")])
        self.assertTrue(warnings)
        Line = self.env["account.analytic.line"]
        for warning in warnings:
            if not (warning.employee_id or warning.project_id):
                # a role's staffing signal (capacity and bookings): no entries
                self.assertIn(warning.rule, ("underused", "supply"), warning.name)
                continue
            subject = (
                [("employee_id", "=", warning.employee_id.id)]
                if warning.employee_id
                else [("project_id", "=", warning.project_id.id)]
            )
            self.assertTrue(
                Line.search_count([*subject, ("role_id", "!=", False)]), warning.name
            )
