"""The demo's cash story (demo/cash.py, demo/cash_plan.py; issue 15 item 7).

On the demo database: base and best keep the bank above zero for the 13 weeks
ahead, only the conservative scenario goes below zero, in a week about two
months out; Evergreen Health pays the latest; the payroll counts the agency's
people only; the snapshot of three months ago has real cash in to compare.

The demo is built once, on the day of the install (its build cannot run again
under a frozen clock in a test: it takes minutes), so the story's rules are
checked for many todays without a database instead: the same forecasting
functions on a plan of the demo's flows (a payroll each month end, each
month's work billed at its end and paid on net 30 as late as the clients pay,
the slow client's large invoice placed by cash_plan) for every day of 2027,
and by name for a month start, a month end, a Sunday and 31 December.
"""

import unittest
from datetime import date, timedelta

from odoo.tests import TransactionCase, tagged

from odoo.addons.agency_timesheet.demo.common import plan_for, ref
from odoo.addons.agency_timesheet.demo.plan import demo_plan

from .. import forecasting as fc
from ..demo import cash
from ..demo import cash_plan as cp
from ..forecast_sources import ForecastSources
from ..models.agency_forecast_scenario import DEFAULTS

NAMED_DAYS = (
    date(2027, 3, 1),  # a month start (a Monday)
    date(2027, 4, 30),  # a month end
    date(2027, 6, 13),  # a Sunday
    date(2027, 12, 31),  # the year's end
    date(2028, 2, 29),  # a leap day
)
PAYROLL = 217000.0  # the demo's 25 people a month
OVERHEADS = 8000.0
WORK_PER_DAY = 7500.0  # what the demo's work bills a calendar day
OPEN = 166000.0  # posted invoices still open, due on the day the demo is built
# the T&M clients' shares of the work (1: the slow client)
SHARES = {1: 0.4, 2: 0.25, 3: 0.2, 4: 0.15}
SLOW = 1
NET30 = (fc.TermLine("percent", 100.0, "days_after", 30),)


def levers_by_kind():
    result = {}
    for values in DEFAULTS:
        result[values["kind"]] = fc.Levers(
            probability=values.get("tentative_probability", 50.0),
            utilization=values.get("utilization_change", 0.0),
            write_off=values.get("write_off_share", 0.0),
            delay_days=values.get("extra_delay_days", 0),
            overheads_change=values.get("overheads_change", 0.0),
        )
    return result


def line(kind, amount, client=False, **values):
    return fc.Line(
        kind=kind, amount=amount, amount_currency=amount, currency_id=1,
        client_id=client, engagement_id=client, source_model="x", source_ids=(),
        **values,
    )  # fmt: skip


def plan_lines(plan):
    """The demo's flows, from its plan (agency_timesheet/demo/plan.py), as
    forecast lines: the billing month's draft invoices (billed today), the
    time approved after the lock date (billed at its month's run), the work
    booked for the 12 weeks ahead (billed at the month end), posted invoices
    open, a payroll and the overheads at each month end."""
    today = plan.today
    lines = []
    for end in [fc.month_end(fc.add_months(today, n)) for n in range(5)]:
        lines.append(line("payroll", -PAYROLL, due_date=end))
        lines.append(line("overhead", -OVERHEADS, due_date=end))
    first, last = plan.billing_month
    drafts = WORK_PER_DAY * ((last - first).days + 1)
    approved = [
        plan.lock_date + timedelta(days=n)
        for n in range(1, (plan.approved_until - plan.lock_date).days + 1)
    ]
    booked = [today + timedelta(days=n) for n in range(84)]
    for client, share in SHARES.items():
        lines.append(line("open_invoice", OPEN * share, client, due_date=today))
        lines.append(
            line("draft_invoice", drafts * share, client, invoice_date=today,
                 terms=NET30)
        )  # fmt: skip
        for kind, days in (("time", approved), ("booking", booked)):
            for day in days:
                lines.append(
                    line(kind, WORK_PER_DAY * share, client, revenue_date=day,
                         invoice_date=fc.billing_date(day, today), terms=NET30)
                )  # fmt: skip
    return lines


