"""Rounding scopes end to end: approved time to invoice lines per person-day
and per invoice line, the minimum per entry, per-task overrides, credit notes
and re-billing, and the refusals. Expected values are worked out by hand in
the comments; raw time never changes."""

from decimal import Decimal

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BillingCase


def exact(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


@tagged("post_install", "-at_install")
class TestBillingRoundingScopes(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engagement.write(
            {
                "rounding_increment": "15",
                "rounding_method": "nearest",
                "grouping": "task",
            }
        )
        cls.meetings = cls.env["project.tags"].create({"name": "Meetings"})
        cls.meeting_task = cls.env["project.task"].create(
            {
                "name": "Weekly call",
                "project_id": cls.acme_web.id,
                "tag_ids": [(6, 0, cls.meetings.ids)],
            }
        )

    def assertLinesAddUp(self, invoice, entries):
        by_line = {}
        for entry in entries:
            by_line.setdefault(entry.agency_invoice_line_id, []).append(entry)
        for line, billed in by_line.items():
            self.assertEqual(
                exact(line.quantity), sum(exact(e.agency_billed_hours) for e in billed)
            )

    def test_person_day(self):
        """Three 10-minute entries of Dani on the landing page on one day:
        30 min, once rounded -> 0.50 h (0.17 + 0.17 + 0.16), where per entry
        they bill 0.75 h. A fourth on another day rounds alone (0.25 h)."""
        self.engagement.rounding_scope = "person_day"
        task = {"project_id": self.acme_web.id, "task_id": self.web_task.id}
        day = [self.approved(10 / 60, **task) for _ in range(3)]
        other = self.approved(10 / 60, day="2026-03-03", **task)
        invoice = self.review_and_invoice(self.new_run())
        self.assertEqual(
            [exact(e.agency_billed_hours) for e in day],
            [Decimal("0.17"), Decimal("0.17"), Decimal("0.16")],
        )
        self.assertEqual(exact(other.agency_billed_hours), Decimal("0.25"))
        self.assertEqual(invoice.invoice_line_ids.quantity, 0.75)
        self.assertEqual(invoice.amount_untaxed, 75.0)
        self.assertAlmostEqual(sum(e.unit_amount for e in day), 0.5)  # raw kept
        self.assertIn("per person, task and day", day[0].agency_rounding_note)
        self.assertIn("3 entries, 0.50 h counted → 0.50 h", day[0].agency_rounding_note)

    def test_per_invoice_line_with_minimum_and_override(self):
        """Per invoice line (one per task), minimum 5 min, meetings up to 30:
        landing page 3 (counts 5) + 7 + 8 = 20 min -> nearest 15 = 0.25 h; the
        weekly call 20 min -> up 30 = 0.50 h; project without task 40 -> 45."""
        self.engagement.write({"rounding_scope": "line", "rounding_minimum": 5})
        self.engagement.rounding_override_ids = [
            (0, 0, {"tag_id": self.meetings.id, "increment": "30", "method": "up"})
        ]
        task = {"project_id": self.acme_web.id, "task_id": self.web_task.id}
        landing = [
            self.approved(3 / 60, **task),
            self.approved(7 / 60, day="2026-03-03", **task),
            self.approved(8 / 60, day="2026-03-04", **task),
        ]
        call = self.approved(
            20 / 60, project_id=self.acme_web.id, task_id=self.meeting_task.id
        )
        brand = self.approved(40 / 60)
        entries = self.env["account.analytic.line"].concat(*landing, call, brand)
        invoice = self.review_and_invoice(self.new_run())
        self.assertLinesAddUp(invoice, entries)
        # 25 units shared 300:420:480 -> 6.25 + 8.75 + 10 -> 6, 8, 10; the
        # unit left to the largest remainder (the 7-minute entry)
        self.assertEqual(
            [exact(e.agency_billed_hours) for e in landing],
            [Decimal("0.06"), Decimal("0.09"), Decimal("0.10")],
        )
        self.assertEqual(exact(call.agency_billed_hours), Decimal("0.50"))
        self.assertEqual(exact(brand.agency_billed_hours), Decimal("0.75"))
        self.assertEqual(
            sorted(invoice.invoice_line_ids.mapped("quantity")), [0.25, 0.5, 0.75]
        )
        self.assertEqual(invoice.amount_untaxed, 150.0)
        self.assertIn("override for tag Meetings", call.agency_rounding_note)
        self.assertIn("minimum 5 min per entry", landing[0].agency_rounding_note)

    def test_credit_note_and_rebilling_bill_the_same(self):
        """A credited person-day is billed again with the same shares."""
        self.engagement.rounding_scope = "person_day"
        day = [self.approved(10 / 60) for _ in range(3)]
        invoice = self.review_and_invoice(self.new_run())
        invoice.action_post()
        before = [e.agency_billed_hours for e in day]
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "client dispute"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assertFalse(any(e.agency_run_id for e in day))
        again = self.review_and_invoice(self.new_run())
        self.assertEqual([e.agency_billed_hours for e in day], before)
        self.assertEqual(again.invoice_line_ids.quantity, 0.5)
        self.assertEqual(again.amount_untaxed, invoice.amount_untaxed)

    def test_recollect_rounds_the_day_again(self):
        """An entry approved after collect joins its day when the run collects
        again: 10 min, then 10 more -> 20 min -> nearest 15 = 0.25 h in all."""
        self.engagement.rounding_scope = "person_day"
        first = self.approved(10 / 60)
        run = self.new_run()
        run.action_collect()
        self.assertEqual(exact(first.agency_billed_hours), Decimal("0.25"))
        second = self.approved(10 / 60)
        run.action_collect()
        self.assertEqual(
            exact(first.agency_billed_hours) + exact(second.agency_billed_hours),
            Decimal("0.25"),
        )
        invoice = self.review_and_invoice(run)
        self.assertEqual(invoice.invoice_line_ids.quantity, 0.25)

    def test_per_entry_explained(self):
        entry = self.approved(0.1)
        self.review_and_invoice(self.new_run())
        self.assertEqual(
            entry.agency_rounding_note,
            "Rounded per entry, to the nearest 15 min (engagement)",
        )

    def test_refusals(self):
        Override = self.env["agency.rounding.override"]
        with self.assertRefused(ValidationError, "7 minutes is not a rounding"):
            Override.create(
                {
                    "engagement_id": self.engagement.id,
                    "tag_id": self.meetings.id,
                    "increment": 7,
                }
            )
        with self.assertRefused(ValidationError, "either a task or a task tag"):
            Override.create({"engagement_id": self.engagement.id, "increment": "30"})
        elsewhere = self.env["project.task"].create(
            {"name": "Other", "project_id": self.internal.id}
        )
        with self.assertRefused(ValidationError, "not on a project of this"):
            Override.create(
                {
                    "engagement_id": self.engagement.id,
                    "task_id": elsewhere.id,
                    "increment": "30",
                }
            )
        self.assertFalse(Override.search([("engagement_id", "=", self.engagement.id)]))
        with self.assertRefused(ValidationError, "minimum of -5 minutes"):
            self.engagement.rounding_minimum = -5
        with self.assertRefused(ValidationError, "rounding scope week"):
            self.engagement.rounding_scope = "week"
