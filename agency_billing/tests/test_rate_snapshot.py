"""Approval freezes the price; only an audited re-rate changes it afterwards."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import RateCase


@tagged("post_install", "-at_install")
class TestSnapshot(RateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.designer = cls.rate(100, role_id=cls.role_designer.id)
        cls.approved = cls.entry(2, day="2026-03-02")
        cls.draft = cls.entry(3, day="2026-03-03")
        cls.approved.approval_state = "approved"

    def approve(self, lines):
        """As issue 4's action_approve does it: one write on the batch."""
        lines.write({"approval_state": "approved"})

    def test_approval_freezes(self):
        self.assertTrue(self.approved.agency_rate_frozen)
        self.assertFalse(self.draft.agency_rate_frozen)

    def test_rate_change_leaves_approved_entries_alone(self):
        # The designer rate goes up from 3 March: end the old line, add a new one.
        self.designer.date_to = "2026-03-02"
        raised = self.rate(130, role_id=self.role_designer.id, date_from="2026-03-03")
        self.assertEqual(self.draft.agency_rate_id, raised)
        self.assertEqual(self.draft.agency_amount, 390)
        # A more specific line for the client, from before the approval date.
        acme = self.rate(150, partner_id=self.acme.id, date_from="2026-01-01")
        self.assertEqual(self.draft.agency_rate_id, acme, "drafts follow the cards")
        self.assertEqual(self.approved.agency_rate_id, self.designer)
        self.assertEqual(self.approved.agency_bill_rate, 100)
        self.assertEqual(self.approved.agency_amount, 200)

    def test_frozen_entries_keep_cost_too(self):
        self.dani.hourly_cost = 70
        self.assertEqual(self.approved.agency_cost_rate, 40)
        self.assertEqual(self.draft.agency_cost_rate, 70)

    def test_hours_changed_by_admin_keep_the_frozen_rate(self):
        self.approved.unit_amount = 4
        self.assertEqual(self.approved.agency_bill_rate, 100)
        self.assertEqual(self.approved.agency_amount, 400)

    def test_approval_freezes_the_current_card(self):
        """Approving prices with the cards of the moment of approval."""
        self.rate(120, partner_id=self.acme.id)
        self.approve(self.draft)
        self.assertTrue(self.draft.agency_rate_frozen)
        self.assertEqual(self.draft.agency_bill_rate, 120)

    def test_freezing_is_batched(self):
        Line = self.env["account.analytic.line"]

        def entries(count):
            return Line.create(
                [
                    {
                        "employee_id": self.paula.id,
                        "project_id": self.project.id,
                        "date": f"2026-04-{1 + i % 28:02d}",
                        "unit_amount": 0.1,
                        "name": "Batch",
                    }
                    for i in range(count)
                ]
            )

        def queries(lines):
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.approve(lines)
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        # Odoo itself writes 100 rows per UPDATE (here, of approval_state): the
        # freeze adds the same number of queries to 10 entries as to 100.
        small, large = entries(10), entries(100)
        self.assertEqual(queries(small), queries(large))
        self.assertTrue(all(large.mapped("agency_rate_frozen")))

    def test_sent_back_follows_the_cards_again_with_audit(self):
        self.rate(150, partner_id=self.acme.id)
        self.assertEqual(self.approved.agency_bill_rate, 100)
        self.approved.approval_state = "draft"
        self.assertFalse(self.approved.agency_rate_frozen)
        self.assertEqual(self.approved.agency_bill_rate, 150)
        audit = self.env["agency.audit"].search(
            [("line_id", "=", self.approved.id), ("operation", "=", "rerate")]
        )
        self.assertEqual(len(audit), 1)
        self.assertIn("100.00", audit.old_value)
        self.assertIn("150.00", audit.new_value)
        self.assertIn("Client Acme", audit.new_value)

    def test_created_approved_is_frozen(self):
        entry = self.entry(1, day="2026-03-04", approval_state="approved")
        self.assertTrue(entry.agency_rate_frozen)
        self.assertEqual(entry.agency_bill_rate, 100)


