"""Rate lines: scope, description, and bad input refused with nothing saved."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import RateCase


@tagged("post_install", "-at_install")
class TestRateLine(RateCase):
    def assertRefused(self, exception, words, func, *args, **kwargs):
        """func raises exception mentioning every one of words, and the number of
        rate lines stays the same."""
        count = self.env["agency.rate"].with_context(active_test=False).search_count([])
        with self.assertRaises(exception) as caught, self.env.cr.savepoint():
            func(*args, **kwargs)
        message = str(caught.exception)
        for word in words:
            self.assertIn(word, message)
        self.assertEqual(
            self.env["agency.rate"].with_context(active_test=False).search_count([]),
            count,
            "nothing saved",
        )
        return message

    def test_scope_and_description(self):
        line = self.rate(
            120,
            role_id=self.role_ad.id,
            partner_id=self.acme.id,
            date_from="2026-01-01",
        )
        self.assertEqual(line.scope, "role_client")
        self.assertEqual(
            line.display_name, "Role Test Art Director for client Acme, from 1 Jan 2026"
        )
        default = self.rate(90)
        self.assertEqual(default.scope, "company")
        self.assertEqual(default.display_name, "Company default")
        person = self.rate(
            150,
            employee_id=self.dani.id,
            project_id=self.project.id,
            date_from="2026-03-01",
            date_to="2026-03-31",
        )
        self.assertEqual(person.scope, "employee_project")
        self.assertEqual(
            person.display_name,
            "Agency user on project Test Campaign, 1 Mar 2026 – 31 Mar 2026",
        )
        ending = self.rate(80, role_id=self.role_designer.id, date_to="2026-06-30")
        self.assertEqual(ending.display_name, "Role Test Designer, until 30 Jun 2026")

    def test_overlap_refused_naming_both_lines(self):
        self.rate(100, role_id=self.role_ad.id, date_from="2026-01-01")
        message = self.assertRefused(
            ValidationError,
            [
                "Role Test Art Director, from 1 Jan 2026",
                "Role Test Art Director, 1 Mar 2026 – 31 Mar 2026",
                "1 Mar 2026 – 31 Mar 2026",
            ],
            self.rate,
            110,
            role_id=self.role_ad.id,
            date_from="2026-03-01",
            date_to="2026-03-31",
        )
        self.assertIn("End the first one", message)

    def test_open_lines_of_one_scope_overlap(self):
        self.rate(100)
        self.assertRefused(ValidationError, ["Company default"], self.rate, 110)

    def test_consecutive_and_other_scopes_accepted(self):
        self.rate(100, role_id=self.role_ad.id, date_to="2026-02-28")
        self.rate(110, role_id=self.role_ad.id, date_from="2026-03-01")
        self.rate(130, role_id=self.role_ad.id, partner_id=self.acme.id)
        self.rate(120, role_id=self.role_designer.id)
        self.assertEqual(self.env["agency.rate"].search_count([]), 4)

    def test_overlap_checked_when_dates_change_or_unarchived(self):
        old = self.rate(100, role_id=self.role_ad.id, date_to="2026-02-28")
        new = self.rate(110, role_id=self.role_ad.id, date_from="2026-03-01")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            old.date_to = "2026-03-01"
        new.active = False
        old.date_to = "2026-03-31"  # the archived line no longer counts
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            new.active = True

    def test_negative_rates_refused(self):
        self.assertRefused(ValidationError, ["negative", "-5.0"], self.rate, -5.0)
        self.assertRefused(
            ValidationError, ["negative", "-1.0"], self.rate, 100, cost_rate=-1.0
        )
        free = self.rate(0.0, role_id=self.role_ad.id)
        self.assertEqual(free.bill_rate, 0.0, "0 is a deliberate free rate")

    def test_end_before_start_refused(self):
        self.assertRefused(
            ValidationError,
            ["ends on 03/01/2026", "starts on 03/31/2026"],
            self.rate,
            100,
            date_from="2026-03-31",
            date_to="2026-03-01",
        )
        line = self.rate(100, date_from="2026-03-01")
        with self.assertRaises(ValidationError):
            line.date_to = "2026-02-01"

    def test_person_and_role_contradict(self):
        """A line is for a person or for a role: both on one line are refused,
        whether or not the role is the person's default role."""
        for role in (self.role_designer, self.role_ad):  # Dani's default, another
            self.assertRefused(
                ValidationError,
                ["Agency user", role.name, "person or for a role"],
                self.rate,
                100,
                employee_id=self.dani.id,
                role_id=role.id,
            )

    def test_client_and_project_contradict(self):
        self.assertRefused(
            ValidationError,
            ["Acme", "Test Campaign", "leave Client empty"],
            self.rate,
            100,
            partner_id=self.acme.id,
            project_id=self.project.id,
        )

    def test_contact_instead_of_client_refused(self):
        self.assertRefused(
            ValidationError,
            ["Acme, Jo Acme", "choose Acme"],
            self.rate,
            100,
            partner_id=self.acme_contact.id,
        )

    def test_scope_of_another_company_refused(self):
        other = self.env["res.company"].create({"name": "Other Studio"})
        far_project = self.env["project.project"].create(
            {"name": "Far Project", "company_id": other.id, "allow_timesheets": True}
        )
        far_role = self.env["agency.role"].create(
            {"name": "Far Role", "code": "FAR", "company_id": other.id}
        )
        far_client = self.env["res.partner"].create(
            {"name": "Far Client", "is_company": True, "company_id": other.id}
        )
        far_person = self.env["hr.employee"].create(
            {"name": "Far Person", "company_id": other.id}
        )
        for field, record in (
            ("project_id", far_project),
            ("role_id", far_role),
            ("partner_id", far_client),
            ("employee_id", far_person),
        ):
            with self.subTest(field):
                self.assertRefused(
                    UserError,
                    [record.display_name, "another company"],
                    self.rate,
                    100,
                    **{field: record.id},
                )

    def test_currency_not_usable_refused(self):
        inactive = self.env["res.currency"].create(
            {"name": "ZZA", "symbol": "Z", "active": False}
        )
        self.assertRefused(
            ValidationError,
            ["ZZA", "not active"],
            self.rate,
            100,
            currency_id=inactive.id,
        )
        no_rates = self.env["res.currency"].create({"name": "ZZB", "symbol": "Y"})
        self.assertRefused(
            ValidationError,
            ["ZZB has no exchange rate", self.company.name],
            self.rate,
            100,
            currency_id=no_rates.id,
        )
        self.env["res.currency.rate"].create(
            {"currency_id": no_rates.id, "rate": 2.0, "name": "2026-01-01"}
        )
        # with a rate, the line is saved and prices time in its currency
        line = self.rate(100, currency_id=no_rates.id)
        entry = self.entry(2.0, day="2026-03-02")
        self.assertEqual(entry.agency_rate_id, line)
        self.assertEqual(entry.agency_rate_state, "priced")
        self.assertEqual(entry.agency_rate_currency_id, no_rates)
        self.assertEqual(entry.agency_amount, 200.0)

    def test_default_company_and_currency(self):
        line = self.env["agency.rate"].create({"bill_rate": 90})
        self.assertEqual(line.company_id, self.env.company)
        self.assertEqual(line.currency_id, self.env.company.currency_id)


