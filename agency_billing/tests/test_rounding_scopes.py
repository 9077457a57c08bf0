"""Rounding scopes, minimums and overrides without a database: every expected
value is worked out by hand in the comments (minutes, then hundredths of an
hour shared by the largest remainder)."""

from decimal import Decimal

from odoo.tests import BaseCase

from ..models.billing_rules import billed_minutes, minutes_to_hours
from ..models.rounding_scopes import Rule, billed_hours, check_rule, explain, share

D = Decimal
NEAREST_15 = Rule(15, "nearest")


def entry(id_, minutes, employee=1, task=10, day="2026-03-02", line=None, rule=None):
    return {
        "id": id_,
        "raw_hours": minutes / 60,
        "employee": employee,
        "task": task,
        "project": 100,
        "date": day,
        "line": line,
        "rule": rule,
    }


class TestShare(BaseCase):
    def test_largest_remainder_ties_to_the_earlier(self):
        # 50 units over three equal weights: 16 each (48), the 2 left to the
        # first two (equal remainders: the earlier first)
        self.assertEqual(share(50, [600, 600, 600]), [17, 17, 16])

    def test_remainders(self):
        # 25 units over 420:480 -> 11.67 / 13.33: 11 + 13 = 24, the unit left
        # to the larger remainder (0.67)
        self.assertEqual(share(25, [420, 480]), [12, 13])

    def test_no_weight_goes_to_the_first(self):
        self.assertEqual(share(5, [0, 0]), [5, 0])
        self.assertEqual(share(0, []), [])

    def test_always_adds_up(self):
        for total in range(0, 200, 7):
            for weights in ([1], [1, 2, 3], [7, 7, 7, 7], [100, 1, 1]):
                self.assertEqual(sum(share(total, weights)), total)


