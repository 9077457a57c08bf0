"""What the probe suite (test_probe.py) found, pinned down in-process.

- Ordering or grouping entries by a related field a level may not read (the
  Billing-only Engagement, ``project_id.agency_engagement_id``) read its values
  off the groups: refused now (agency_timesheet/models/base.py).
- A timer started with a list for its project reached the database as an
  array: refused with a clear message now (agency_timesheet/models/agency_timer.py).
- Submit (and every transition) moved entries of a company the caller is not in: an
  Administrator of one company submitted another company's entries. The
  caller's companies are checked first now (``check_companies``,
  agency_timesheet/entry_guards.py, from ``_agency_transition``).
- Cancelling billing run id 0, as anyone (an internal user without any
  Agency group included), freed every unbilled entry as the superuser:
  the caller's rights are checked and only existing runs are cancelled now
  (agency_billing/models/agency_billing_run.py).
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.agency_timesheet.tests.common import AgencyCase

FAR = "Probe Fixes Far Co"


@tagged("post_install", "-at_install")
class TestProbeFindings(AgencyCase):
    def test_hidden_related_field_cannot_order_or_group(self):
        Lines = self.env["account.analytic.line"]
        for level in ("user", "producer"):
            mine = Lines.with_user(self.users[level])
            with self.subTest(level=level):
                with self.assertRaises(AccessError):
                    mine.search([], order="agency_engagement_id desc", limit=1)
                with self.assertRaises(AccessError):
                    mine.read_group([], ["__count"], ["agency_engagement_id"])
                # Ordering by what they may read still works.
                mine.search([], order="project_id desc, date", limit=1)
        billing = Lines.with_user(self.users["billing"])
        billing.search([], order="agency_engagement_id desc", limit=1)
        billing.read_group([], ["__count"], ["agency_engagement_id"])

    def test_timer_start_with_the_wrong_types(self):
        Timer = self.env["agency.timer"].with_user(self.users["user"])
        for project in ([self.project.id], "1", {"id": 1}):
            with (
                self.subTest(project=project),
                self.assertRaisesRegex(UserError, "one task or one project"),
            ):
                Timer.action_start(project)
        with self.assertRaisesRegex(UserError, "by their ids"):
            Timer.browse(["x"]).action_stop()
        info = Timer.action_start(self.project.id)
        self.assertEqual(info["project_id"], self.project.id)

    def test_no_transition_on_another_companys_entries(self):
        far = self.env["res.company"].create({"name": FAR})
        env = self.env(context=dict(self.env.context, allowed_company_ids=far.ids))
        person = env["hr.employee"].create({"name": "Far Person", "company_id": far.id})
        project = env["project.project"].create(
            {"name": "Far Campaign", "company_id": far.id, "allow_timesheets": True}
        )
        entry = env["account.analytic.line"].create(
            {
                "name": "far work",
                "employee_id": person.id,
                "project_id": project.id,
                "unit_amount": 1.0,
                "date": "2026-03-02",
            }
        )
        for level in ("producer", "billing", "admin"):
            theirs = entry.with_user(self.users[level])
            with self.subTest(level=level), self.assertRaises(AccessError):
                theirs.action_submit()
        self.assertEqual(entry.approval_state, "draft")

    def test_cancel_of_a_run_that_does_not_exist(self):
        Run = self.env["agency.billing.run"]
        with self.assertRaises(AccessError):
            Run.with_user(self.users["internal"]).browse(0).action_cancel()
        entry = self.log(self.employees["user"], 1.0, project_id=self.project.id)
        before = entry.write_date
        self.env.flush_all()
        Run.with_user(self.users["admin"]).browse(0).action_cancel()
        self.env.invalidate_all()
        self.assertEqual(entry.write_date, before, "no entry freed")