def every_day(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


class TestCashPlan(unittest.TestCase):
    def assertStory(self, today):
        msg = f"demo built on {today}"
        payroll = cp.dip_payroll(today)
        self.assertEqual(payroll, fc.month_end(payroll), msg)
        self.assertIn(fc.week_index(payroll, today), cp.DIP_WEEKS, msg)
        # the large invoice: base and best the week before the payroll's
        # week, conservative (15 days slower) after it
        due = cp.large_invoice_due(payroll, 23)
        base = fc.receipt_date(due, None, 23, today)
        conservative = fc.receipt_date(due, None, 23, today, 15)
        self.assertLess(fc.week_index(base, today), fc.week_index(payroll, today), msg)
        self.assertGreater(
            fc.week_index(conservative, today), fc.week_index(payroll, today), msg
        )
        self.assertGreaterEqual(due, today, msg)
        # the demo's flows of that day: the story is told as demo/cash.py
        # tells it (days late and the large invoice chosen, then the opening)
        lines = plan_lines(demo_plan(today))
        levers = levers_by_kind()
        slow_late, others_late, amount, room = cp.choose(
            lines, today, levers, list(SHARES), SLOW
        )
        self.assertGreater(room, 0, msg)
        self.assertGreater(slow_late, others_late, msg)
        late = dict.fromkeys(SHARES, others_late)
        late[SLOW] = slow_late
        moved = cp.with_late(lines, late, others_late)
        large = cp.large_line(
            SLOW, 1, amount, cp.large_invoice_due(payroll, slow_late), slow_late
        )
        balances = cp.weekly_balances([*moved, large], today, levers)
        opening = cp.opening_for(balances)
        self.assertIsNotNone(opening, f"{msg}: {balances}")
        self.assertTrue(cp.story_holds(balances, opening), f"{msg}: {balances}")
        below = [i for i, b in enumerate(balances["conservative"]) if b + opening < 0]
        self.assertTrue(below, msg)
        self.assertLessEqual(set(below), set(cp.DIP_WEEKS), msg)

    def test_named_days(self):
        for today in NAMED_DAYS:
            with self.subTest(today=today):
                self.assertStory(today)

    def test_a_day_each_month(self):
        """A day of each month of 2027, each a different day of the month and
        of the week (the search takes a few seconds a day), and 24 November
        2027, where the month end five weeks out is the deeper one: every one
        tells the story."""
        days = [date(2027, m, 1) + timedelta(days=m * 2 + 1) for m in range(1, 13)]
        for today in [*days, date(2027, 11, 24)]:
            with self.subTest(today=today):
                self.assertStory(today)

    def test_opening_refused_when_no_story(self):
        flat = [100.0] * fc.WEEKS
        balances = {"best": flat, "base": flat, "conservative": flat}
        self.assertIsNone(cp.opening_for(balances))
        dip = [100.0] * 8 + [-50000.0] + [100.0] * 4
        balances["conservative"] = dip
        opening = cp.opening_for(balances)
        self.assertEqual(opening, 25000.0)
        self.assertTrue(cp.story_holds(balances, opening))
        self.assertFalse(cp.story_holds(balances, 60000.0))  # nobody dips


@tagged("post_install", "-at_install")
class TestForecastDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entry = ref(cls.env, "bank_opening_entry")
        cls.plan = plan_for(cls.env)
        cls.company = cls.env.ref("base.main_company")
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id])
        )

    def setUp(self):
        super().setUp()
        if not self.entry:
            self.skipTest("no demo data")

    def test_the_story_holds(self):
        today = self.plan.today
        data = self.env["agency.forecast.scenario"].agency_forecast_data(today=today)
        self.assertGreater(data["opening_balance"], 0)
        figures = {f["kind"]: f for f in data["scenarios"]}
        for kind in ("best", "base"):
            self.assertGreaterEqual(
                figures[kind]["lowest_balance"]["amount"],
                0,
                f"{kind}: {figures[kind]['balance']}",
            )
            self.assertTrue(all(b >= 0 for b in figures[kind]["balance"]["weeks"]))
        conservative = figures["conservative"]
        lowest = conservative["lowest_balance"]
        self.assertLess(lowest["amount"], 0, conservative["balance"])
        self.assertIn(lowest["week"], cp.DIP_WEEKS)
        below = [i for i, b in enumerate(conservative["balance"]["weeks"]) if b < 0]
        self.assertLessEqual(set(below), set(cp.DIP_WEEKS))
        # the dip is the week of a payroll (a month end) one to three months out
        week_start = ForecastSources(self.env, self.company, today).week_start
        paydays = {
            fc.week_index(day, today, week_start) for day in cp.payroll_days(today)
        }
        self.assertIn(lowest["week"], paydays & set(cp.DIP_WEEKS))

    def test_slow_client_pays_the_latest(self):
        sources = ForecastSources(self.env, self.company, self.plan.today)
        late, _company = sources.days_late()
        clients = {key: ref(self.env, f"client_{key}") for key in cash.CLIENTS}
        slow = late[clients[cash.SLOW].id]
        self.assertGreater(slow, 0)
        for key, client in clients.items():
            if key != cash.SLOW:
                self.assertLess(late.get(client.id, 0), slow, key)
        invoice = ref(self.env, "invoice_evergreen_release")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.commercial_partner_id, clients[cash.SLOW])

    def test_payroll_counts_the_agency_people(self):
        sources = ForecastSources(self.env, self.company, self.plan.today)
        people = sources.payroll_employees()
        self.assertIn(ref(self.env, "employee_paula"), people)
        self.assertFalse(people.filtered(lambda e: not e.role_id))
        others = self.env["hr.employee"].search(
            [("company_id", "=", self.company.id), ("hourly_cost", ">", 0),
             ("role_id", "=", False)]
        )  # fmt: skip
        paid = {i for line in sources.payroll_lines() for i in line.source_ids}
        self.assertFalse(paid & set(others.ids))

    def test_snapshot_has_cash_actual(self):
        rows = self.env["agency.forecast.accuracy"].search(
            [("company_id", "=", self.company.id), ("figure", "=", "cash")]
        )
        self.assertTrue(rows)
        self.assertTrue(any(round(row.actual, 2) for row in rows))
