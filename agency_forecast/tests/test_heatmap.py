"""The heatmap's figures for a small studio, worked out by hand; its query
count; drill-down domains; who sees which rows (over JSON-RPC:
tests/test_capacity_rpc.py); the resourcing spreadsheet."""

from datetime import date, datetime, timedelta

from odoo.tests import tagged

from odoo.addons.agency_forecast.tests.common_capacity import MON, CapacityCase

from ..heatmap import heatmap_data

TODAY = date(2026, 3, 11)  # Wednesday of the second week (Tuesday is a holiday)
W1, W2, W3 = (f"w{MON + timedelta(days=7 * n)}" for n in range(3))


class HeatmapCase(CapacityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.team = env["hr.department"].create({"name": "Heatmap Studio"})
        (cls.ann | cls.pat | cls.art).department_id = cls.team
        cls.client = env["res.partner"].create({"name": "Heatmap Client"})
        cls.project.partner_id = cls.client
        for offset in range(5):  # 30 hours in the first week
            cls.log(cls.ann, 6.0, day=MON + timedelta(days=offset))
        cls.log(cls.ann, 4.0, day=date(2026, 3, 9))
        Booking = env["agency.booking"]
        base = {"project_id": cls.project.id, "mode": "week"}
        cls.ann_booking = Booking.create(
            {
                **base,
                "employee_id": cls.ann.id,
                "date_from": date(2026, 3, 9),
                "date_to": date(2026, 3, 22),
                "hours": 20.0,
            }
        )
        Booking.create(
            {
                **base,
                "employee_id": cls.pat.id,
                "date_from": date(2026, 3, 16),
                "date_to": date(2026, 3, 22),
                "mode": "share",
                "share": 50.0,
                "state": "tentative",
            }
        )
        Booking.create(
            {
                **base,
                "role_id": cls.role_ad.id,
                "date_from": date(2026, 3, 16),
                "date_to": date(2026, 3, 22),
                "hours": 16.0,
            }
        )
        cls.task.date_deadline = datetime(2026, 3, 18, 12, 0)

    def grid(self, weeks=3, env=None, **filters):
        filters.setdefault("department_ids", self.team.ids)
        return heatmap_data(env or self.env, MON, weeks, filters, TODAY)


@tagged("post_install", "-at_install")
class TestHeatmap(HeatmapCase):
    def role(self, data, role):
        return next(r for r in data["roles"] if r["id"] == role.id)

    def person(self, data, employee):
        for role in data["roles"]:
            for person in role["people"]:
                if person["id"] == employee.id:
                    return person["figures"]
        return None

    def test_columns(self):
        columns = self.grid()["columns"]
        weeks = [c for c in columns if c["kind"] == "week"]
        self.assertEqual([c["period"] for c in weeks], ["past", "current", "future"])
        days = [c["key"] for c in columns if c["kind"] == "day"]
        self.assertEqual(len(days), 10)  # this week and the next, Monday to Friday
        self.assertEqual(days[0], "d2026-03-09")

    def test_people_by_hand(self):
        data = self.grid()
        ann = self.person(data, self.ann)
        self.assertEqual(
            ann["capacity"],
            {
                W1: 40.0,
                W2: 32.0,
                W3: 40.0,
                **{
                    f"d{MON + timedelta(days=d)}": 8.0
                    for d in (7, 9, 10, 11, 14, 15, 16, 17, 18)
                },
            },
        )
        self.assertEqual((ann["logged"][W1], ann["logged"][W2]), (30.0, 4.0))
        # the current week: 4 logged on Monday, then 5 a day booked from today
        self.assertEqual(
            ann["load"],
            {
                W1: 30.0,
                W2: 19.0,
                W3: 20.0,
                "d2026-03-09": 4.0,
                "d2026-03-11": 5.0,
                "d2026-03-12": 5.0,
                "d2026-03-13": 5.0,
                **{f"d2026-03-{d}": 4.0 for d in range(16, 21)},
            },
        )
        self.assertEqual(ann["booked"][W2], 20.0)
        pat = self.person(data, self.pat)
        self.assertEqual((pat["capacity"][W2], pat["capacity"][W3]), (16.0, 24.0))
        self.assertEqual(
            pat["tentative_load"],
            {W3: 12.0, **{f"d2026-03-{d}": 4.0 for d in (16, 17, 18)}},
        )
        self.assertNotIn(W3, pat["load"])

    def test_roles_and_placeholders(self):
        data = self.grid()
        designers = self.role(data, self.role_designer)
        self.assertEqual(designers["figures"]["capacity"][W2], 48.0)
        self.assertEqual(designers["figures"]["load"][W3], 20.0)
        self.assertEqual(designers["figures"]["tentative_load"][W3], 12.0)
        self.assertEqual((designers["low"], designers["high"]), (75.0, 85.0))
        ads = self.role(data, self.role_ad)
        self.assertEqual(ads["figures"]["capacity"][W3], 40.0)
        self.assertEqual(ads["placeholder"]["booked"][W3], 16.0)
        self.assertEqual(ads["figures"]["load"][W3], 16.0)

    def test_deadlines_on_their_week(self):
        deadlines = self.grid()["deadlines"]
        self.assertEqual(
            [(d["name"], d["columns"]) for d in deadlines],
            [(self.task.name, [W3, "d2026-03-18"])],
        )

    def test_filters(self):
        other = self.env["project.project"].create(
            {"name": "Other client's", "allow_timesheets": True}
        )
        data = self.grid(project_ids=other.ids)
        self.assertFalse(self.person(data, self.ann)["logged"])
        self.assertEqual(self.person(data, self.ann)["capacity"][W1], 40.0)
        data = self.grid(partner_ids=self.client.ids)
        self.assertEqual(self.person(data, self.ann)["logged"][W1], 30.0)

    def test_query_count_independent_of_people_and_weeks(self):
        self.grid()
        counts = []
        for weeks, filters in ((3, {}), (12, {"department_ids": []})):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.grid(weeks, **filters)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    def test_drill_down_domains(self):
        Capacity = self.env["agency.capacity"]
        action = Capacity.agency_heatmap_action(
            {"kind": "person", "id": self.ann.id}, "2026-03-02", "2026-03-08", "entries"
        )
        lines = self.env["account.analytic.line"].search(action["domain"])
        self.assertEqual(sum(lines.mapped("unit_amount")), 30.0)
        action = Capacity.agency_heatmap_action(
            {"kind": "placeholder", "id": self.role_ad.id},
            "2026-03-16",
            "2026-03-22",
            "bookings",
        )
        bookings = self.env["agency.booking"].search(action["domain"])
        self.assertEqual(bookings.mapped("placeholder"), [True])
        action = Capacity.agency_heatmap_action(
            {"kind": "role", "id": self.role_designer.id},
            "2026-03-16",
            "2026-03-22",
            "bookings",
        )
        self.assertEqual(len(self.env["agency.booking"].search(action["domain"])), 2)

    def test_a_user_sees_their_own_row_only(self):
        data = self.grid(env=self.env(user=self.users["user"]), department_ids=[])
        people = [p["id"] for r in data["roles"] for p in r["people"]]
        self.assertEqual(people, [self.employees["user"].id])
        self.assertFalse(data["whole"])
        producer = self.grid(env=self.env(user=self.users["producer"]))
        self.assertTrue(producer["whole"])
        self.assertEqual(
            sorted(p["id"] for r in producer["roles"] for p in r["people"]),
            sorted((self.ann | self.pat | self.art).ids),
        )


@tagged("post_install", "-at_install")
class TestResourcingXlsx(HeatmapCase):
    def test_workbook(self):
        from io import BytesIO

        from openpyxl import load_workbook

        data = heatmap_data(self.env, MON, 3, {"department_ids": self.team.ids}, TODAY)
        content = self.env["agency.resourcing.xlsx"]._agency_workbook(data)
        book = load_workbook(BytesIO(content))
        self.assertEqual(book.sheetnames, ["Heatmap", "Deadlines", "Signals"])
        grid = book["Heatmap"]
        names = [grid.cell(row=r, column=1).value for r in range(2, grid.max_row + 1)]
        self.assertIn("  Ann Full", names)
        ann = names.index("  Ann Full") + 2
        self.assertEqual(grid.cell(row=ann, column=2).value, 30.0)  # logged, week 1
        self.assertEqual(grid.cell(row=ann, column=3).value, 75.0)  # % of 40 h
        self.assertEqual(book["Deadlines"].cell(row=2, column=4).value, self.task.name)
        action = self.env["agency.resourcing.xlsx"].agency_download(str(MON), 3)
        self.assertIn("/web/content/", action["url"])