@tagged("post_install", "-at_install")
class TestRerate(RateCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.designer = cls.rate(100, role_id=cls.role_designer.id)
        cls.entries = cls.entry(2, day="2026-03-02") | cls.entry(1, day="2026-03-20")
        cls.other = cls.entry(1, project_id=cls.bright_project.id, task_id=False)
        (cls.entries | cls.other).write({"approval_state": "approved"})
        # The Acme rate was signed late, valid from 1 March.
        cls.acme_rate = cls.rate(125, partner_id=cls.acme.id, date_from="2026-03-01")
        cls.billing = cls.users["billing"]

    def wizard(self, entries, user=None):
        context = {"active_model": "account.analytic.line", "active_ids": entries.ids}
        form = Form(
            self.env["agency.rerate.wizard"]
            .with_user(user or self.billing)
            .with_context(**context)
        )
        return form

    def test_preview_old_and_new(self):
        form = self.wizard(self.entries | self.other)
        form.reason = "Acme's rates were signed late."
        wizard = form.save()
        lines = {line.entry_id: line for line in wizard.line_ids}
        first = lines[self.entries[0]]
        self.assertEqual(
            (
                first.old_bill_rate,
                first.old_amount,
                first.new_bill_rate,
                first.new_amount,
            ),
            (100, 200, 125, 250),
        )
        self.assertEqual(first.change, "price")
        self.assertEqual(first.new_rate_id, self.acme_rate)
        self.assertEqual(lines[self.other].change, "same")
        self.assertEqual(wizard.changed_count, 2)
        self.assertIn("2 of 3 entries get a new price", wizard.summary)
        # nothing changed yet
        self.assertEqual(self.entries[0].agency_bill_rate, 100)

    def test_apply_writes_new_prices_and_one_audit_row_each(self):
        form = self.wizard(self.entries | self.other)
        form.reason = "Acme's rates were signed on 10 March, valid from 1 March."
        form.save().action_apply()
        self.assertEqual(self.entries.mapped("agency_bill_rate"), [125, 125])
        self.assertEqual(self.entries.mapped("agency_amount"), [250, 125])
        self.assertTrue(all(self.entries.mapped("agency_rate_frozen")), "still frozen")
        self.assertEqual(self.entries[0].unit_amount, 2, "raw time is untouched")
        audit = self.env["agency.audit"].search(
            [
                ("operation", "=", "rerate"),
                ("line_id", "in", (self.entries | self.other).ids),
            ]
        )
        self.assertEqual(audit.line_id, self.entries, "one row per re-rated entry")
        self.assertEqual(len(audit), 2)
        row = audit.filtered(lambda a: a.line_id == self.entries[0])
        self.assertEqual(row.user_id, self.billing)
        self.assertIn("signed on 10 March", row.reason)
        self.assertIn("100.00", row.old_value)
        self.assertIn("125.00", row.new_value)

    def test_reason_required(self):
        wizard = (
            self.env["agency.rerate.wizard"]
            .with_user(self.billing)
            .create({"entry_ids": [(6, 0, self.entries.ids)], "reason": "  "})
        )
        self.assertEqual(wizard.changed_count, 2)
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(self.entries[0].agency_bill_rate, 100)

    def test_nothing_to_rerate(self):
        form = self.wizard(self.other)
        form.reason = "check"
        with self.assertRaises(UserError) as caught:
            form.save().action_apply()
        self.assertIn("Nothing to re-rate", str(caught.exception))

    def test_refused_when_an_entry_would_have_no_rate(self):
        self.designer.active = False
        self.acme_rate.active = False
        form = self.wizard(self.entries)
        form.reason = "cards cleaned up"
        wizard = form.save()
        self.assertEqual(wizard.missing_count, 2)
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn("No rate line applies", str(caught.exception))
        self.assertEqual(self.entries[0].agency_bill_rate, 100)

    def test_invoiced_entries_are_left_out(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.acme.id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Design", "quantity": 2, "price_unit": 100})
                ],
            }
        )
        invoiced = self.entries[0]
        invoiced.timesheet_invoice_id = invoice
        form = self.wizard(self.entries)
        form.reason = "late rates"
        wizard = form.save()
        self.assertEqual(wizard.invoiced_count, 1)
        self.assertEqual(wizard.line_ids.entry_id, self.entries[1])
        self.assertIn("1 invoiced entries are left out", wizard.summary)
        wizard.action_apply()
        self.assertEqual(invoiced.agency_bill_rate, 100, "invoiced: unchanged")
        self.assertEqual(self.entries[1].agency_bill_rate, 125)

    def test_billing_only(self):
        for level in ("user", "producer"):
            with self.subTest(level), self.assertRaises(AccessError):
                self.env["agency.rerate.wizard"].with_user(self.users[level]).create(
                    {"entry_ids": [(6, 0, self.entries.ids)], "reason": "x"}
                )