@tagged("post_install", "-at_install")
class TestRateLineHistory(RateCase):
    """A line that priced approved entries is part of their history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls.rate(100, role_id=cls.role_designer.id, date_from="2026-03-01")
        cls.approved = cls.entry(day="2026-03-02")
        cls.approved.approval_state = "approved"

    def test_price_and_scope_locked(self):
        for vals in (
            {"bill_rate": 120},
            {"cost_rate": 30},
            {"role_id": self.role_ad.id},
            {"partner_id": self.acme.id},
        ):
            with (
                self.subTest(vals),
                self.assertRaises(UserError) as caught,
                self.env.cr.savepoint(),
            ):
                self.line.write(vals)
            self.assertIn("end this line the day before", str(caught.exception))
        self.line.write({"bill_rate": 100, "note": "unchanged rate is fine"})

    def test_end_date_may_not_exclude_approved_entries(self):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.line.date_to = "2026-03-01"
        self.line.date_to = "2026-03-02"
        self.assertEqual(self.approved.agency_bill_rate, 100)

    def test_delete_refused_archive_keeps_prices(self):
        with self.assertRaises(UserError) as caught:
            self.line.unlink()
        self.assertIn("Archive it", str(caught.exception))
        draft = self.entry(day="2026-03-03")
        self.assertEqual(draft.agency_rate_state, "priced")
        self.line.active = False
        self.assertEqual(self.approved.agency_bill_rate, 100)
        self.assertEqual(self.approved.agency_rate_id, self.line)
        self.assertEqual(draft.agency_rate_state, "missing", "drafts follow the cards")

    def test_unused_line_can_be_deleted(self):
        spare = self.rate(70, role_id=self.role_ad.id)
        draft = self.entry(day="2026-03-03", role_id=self.role_ad.id)
        self.assertEqual(draft.agency_rate_id, spare)
        spare.unlink()
        self.assertEqual(draft.agency_rate_state, "missing")
        self.assertFalse(draft.agency_rate_id)
