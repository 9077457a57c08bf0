"""forecast_accuracy.py and board_pack.py: the snapshot's lines, accuracy and
the board pack's tables, pure (no database)."""

import io
import unittest
import zipfile
from datetime import date

from .. import board_pack as bp
from ..forecast_accuracy import (
    accuracy_percent,
    compare,
    error_percent,
    month_first,
    runway,
    snapshot_lines,
    utilization_percent,
)

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def series(months):
    return {"weeks": [], "months": months, "total": sum(months)}


class TestAccuracy(unittest.TestCase):
    def test_error_and_accuracy(self):
        # forecast 900, actual 1,000: 10 % off, 90 % accurate
        self.assertEqual(error_percent(900.0, 1000.0), 10.0)
        self.assertEqual(accuracy_percent(900.0, 1000.0), 90.0)
        # over-forecast by 150 % of what happened: accuracy never below 0
        self.assertEqual(error_percent(250.0, 100.0), 150.0)
        self.assertEqual(accuracy_percent(250.0, 100.0), 0.0)
        # negative actual (a credit note month): |difference| / |actual|
        self.assertEqual(error_percent(-50.0, -100.0), 50.0)
        # nothing happened: exact if nothing was forecast, else no share
        self.assertEqual(error_percent(0.0, 0.0), 0.0)
        self.assertIsNone(error_percent(100.0, 0.0))
        self.assertIsNone(accuracy_percent(100.0, 0.0))

    def test_compare_per_client_and_overall(self):
        forecast = {("billings", 7, JAN): 1000.0, ("billings", 8, JAN): 500.0}
        actual = {("billings", 7, JAN): 800.0, ("billings", 9, JAN): 100.0}
        rows = compare(forecast, actual)
        overall, *clients = rows
        self.assertEqual(
            (overall["client"], overall["forecast"], overall["actual"]),
            (None, 1500.0, 900.0),
        )
        self.assertEqual(overall["difference"], -600.0)
        self.assertEqual(overall["error"], 66.7)
        by_client = {r["client"]: r for r in clients}
        self.assertEqual(by_client[7]["difference"], -200.0)
        self.assertEqual(by_client[7]["error"], 25.0)
        self.assertIsNone(by_client[8]["error"])  # forecast, never billed
        self.assertEqual(by_client[9]["forecast"], 0.0)  # billed, not forecast
        self.assertEqual(by_client[9]["accuracy"], 0.0)

    def test_snapshot_lines_add_up_to_the_totals(self):
        figures = {
            "revenue": series([300.0, 0.0]),
            "billings": series([250.0, 100.0]),
            "cash": series([0.0, 80.0]),
            "rows": {
                "client": [
                    {
                        "key": 7,
                        "revenue": series([200.0, 0.0]),
                        "billings": series([250.0, 60.0]),
                        "cash": series([0.0, 80.0]),
                    }
                ]
            },
        }
        lines = snapshot_lines(figures, [JAN, FEB])
        self.assertIn(("revenue", 7, JAN, 200.0), lines)
        self.assertIn(("revenue", False, JAN, 100.0), lines)  # no client's
        self.assertIn(("billings", False, FEB, 40.0), lines)
        self.assertNotIn(("cash", 7, JAN, 0.0), lines)  # zeros left out
        for figure in ("revenue", "billings", "cash"):
            for index, month in enumerate((JAN, FEB)):
                self.assertAlmostEqual(
                    sum(a for f, _c, m, a in lines if f == figure and m == month),
                    figures[figure]["months"][index],
                )

    def test_runway_and_utilization(self):
        balances, negative = runway(1000.0, [-400.0, -700.0, 500.0])
        self.assertEqual(balances, [(0, 600.0), (1, -100.0), (2, 400.0)])
        self.assertEqual(negative, 1)
        self.assertIsNone(runway(10.0, [5.0])[1])
        self.assertEqual(utilization_percent(30.0, 40.0), 75.0)
        self.assertIsNone(utilization_percent(5.0, 0.0))
        self.assertEqual(month_first(date(2026, 3, 18)), date(2026, 3, 1))


class TestBoardPackTables(unittest.TestCase):
    def test_workbook_has_one_sheet_per_section(self):
        sections = [
            bp.section("margins", ["Kind", "Revenue"], [["T&M", 1234.5]]),
            bp.section("warnings", ["Severity", "Warning"], [["Serious", "Over"]]),
        ]
        raw = bp.workbook(sections)
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            workbook_xml = book.read("xl/workbook.xml").decode()
            strings = book.read("xl/sharedStrings.xml").decode()
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn('name="Margins summary"', workbook_xml)
        self.assertIn('name="Top warnings"', workbook_xml)
        self.assertIn("T&amp;M", strings)
        self.assertIn("<v>1234.5</v>", sheet)

    def test_utilization_and_scenario_rows(self):
        roles = [
            {
                "name": "Designer",
                "figures": {
                    "capacity": {"w1": 40.0, "w2": 40.0},
                    "booked": {"w1": 30.0, "w2": 30.0},
                    "logged": {},
                    "tentative": {"w2": 4.0},
                },
            }
        ]
        self.assertEqual(
            bp.utilization_rows(roles), [["Designer", 80.0, 0.0, 60.0, 4.0, 75.0]]
        )
        scenario = {
            "name": "Base",
            "levers": {"tentative_probability": 50.0, "payment_term": False},
            "revenue": {"total": 10.0},
            "billings": {"total": 8.0},
            "cash": {"total": 5.004},
            "lowest_balance": {"amount": -3.0, "date": "2026-04-06"},
            "note": "As booked",
        }
        self.assertEqual(
            bp.scenario_rows([scenario], ("tentative_probability", "payment_term")),
            [["Base", 50.0, "", 10.0, 8.0, 5.0, -3.0, "2026-04-06", "As booked"]],
        )