def invoice_for(env, partner):
    return env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_line_ids": [
                (0, 0, {"name": "Design", "quantity": 1, "price_unit": 100})
            ],
        }
    )


@tagged("post_install", "-at_install")
class TestApprovalHooks(RateCase):
    """agency_timesheet's approvals move entries between states with one SQL
    UPDATE and call hooks: _agency_check_approvable before, _agency_after_approve
    after approving, and _agency_set_state for every change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.designer = cls.rate(100, role_id=cls.role_designer.id)

    def sql_state(self, lines, state):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_analytic_line SET approval_state = %s WHERE id = ANY(%s)",
            [state, lines.ids],
        )
        lines.invalidate_recordset(["approval_state"])

    def entries(self, count):
        return self.env["account.analytic.line"].create(
            [
                {
                    "employee_id": self.dani.id,
                    "project_id": self.project.id,
                    "date": f"2026-04-{1 + i % 28:02d}",
                    "unit_amount": 0.1,
                    "name": "Hook",
                }
                for i in range(count)
            ]
        )

    def test_after_approve_freezes_with_constant_queries(self):
        def cost(lines):
            self.sql_state(lines, "approved")
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            lines._agency_after_approve()
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        small, large = self.entries(10), self.entries(300)
        self.assertEqual(cost(small), cost(large))
        self.assertTrue(all(large.mapped("agency_rate_frozen")))
        self.rate(150, partner_id=self.acme.id)
        self.assertEqual(set(large.mapped("agency_bill_rate")), {100})

    def test_invoiced_entries_are_not_approvable(self):
        lines = self.entries(2)
        lines[0].timesheet_invoice_id = invoice_for(self.env, self.acme)
        with self.assertRaises(UserError) as caught:
            lines._agency_check_approvable()
        self.assertIn("credit note", str(caught.exception))
        lines[1]._agency_check_approvable()

    def test_approve_and_reopen(self):
        """Through agency_timesheet's own actions (issue 4), when present."""
        if not hasattr(self.env["account.analytic.line"], "action_approve"):
            self.skipTest("agency_timesheet's approval actions are not installed")
        lines = self.entries(3)
        lines.sudo().action_submit()
        producer = self.users["producer"]
        lines.with_user(producer).action_approve()
        self.assertTrue(all(lines.mapped("agency_rate_frozen")))
        self.rate(150, partner_id=self.acme.id)
        self.assertEqual(set(lines.mapped("agency_bill_rate")), {100})
        lines.with_user(producer).action_reopen("Wrong task")
        self.assertFalse(any(lines.mapped("agency_rate_frozen")))
        self.assertEqual(set(lines.mapped("agency_bill_rate")), {150})
        audit = self.env["agency.audit"].search(
            [("line_id", "in", lines.ids), ("operation", "=", "rerate")]
        )
        self.assertEqual(audit.line_id, lines)