class TestScopes(BaseCase):
    def test_per_entry_is_as_before(self):
        for method in ("up", "nearest", "down"):
            for increment in (1, 6, 15, 30):
                rule = Rule(increment, method)
                entries = [entry(i, m) for i, m in enumerate((4, 7, 21, 33, 66, 93))]
                hours, _where = billed_hours(entries, "entry", rule)
                for item in entries:
                    expected = minutes_to_hours(
                        billed_minutes(item["raw_hours"], increment, method)
                    )
                    self.assertEqual(hours[item["id"]], expected)

    def test_person_day(self):
        # three 10-minute entries of one person, task and day: 30 min counted,
        # nearest 15 -> 30 min = 0.50 h, shared 0.17 + 0.17 + 0.16; per entry
        # each would have been 15 min (0.75 h in all)
        entries = [entry(1, 10), entry(2, 10), entry(3, 10)]
        hours, where = billed_hours(entries, "person_day", NEAREST_15)
        self.assertEqual(
            [hours[1], hours[2], hours[3]], [D("0.17"), D("0.17"), D("0.16")]
        )
        self.assertEqual(where[1].billed, D("0.50"))
        per_entry, _where = billed_hours(entries, "entry", NEAREST_15)
        self.assertEqual(sum(per_entry.values()), D("0.75"))

    def test_person_day_separates_people_tasks_and_days(self):
        # 10 + 10 min (same person, task, day) -> 20 -> nearest 15 = 15 min;
        # each other entry alone: 10 -> 15 min
        entries = [
            entry(1, 10),
            entry(2, 10),
            entry(3, 10, employee=2),
            entry(4, 10, task=11),
            entry(5, 10, day="2026-03-03"),
        ]
        hours, _where = billed_hours(entries, "person_day", NEAREST_15)
        # 0.25 h shared 600:600 -> 13 + 12
        self.assertEqual(hours[1] + hours[2], D("0.25"))
        self.assertEqual((hours[1], hours[2]), (D("0.13"), D("0.12")))
        for id_ in (3, 4, 5):
            self.assertEqual(hours[id_], D("0.25"))

    def test_per_invoice_line(self):
        # line A: 7 + 8 min = 15 -> 0.25 h shared 420:480 -> 0.12 + 0.13;
        # line B: 20 min -> nearest 15 = 0.25 h
        entries = [
            entry(1, 7, line="A", day="2026-03-02"),
            entry(2, 8, line="A", day="2026-03-09", employee=2),
            entry(3, 20, line="B"),
        ]
        hours, where = billed_hours(entries, "line", NEAREST_15)
        self.assertEqual(
            (hours[1], hours[2], hours[3]), (D("0.12"), D("0.13"), D("0.25"))
        )
        self.assertEqual(where[1] is where[2], True)

    def test_minimum_per_entry(self):
        # a 5-minute entry counts 15 (the minimum); rounded to 1 min: 0.25 h;
        # a 20-minute one is above the minimum: 0.33 h
        entries = [entry(1, 5), entry(2, 20, task=11)]
        hours, _where = billed_hours(entries, "entry", Rule(1, "nearest"), minimum=15)
        self.assertEqual((hours[1], hours[2]), (D("0.25"), D("0.33")))
        # per person-day: both 5-minute entries count 15 -> 30 min -> 0.50 h
        entries = [entry(1, 5), entry(2, 5)]
        hours, _where = billed_hours(entries, "person_day", NEAREST_15, minimum=15)
        self.assertEqual(hours[1] + hours[2], D("0.50"))
        # a zero entry stays zero
        hours, _where = billed_hours([entry(1, 0)], "entry", NEAREST_15, minimum=15)
        self.assertEqual(hours[1], D("0.00"))

    def test_override_rounds_apart(self):
        # meetings round up to 30: 20 min -> 30 min = 0.50 h; the other 20 min
        # entry of the same day rounds with the engagement: nearest 15 = 0.25 h
        meetings = Rule(30, "up", "override for tag Meetings")
        entries = [entry(1, 20, rule=meetings), entry(2, 20)]
        for scope in ("entry", "person_day", "line"):
            hours, where = billed_hours(entries, scope, NEAREST_15)
            self.assertEqual((hours[1], hours[2]), (D("0.50"), D("0.25")), scope)
            self.assertIsNot(where[1], where[2])

    def test_combined(self):
        # per person-day, nearest 15, minimum 10, a meetings override up 30:
        # entries 1-3 on task 10: 4 (counts 10) + 12 + 14 = 36 min -> 30 min =
        # 0.50 h shared 600:720:840 -> 13.9 / 16.7 / 19.4 -> 13 + 16 + 19 = 48,
        # 2 left to the largest remainders (0.9 of entry 1, 0.7 of entry 2)
        # -> 0.14 + 0.17 + 0.19; entry 4 (meeting, 31 min) -> up 30 = 60 min
        meetings = Rule(30, "up", "override for tag Meetings")
        entries = [entry(1, 4), entry(2, 12), entry(3, 14), entry(4, 31, rule=meetings)]
        hours, where = billed_hours(entries, "person_day", NEAREST_15, minimum=10)
        self.assertEqual(
            [hours[i] for i in (1, 2, 3, 4)],
            [D("0.14"), D("0.17"), D("0.19"), D("1.00")],
        )
        self.assertEqual(sum(hours.values()), D("1.50"))
        text = explain(where[1], hours[1], 10, 4 / 60)
        self.assertIn("per person, task and day", text)
        self.assertIn("minimum 10 min per entry", text)
        self.assertIn("3 entries, 0.60 h counted → 0.50 h; this entry 0.14 h", text)
        self.assertIn(
            "up to 30 min (override for tag Meetings)", explain(where[4], hours[4])
        )

    def test_sums_are_exact_in_every_scope(self):
        entries = [
            entry(i, m, employee=i % 3, task=i % 2, line=i % 4)
            for i, m in enumerate((1, 2, 3, 7, 8, 13, 22, 29, 31, 44, 59, 61, 89))
        ]
        for scope in ("entry", "person_day", "line"):
            hours, where = billed_hours(entries, scope, Rule(6, "up"), minimum=5)
            for group in set(where.values()):
                self.assertEqual(sum(hours[i] for i in group.ids), group.billed)

    def test_refusals(self):
        with self.assertRaises(ValueError):
            billed_hours([entry(1, 5)], "week", NEAREST_15)
        with self.assertRaises(ValueError):
            billed_hours([entry(1, 5)], "entry", NEAREST_15, minimum=-1)
        with self.assertRaises(ValueError):
            check_rule(7, "up")
        with self.assertRaises(ValueError):
            check_rule(15, "sideways")
