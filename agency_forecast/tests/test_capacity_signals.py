"""The staffing signals: the pure rules (no database), then each warning
firing and staying quiet on a small studio with fixed dates."""

from datetime import date, timedelta

from odoo.tests import BaseCase, tagged

from ..warning_rules import burnout, overbooked, supply_gap, underused
from .common_capacity import MON, CapacityCase

TODAY = date(2026, 3, 11)  # Wednesday; this week starts on 9 March
NEXT = date(2026, 3, 16)


class TestStaffingRules(BaseCase):
    def test_overbooked(self):
        self.assertIsNone(overbooked([(1, 40, 40), (2, 10, 40)]))
        finding = overbooked([(1, 30, 40), (2, 48, 40)])
        self.assertEqual((finding.measure, finding.extra), (120.0, 2))
        self.assertEqual(overbooked([(1, 8, 0)]).severity, "danger")  # no capacity

    def test_burnout(self):
        self.assertIsNone(burnout([(40, 40), (40, 40)], 85))  # only two weeks
        self.assertIsNone(burnout([(40, 40), (30, 40), (40, 40)], 85))
        finding = burnout([(36, 40), (40, 40), (44, 40)], 85)
        self.assertEqual((finding.measure, finding.severity), (90.0, "warning"))

    def test_underused(self):
        rows = [(10, 40)] * 4
        self.assertEqual(underused(rows, 75).measure, 25.0)
        self.assertIsNone(underused([(10, 40)] * 3, 75))
        self.assertIsNone(underused([(0, 40)] * 4, 75))  # nobody books the role
        self.assertIsNone(underused([(10, 40)] * 3 + [(32, 40)], 75))

    def test_supply_gap(self):
        self.assertIsNone(supply_gap([(1, 40, 40), (2, 20, 40)], 40))
        finding = supply_gap([(1, 40, 40), (7, 100, 40), (8, 80, 40)], 40)
        self.assertEqual((finding.measure, finding.extra), (1.5, 7))
        self.assertEqual(finding.severity, "danger")


@tagged("post_install", "-at_install")
class TestStaffingWarnings(CapacityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.users["producer"]
        cls.company.agency_resourcing_user_id = cls.users["billing"]

    def evaluate(self, employees=None):
        Warning = self.env["agency.warning"]
        people = employees or (self.ann | self.pat | self.art)
        Warning._agency_evaluate(TODAY, self.env["project.project"], people, True)
        return Warning.search([("state", "!=", "resolved")])

    def standing(self, warnings, key):
        return warnings.filtered(lambda w: w.key == key)

    def test_overbooked_next_week(self):
        booking = self.book(
            self.ann, date_from=NEXT, date_to=NEXT + timedelta(6), hours=48
        )
        self.book(self.pat, date_from=NEXT, date_to=NEXT + timedelta(6), hours=10)
        warnings = self.evaluate()
        ann = self.standing(warnings, f"overbooked:employee:{self.ann.id}")
        self.assertEqual((ann.measure, ann.project_id), (120.0, self.project))
        self.assertEqual(ann.owner_id, self.users["billing"])  # the resourcing owner
        self.assertIn("120.0 % of their capacity", ann.message)
        self.assertTrue(ann.activity_ids)
        self.assertFalse(self.standing(warnings, f"overbooked:employee:{self.pat.id}"))
        # a producer reads it (hours only)
        self.assertTrue(ann.with_user(self.users["producer"]).has_access("read"))
        booking.hours = 30
        warnings = self.evaluate()
        self.assertFalse(self.standing(warnings, f"overbooked:employee:{self.ann.id}"))
        self.assertEqual(ann.state, "resolved")

    def test_burnout_after_three_weeks_over_target(self):
        for week in range(1, 4):
            for day in range(5):
                self.log(self.art, 8.0, day=MON - timedelta(weeks=week - 1, days=-day))
                if week < 3:
                    self.log(
                        self.ann, 8.0, day=MON - timedelta(weeks=week - 1, days=-day)
                    )
        warnings = self.evaluate()
        art = self.standing(warnings, f"burnout:employee:{self.art.id}")
        self.assertEqual((art.measure, art.limit), (100.0, 85.0))
        self.assertEqual(art.line_count, 15)
        # Ann: only two weeks over target
        self.assertFalse(self.standing(warnings, f"burnout:employee:{self.ann.id}"))

    def test_role_short_of_supply_in_fte(self):
        self.book(
            role_id=self.role_ad.id,
            date_from=date(2026, 3, 23),
            date_to=date(2026, 4, 19),
            hours=60.0,
        )
        warnings = self.evaluate()
        key = f"supply:role:{self.role_ad.id}:{self.company.id}"
        supply = self.standing(warnings, key)
        self.assertEqual(supply.measure, 0.5)  # 60 h booked for 40 h of capacity
        self.assertIn("FTE short from week 2", supply.name)

    def test_role_under_its_band(self):
        designers = self.employees.values()
        people = self.ann | self.pat
        for employee in designers:
            people |= employee
        self.book(self.ann, date_from=NEXT, date_to=NEXT + timedelta(weeks=4), hours=8)
        warnings = self.evaluate(people)
        key = f"underused:role:{self.role_designer.id}:{self.company.id}"
        under = self.standing(warnings, key)
        self.assertTrue(under)
        self.assertIn("booked, the next 4 weeks", under.message)
        # a role nobody books stays quiet
        quiet = f"underused:role:{self.role_ad.id}:{self.company.id}"
        self.assertFalse(self.standing(warnings, quiet))
