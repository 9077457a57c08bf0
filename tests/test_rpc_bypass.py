"""No self-approval, no skipped conveyor: the bypasses a client could try.

A client decides the context and the values of every call it makes. Over real
HTTP JSON-RPC sessions (``/web/dataset/call_kw``, as the web client sends them)
an Agency User, a Producer and a Billing user try each way round the approval
and billing conveyor: the old context keys (``agency_approval``,
``agency_invoicing``), writing the status, the approver's trace, prices and
billing links directly, creating entries that are already approved or
invoiced, and calling the server's private hooks. Each is refused, and the
database rows are exactly what they were. The real path (Submit, Approve)
still works over the same sessions. The same probes run through ``with_user``
for every Agency level, administrators included.
"""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from odoo.addons.agency_billing.tests.common import BillingCase

from .rpc import call_kw

USER_ERROR = "odoo.exceptions.UserError"
ACCESS_ERROR = "odoo.exceptions.AccessError"
# The context keys that used to open doors, and a few a client might guess.
CONTEXT_KEYS = {
    "agency_approval": True,
    "agency_invoicing": True,
    "agency_reason": "context says so",
}
ENTRY_COLUMNS = (
    "approval_state",
    "approver_id",
    "submitted_by_id",
    "submitted_on",
    "approved_by_id",
    "approved_on",
    "reject_reason",
    "agency_rate_frozen",
    "agency_bill_rate",
    "agency_run_id",
    "agency_billed_hours",
    "agency_billed_amount",
    "agency_invoice_line_id",
    "timesheet_invoice_id",
)
# What a client might write to approve, or to skip billing (values per level).
STATE_WRITES = (
    {"approval_state": "approved"},
    {"approval_state": "submitted"},
    {"approved_by_id": "self"},
    {"approved_on": "2026-03-02 10:00:00"},
    {"submitted_by_id": "self"},
    {"reject_reason": "rewritten"},
    {"approver_id": "self"},
)
BILLING_WRITES = (
    {"agency_invoice_line_id": False},
    {"agency_run_id": False},
    {"agency_rate_frozen": False},
    {"agency_bill_rate": 1.0},
    {"agency_billed_hours": 0.0},
    {"timesheet_invoice_id": False},
)
PRIVATE_HOOKS = (
    ("_agency_set_state", ["approved", {}]),
    ("_agency_transition", [["submitted"], "approved", {}, "%(entries)s"]),
    ("_agency_free", ["rpc"]),
    ("_agency_freeze_rates", []),
    ("_agency_release_rates", []),
)


@tagged("post_install", "-at_install")
class BypassCase(BillingCase):
    """An approved entry invoiced by a billing run, with a write-down on the
    same invoice; a draft entry of each person; their expenses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.billed = cls.approved(3.0, day="2026-03-03")
        run = cls.new_run()
        run.action_collect()
        cls.adjustment = env["agency.billing.adjustment"].create(
            {
                "run_line_id": run.line_ids[0].id,
                "direction": "down",
                "basis": "amount",
                "amount": 20.0,
                "reason": "goodwill",
                "note": "First month",
            }
        )
        run.line_ids.with_user(cls.users["admin"]).action_mark_reviewed()
        run.action_create_invoices()
        cls.invoice = run.invoice_ids
        cls.drafts = {
            level: cls.entry(1.5, day="2026-03-04", employee=cls.employees[level])
            for level in ("user", "producer", "billing", "admin")
        }
        category = env["product.product"].create(
            {"name": "Bypass taxi", "can_be_expensed": True, "standard_price": 0.0}
        )
        cls.expenses = {
            level: env["hr.expense"].create(
                {
                    "name": f"Taxi {level}",
                    "employee_id": cls.employees[level].id,
                    "product_id": category.id,
                    "total_amount_currency": 30.0,
                    "agency_project_id": cls.project.id,
                    "agency_rebill": True,
                }
            )
            for level in ("user", "producer", "billing")
        }

    # -- what the database holds, read past every cache --

    def entry_row(self, line):
        return self.row("account_analytic_line", line.id, ENTRY_COLUMNS)

    def row(self, table, id_, columns):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = %s",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                SQL.identifier(table),
                id_,
            )
        )
        return self.env.cr.fetchone()

    def adjustment_row(self):
        return self.row(
            "agency_billing_adjustment",
            self.adjustment.id,
            ("invoice_line_id", "amount", "note", "direction"),
        )

    def expense_row(self, expense):
        return self.row(
            "hr_expense",
            expense.id,
            ("agency_run_id", "agency_invoice_line_id", "agency_rebill"),
        )

    def values(self, level, vals):
        uid = self.users[level].id
        return {name: uid if value == "self" else value for name, value in vals.items()}

    def whose(self, level):
        """The entry a person would like to approve: their own draft."""
        return self.drafts[level]


@tagged("post_install", "-at_install")
class TestBypassOverRpc(BypassCase, HttpCase):
    LEVELS = ("user", "producer", "billing")

    def call(self, level, model, method, args, context=None, **kwargs):
        """One /web/dataset/call_kw request in a session of `level`'s user:
        the decoded JSON-RPC answer."""
        if context is not None:
            kwargs["context"] = context
        answer = call_kw(self, self.users[level].login, model, method, args, kwargs)
        self.env.invalidate_all()
        return answer

    def assertRefusedOverRpc(self, answer, error=USER_ERROR, pattern=None, msg=""):
        self.assertIn(
            "error", answer, f"{msg}: expected a refusal, got {answer.get('result')!r}"
        )
        data = answer["error"]["data"]
        self.assertEqual(data["name"], error, f"{msg}: {data['message']}")
        if pattern:
            self.assertRegex(data["message"], pattern, msg)

    def test_real_path_still_works_over_rpc(self):
        line = self.whose("user")
        answer = self.call("user", "account.analytic.line", "action_submit", [line.ids])
        self.assertNotIn("error", answer, answer)
        answer = self.call(
            "producer", "account.analytic.line", "action_approve", [line.ids]
        )
        self.assertNotIn("error", answer, answer)
        self.assertEqual(line.approval_state, "approved")
        self.assertEqual(line.approved_by_id, self.users["producer"])
        self.assertTrue(line.sudo().agency_rate_frozen)

    def test_state_and_approver_fields(self):
        for level in self.LEVELS:
            line = self.whose(level)
            before = self.entry_row(line)
            for vals in STATE_WRITES:
                for context in (None, CONTEXT_KEYS):
                    answer = self.call(
                        level,
                        "account.analytic.line",
                        "write",
                        [line.ids, self.values(level, vals)],
                        context=context,
                    )
                    self.assertRefusedOverRpc(
                        answer,
                        pattern="only through Submit|never directly",
                        msg=f"{level} writes {vals} (context {context})",
                    )
                    self.assertEqual(self.entry_row(line), before, f"{level} {vals}")

    def assertCreateRefused(self, through_context):
        """Each level creating an entry approved from the start, the status or
        the approver's trace in the values or (through_context) as the
        context's ``default_<field>``, which Odoo's create applies to a field
        the values leave out: refused, nothing created."""
        Line = self.env["account.analytic.line"]
        for level in self.LEVELS:
            for vals in STATE_WRITES[:3] + ({"agency_rate_frozen": True},):
                vals = self.values(level, vals)
                context = dict(CONTEXT_KEYS)
                if through_context:
                    context.update({f"default_{k}": v for k, v in vals.items()})
                    vals = {}
                count = Line.search_count([])
                answer = self.call(
                    level,
                    "account.analytic.line",
                    "create",
                    [
                        {
                            "project_id": self.project.id,
                            "task_id": self.task.id,
                            "employee_id": self.employees[level].id,
                            "date": "2026-03-05",
                            "unit_amount": 8.0,
                            "name": "Approved from the start",
                            **vals,
                        }
                    ],
                    context=context,
                )
                self.assertRefusedOverRpc(
                    answer,
                    pattern="starts as a draft",
                    msg=f"{level} creates {vals} (context {context})",
                )
                self.assertEqual(Line.search_count([]), count, f"{level} {context}")

    def test_create_approved(self):
        self.assertCreateRefused(through_context=False)

    def test_create_approved_through_context_defaults(self):
        self.assertCreateRefused(through_context=True)

    def test_billing_links_of_entries(self):
        """Billing may write entries of its company: never their billing
        links, prices or invoices. Users and producers are refused as well."""
        for level in self.LEVELS:
            for line in (self.billed, self.whose(level)):
                before = self.entry_row(line)
                for vals in BILLING_WRITES:
                    answer = self.call(
                        level,
                        "account.analytic.line",
                        "write",
                        [line.ids, vals],
                        context=CONTEXT_KEYS,
                    )
                    self.assertIn("error", answer, f"{level} writes {vals}")
                    self.assertIn(
                        answer["error"]["data"]["name"],
                        (USER_ERROR, ACCESS_ERROR),
                        f"{level} writes {vals}",
                    )
                    self.assertEqual(self.entry_row(line), before, f"{level} {vals}")

    def test_private_hooks(self):
        for level in self.LEVELS:
            line = self.whose(level)
            before = self.entry_row(line), self.entry_row(self.billed)
            for method, args in PRIVATE_HOOKS:
                answer = self.call(
                    level,
                    "account.analytic.line",
                    method,
                    [(line | self.billed).ids, *args],
                    context=CONTEXT_KEYS,
                )
                self.assertRefusedOverRpc(
                    answer,
                    ACCESS_ERROR,
                    "cannot be called remotely",
                    f"{level} calls {method}",
                )
            self.assertEqual(
                (self.entry_row(line), self.entry_row(self.billed)), before, level
            )

    def test_invoiced_adjustment(self):
        before = self.adjustment_row()
        Model = "agency.billing.adjustment"
        probes = (
            ("write", [self.adjustment.ids, {"amount": 1.0}]),
            ("write", [self.adjustment.ids, {"note": "changed on the invoice"}]),
            ("write", [self.adjustment.ids, {"invoice_line_id": False}]),
            ("unlink", [self.adjustment.ids]),
            ("_agency_link_invoice_line", [self.adjustment.ids, False]),
        )
        for method, args in probes:
            answer = self.call("billing", Model, method, args, context=CONTEXT_KEYS)
            error = ACCESS_ERROR if method.startswith("_") else USER_ERROR
            self.assertRefusedOverRpc(answer, error, msg=f"billing {method} {args}")
            self.assertEqual(self.adjustment_row(), before, f"{method} {args}")
        # a write-up on the invoiced engagement: refused too
        answer = self.call(
            "billing",
            Model,
            "create",
            [
                {
                    "run_line_id": self.adjustment.run_line_id.id,
                    "direction": "up",
                    "basis": "amount",
                    "amount": 50.0,
                    "reason": "other",
                    "note": "after the invoice",
                }
            ],
            context=CONTEXT_KEYS,
        )
        self.assertRefusedOverRpc(answer, pattern="on an invoice already")
        self.assertEqual(
            self.env[Model].search_count(
                [("run_line_id", "=", self.adjustment.run_line_id.id)]
            ),
            1,
        )
        # users and producers have no access to adjustments at all
        for level in ("user", "producer"):
            answer = self.call(
                level, Model, "write", [self.adjustment.ids, {"amount": 1.0}]
            )
            self.assertRefusedOverRpc(answer, ACCESS_ERROR, msg=level)
            self.assertEqual(self.adjustment_row(), before, level)

    def test_expense_billing_links(self):
        held = self.env["agency.billing.run"].search([], limit=1)
        for level in self.LEVELS:
            expense = self.expenses[level]
            before = self.expense_row(expense)
            for vals in (
                {"agency_run_id": held.id},
                {"agency_invoice_line_id": self.billed.agency_invoice_line_id.id},
            ):
                answer = self.call(
                    level,
                    "hr.expense",
                    "write",
                    [expense.ids, vals],
                    context=CONTEXT_KEYS,
                )
                self.assertIn("error", answer, f"{level} writes {vals}")
                self.assertIn(
                    answer["error"]["data"]["name"], (USER_ERROR, ACCESS_ERROR)
                )
                self.assertEqual(self.expense_row(expense), before, f"{level} {vals}")

    def conveyor_probes(self):
        """(model, method, args, table, id, columns): Billing's own records,
        written only by the conveyor's steps."""
        env = self.env
        run = self.adjustment.run_id
        run_line = self.adjustment.run_line_id
        check = env["agency.billing.check"].create(
            {
                "run_id": run.id,
                "run_line_id": run_line.id,
                "code": "no_rate",
                "severity": "blocking",
                "owner_id": self.biller.id,
                "message": "No rate prices 2 h",
            }
        )
        fixed = env["agency.engagement"].create(
            {
                "name": "Bypass fixed fee",
                "partner_id": self.acme.id,
                "kind": "fixed_fee",
                "fee_amount": 1000.0,
                "schedule_line_ids": [
                    (0, 0, {"name": "All", "date_due": "2026-03-01", "percent": 100.0})
                ],
            }
        )
        retainer = env["agency.engagement"].create(
            {
                "name": "Bypass retainer",
                "partner_id": self.acme.id,
                "kind": "retainer",
                "date_start": "2026-01-01",
                "date_end": "2026-01-31",
                "included_hours": 5.0,
            }
        )
        period = env["agency.retainer.period"]._agency_ensure_periods(
            retainer, retainer.date_end
        )
        invoice_line = self.invoice.invoice_line_ids[:1]
        schedule = fixed.schedule_line_ids[:1]
        return [
            ("agency.billing.run.line", "write", [run_line.ids, vals],
             "agency_billing_run_line", run_line.id,
             ("state", "reviewed_by_id", "total"))
            for vals in (
                {"state": "review"},
                {"reviewed_by_id": self.users["producer"].id},
                {"total": 0.0},
            )
        ] + [
            ("agency.billing.run", "write", [run.ids, {"state": "cancel"}],
             "agency_billing_run", run.id, ("state",)),
            ("agency.billing.check", "write", [check.ids, {"state": "acknowledged"}],
             "agency_billing_check", check.id, ("state", "severity")),
            ("agency.billing.check", "write", [check.ids, {"severity": "warning"}],
             "agency_billing_check", check.id, ("state", "severity")),
            ("agency.billing.check", "unlink", [check.ids],
             "agency_billing_check", check.id, ("state", "severity")),
            ("agency.billing.check", "action_acknowledge", [check.ids],
             "agency_billing_check", check.id, ("state", "severity")),
            ("agency.engagement.schedule", "write",
             [schedule.ids, {"invoice_line_id": invoice_line.id}],
             "agency_engagement_schedule", schedule.id, ("invoice_line_id", "run_id")),
            ("agency.engagement.schedule", "write", [schedule.ids, {"run_id": run.id}],
             "agency_engagement_schedule", schedule.id, ("invoice_line_id", "run_id")),
            ("agency.retainer.period", "write", [period.ids, {"state": "closed"}],
             "agency_retainer_period", period.id, ("state", "fee_run_id")),
            ("agency.retainer.period", "write", [period.ids, {"fee_run_id": run.id}],
             "agency_retainer_period", period.id, ("state", "fee_run_id")),
            ("agency.retainer.period", "unlink", [period.ids],
             "agency_retainer_period", period.id, ("state", "fee_run_id")),
            ("account.move", "write",
             [self.invoice.ids, {"agency_engagement_id": fixed.id}],
             "account_move", self.invoice.id,
             ("agency_engagement_id", "agency_run_id")),
            ("account.move", "write", [self.invoice.ids, {"agency_run_id": False}],
             "account_move", self.invoice.id,
             ("agency_engagement_id", "agency_run_id")),
            ("account.move.line", "write",
             [invoice_line.ids, {"agency_reversed_line_id": invoice_line.id}],
             "account_move_line", invoice_line.id, ("agency_reversed_line_id",)),
        ]  # fmt: skip

    def test_conveyor_records(self):
        """Runs, their engagements and checks, fee schedules, retainer ledgers
        and invoices' links change only through the conveyor's steps."""
        for model, method, args, table, id_, columns in self.conveyor_probes():
            before = self.row(table, id_, columns)
            answer = self.call("billing", model, method, args, context=CONTEXT_KEYS)
            self.assertRefusedOverRpc(answer, msg=f"billing {model}.{method} {args}")
            self.assertEqual(self.row(table, id_, columns), before, f"{model} {args}")


@tagged("post_install", "-at_install")
class TestBypassWithUser(BypassCase):
    """The same doors, from server code running as each Agency level."""

    def test_fixture(self):
        """The probes start from an invoiced entry and adjustment."""
        self.assertEqual(self.billed.approval_state, "approved")
        self.assertTrue(self.billed.agency_invoice_line_id)
        self.assertTrue(self.adjustment.invoice_line_id)
        self.assertEqual(self.invoice.state, "draft")

    def test_no_level_writes_a_status_or_a_link(self):
        for level in ("user", "producer", "billing", "admin"):
            user = self.users[level]
            for line in (self.whose(level), self.billed):
                before = self.entry_row(line)
                for vals in STATE_WRITES + BILLING_WRITES:
                    for context in ({}, CONTEXT_KEYS):
                        # AccessError is a UserError
                        with self.assertRaises(UserError, msg=f"{level} {vals}"):
                            line.with_user(user).with_context(**context).write(
                                self.values(level, vals)
                            )
                        self.assertEqual(self.entry_row(line), before, level)

    def test_invoiced_adjustment(self):
        before = self.adjustment_row()
        for level in ("billing", "admin"):
            adjustment = self.adjustment.with_user(self.users[level]).with_context(
                **CONTEXT_KEYS
            )
            for probe in (
                lambda a: a.write({"amount": 1.0}),
                lambda a: a.write({"invoice_line_id": False}),
                lambda a: a.unlink(),
            ):
                with self.assertRaises(UserError, msg=level):
                    probe(adjustment)
                self.assertEqual(self.adjustment_row(), before, level)

    def test_cancelling_the_invoice_still_frees_everything(self):
        """The server's own path (the invoice) frees what the clients may not."""
        self.invoice.with_user(self.users["billing"]).button_cancel()
        self.assertFalse(self.adjustment.invoice_line_id)
        self.assertFalse(self.billed.sudo().agency_invoice_line_id)
        self.assertFalse(self.billed.timesheet_invoice_id)
