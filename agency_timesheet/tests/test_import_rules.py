"""The importer's pure rules (importing/): reading without guessing, source
detection, fingerprints, near-duplicates and side-by-side totals; no database,
each quirk of the sources' exports has a case."""

import datetime

from odoo.tests import BaseCase

from ..importing import (
    fingerprint,
    matching,
    parsing,
    rate_cards,
    reader,
    report,
    sources,
)
from ..importing.parsing import ParseError
from ..importing.reader import FileError, Options, Question, Reject, Row
from .import_samples import (
    GENERIC_CSV_MAP,
    GENERIC_XLSX_MAP,
    harvest,
    harvest_row,
    sample,
)

HARVEST_HEADER_ONLY = harvest()


def read(content, **options):
    """(layout, rows, rejects) of a file read with options."""
    opts = Options(**options)
    layout = reader.inspect(content, opts)
    results = list(reader.read_rows(content, layout, opts))
    rows = [item for item in results if isinstance(item, Row)]
    rejects = [item for item in results if isinstance(item, Reject)]
    return layout, rows, rejects


def hours(rows):
    return round(sum(row.seconds for row in rows) / 3600, 4)


class TestParsing(BaseCase):
    def test_encodings(self):
        self.assertEqual(parsing.decode(b"\xef\xbb\xbfDate"), ("Date", "utf-8-sig"))
        self.assertEqual(parsing.decode("Café".encode()), ("Café", "utf-8"))
        self.assertEqual(parsing.decode("Café".encode("cp1252")), ("Café", "cp1252"))
        with self.assertRaises(ParseError):
            parsing.decode(b"\x81\x8d\x8f", "utf-8")

    def test_delimiters(self):
        self.assertEqual(parsing.header_delimiter("Date,Client,Hours"), ",")
        self.assertEqual(parsing.header_delimiter("Project;Client;Duration (h)"), ";")
        self.assertEqual(parsing.header_delimiter("Date\tHours"), "\t")
        with self.assertRaises(ParseError):
            parsing.header_delimiter("just one column")

    def test_dates_never_guessed(self):
        self.assertEqual(parsing.date_formats(["2026-03-04"]), {"iso"})
        self.assertEqual(parsing.date_formats(["04.03.2026"]), {"dmy_dot"})
        self.assertEqual(parsing.date_formats(["03/04/2026"]), {"mdy", "dmy"})
        self.assertEqual(parsing.date_formats(["03/04/2026", "13/04/2026"]), {"dmy"})
        self.assertEqual(parsing.date_formats(["03/04/2026", "04/13/2026"]), {"mdy"})
        self.assertEqual(
            parsing.parse_date("03/04/2026", "mdy"), datetime.date(2026, 3, 4)
        )
        self.assertEqual(
            parsing.parse_date("03/04/2026", "dmy"), datetime.date(2026, 4, 3)
        )
        with self.assertRaisesRegex(ParseError, "DD.MM.YYYY"):
            parsing.parse_date("2026-13-01", "dmy_dot")

    def test_decimal_marks(self):
        self.assertEqual(parsing.decimal_marks(["1,5"]), {","})
        self.assertEqual(parsing.decimal_marks(["1.5"]), {"."})
        self.assertEqual(parsing.decimal_marks(["1,250"]), {".", ","})
        self.assertEqual(parsing.decimal_marks(["1.234,50"]), {","})
        self.assertEqual(parsing.parse_number("1.234,50", ","), 1234.5)
        self.assertEqual(parsing.parse_number("1,234.50", "."), 1234.5)
        self.assertIsNone(parsing.parse_number(" "))
        with self.assertRaises(ParseError):
            parsing.parse_number("1,5", ".")
        with self.assertRaises(ParseError):
            parsing.parse_number("abc")

    def test_durations(self):
        self.assertEqual(parsing.parse_duration("1.5"), 5400)
        self.assertEqual(parsing.parse_duration("1,5", ","), 5400)
        self.assertEqual(parsing.parse_duration("1:30"), 5400)
        self.assertEqual(parsing.parse_duration("01:30:15"), 5415)
        self.assertEqual(parsing.parse_duration("18:25 min"), 1105)
        self.assertEqual(parsing.parse_duration("45 min"), 2700)
        self.assertIsNone(parsing.parse_duration(""))
        with self.assertRaisesRegex(ParseError, "not a duration"):
            parsing.parse_duration("soon")
        with self.assertRaisesRegex(ParseError, "negative"):
            parsing.check_duration(parsing.parse_duration("-1.0"))
        with self.assertRaisesRegex(ParseError, "more than a day"):
            parsing.check_duration(parsing.parse_duration("30"))

    def test_booleans(self):
        for text in ("Yes", "yes", "true", "TRUE", "1"):
            self.assertTrue(parsing.parse_bool(text), text)
        for text in ("No", "false", "0", ""):
            self.assertFalse(parsing.parse_bool(text), text)
        with self.assertRaises(ParseError):
            parsing.parse_bool("maybe")

    def test_times_and_zones(self):
        self.assertEqual(parsing.parse_time("9:05 PM"), datetime.time(21, 5))
        self.assertEqual(parsing.parse_time("09:05:30"), datetime.time(9, 5, 30))
        day = datetime.date(2026, 3, 2)
        self.assertEqual(
            parsing.to_utc(day, datetime.time(9, 0), "Europe/Brussels"),
            datetime.datetime(2026, 3, 2, 8, 0),
        )
        self.assertEqual(
            parsing.to_utc(day, datetime.time(9, 0), "America/New_York"),
            datetime.datetime(2026, 3, 2, 14, 0),
        )
        with self.assertRaisesRegex(ParseError, "time zone"):
            parsing.to_utc(day, datetime.time(9, 0), "Mars/Olympus")


class TestSources(BaseCase):
    def test_detected_from_the_header(self):
        self.assertEqual(
            sources.detect_source(sources.normal_column(c) for c in ["Date"]),
            "generic",
        )
        for name, source in (
            ("harvest_detailed_time.csv", "harvest"),
            ("toggl_detailed.csv", "toggl"),
            ("clockify_detailed.csv", "clockify"),
        ):
            self.assertEqual(read(sample(name))[0].source, source, name)

    def test_override(self):
        content = sample("toggl_detailed.csv")
        with self.assertRaises(sources.MissingColumns):
            reader.inspect(content, Options(source="harvest"))

    def test_missing_columns_named_with_those_found(self):
        content = (
            b"Date,Client,Hours,Billable?,First Name,Last Name\n"
            b"2026-01-05,A,1,Yes,M,H\n"
        )
        with self.assertRaises(sources.MissingColumns) as caught:
            reader.inspect(content)
        self.assertIn("Project", str(caught.exception))
        self.assertIn("Date, Client, Hours", str(caught.exception))

    def test_harvest_variants(self):
        """Some exports lack Hours Rounded, Teams and Employee Id; older ones
        have Department."""
        header = (
            "Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,"
            "Invoiced?,Approved?,First Name,Last Name,Roles,Department,Employee?,"
            "Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency"
        )
        row = (
            "2026-01-05,ACME,Site,S1,Design,x,2.5,Yes,No,No,Mia,Hart,Designer,"
            "Studio,Yes,100,250,40,100,Euro - EUR"
        )
        layout, rows, rejects = read(harvest(row, header=header))
        self.assertEqual(layout.source, "harvest")
        self.assertEqual((rows[0].seconds, rows[0].currency), (9000, "EUR"))
        self.assertFalse(rejects)

    def test_currency_in_the_header(self):
        self.assertEqual(sources.header_currency(["Amount (USD)"]), "USD")
        self.assertIsNone(sources.header_currency(["Duration (h)"]))
        with self.assertRaises(ValueError):
            sources.header_currency(["Rate (EUR)", "Amount (USD)"])

    def test_clockify_activity_for_task(self):
        content = sample("clockify_detailed.csv").replace(b";Task;", b";Activity;")
        _layout, rows, _rejects = read(content)
        self.assertEqual(rows[0].task, "Pre-production")


class TestSamples(BaseCase):
    """Each sample file reads whole, with its totals."""

    def test_harvest(self):
        layout, rows, rejects = read(sample("harvest_detailed_time.csv"))
        self.assertEqual((layout.encoding, layout.currency), ("cp1252", None))
        self.assertFalse(rejects)
        self.assertEqual(len(rows), 7)
        self.assertEqual(hours(rows), 21.25)
        self.assertEqual(rows[1].notes, "Call with the client\nabout the palette")
        self.assertEqual(rows[1].line, 3, "a quoted newline keeps line numbers")
        self.assertEqual(rows[2].line, 5)
        self.assertEqual(rows[3].notes, "Café menu page")
        self.assertEqual({row.currency for row in rows}, {"GBP"})
        self.assertEqual(
            [(row.invoiced, row.approved) for row in rows[:3]],
            [(True, True), (True, True), (False, True)],
        )

    def test_toggl(self):
        layout, rows, rejects = read(sample("toggl_detailed.csv"), tz="Europe/Paris")
        self.assertEqual((layout.encoding, layout.currency), ("utf-8-sig", "USD"))
        self.assertFalse(rejects)
        self.assertEqual([row.seconds for row in rows], [9000, 1105, 15300, 3600])
        self.assertEqual(rows[0].start, datetime.datetime(2026, 3, 2, 8, 0))
        self.assertEqual(rows[0].person, "Lea Park", "no BOM in the first column")
        self.assertEqual(rows[2].bill_amount, 425.0)

    def test_clockify(self):
        layout, rows, rejects = read(sample("clockify_detailed.csv"))
        self.assertEqual((layout.delimiter, layout.date_format), (";", "dmy"))
        self.assertEqual((layout.decimal_mark, layout.currency), (",", "EUR"))
        self.assertFalse(rejects)
        # the exact h:mm:ss wins over the rounded decimal: 1:01 is not 1.02 h
        self.assertEqual([row.seconds for row in rows], [3660, 9000, 25200, 60])
        self.assertEqual(rows[2].notes, "Edit; first cut")
        self.assertEqual(rows[3].date, datetime.date(2026, 4, 2))
        self.assertEqual([row.approved for row in rows], [True, True, False, False])
        self.assertEqual([row.invoiced for row in rows], [False, True, False, False])
        self.assertEqual(rows[0].bill_amount, 96.58)

    def test_clockify_decimal_only(self):
        content = sample("clockify_detailed.csv").replace(b";01:01:00;", b";;")
        _layout, rows, _rejects = read(content)
        self.assertEqual(rows[0].seconds, 3672, "1,02 h when nothing exact")

    def test_generic_csv_asks_the_date_format(self):
        content = sample("generic_timesheet.csv")
        with self.assertRaises(Question) as caught:
            reader.inspect(content, Options(generic_map=GENERIC_CSV_MAP))
        self.assertEqual(caught.exception.kind, "date_format")
        self.assertEqual(caught.exception.choices, ["dmy", "mdy"])
        _layout, rows, _rejects = read(
            content, generic_map=GENERIC_CSV_MAP, date_format="mdy"
        )
        self.assertEqual(rows[0].date, datetime.date(2026, 3, 4))
        self.assertEqual(hours(rows), 15.25)
        _layout, rows, _rejects = read(
            content, generic_map=GENERIC_CSV_MAP, date_format="dmy"
        )
        self.assertEqual(rows[0].date, datetime.date(2026, 4, 3))

    def test_generic_needs_its_map(self):
        with self.assertRaises(sources.MissingColumns):
            reader.inspect(sample("generic_timesheet.csv"))

    def test_xlsx_asks_the_sheet(self):
        content = sample("generic_timesheet.xlsx")
        with self.assertRaises(Question) as caught:
            reader.inspect(content, Options(generic_map=GENERIC_XLSX_MAP))
        self.assertEqual(caught.exception.kind, "sheet")
        self.assertEqual(caught.exception.choices, ["Time", "Summary"])
        layout, rows, rejects = read(
            content, generic_map=GENERIC_XLSX_MAP, sheet="Time"
        )
        self.assertEqual(layout.date_format, "iso")
        self.assertFalse(rejects)
        self.assertEqual(hours(rows), 7.5)
        self.assertEqual([row.billable for row in rows], [True, True, False])


class TestBadInput(BaseCase):
    def test_empty(self):
        for content in (b"", b"  \n", HARVEST_HEADER_ONLY):
            with self.assertRaises(FileError):
                reader.inspect(content)

    def test_not_a_csv(self):
        with self.assertRaisesRegex(FileError, "not a CSV or XLSX"):
            reader.inspect(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        with self.assertRaisesRegex(FileError, "XLSX"):
            reader.inspect(b"PK\x03\x04garbage")

    def test_rejected_rows_name_line_column_value_and_why(self):
        content = harvest(
            harvest_row(hours="-1.0"),
            harvest_row(hours="30.0"),
            harvest_row(day="2026-02-30"),
            harvest_row(rate="12x"),
            harvest_row(currency="pounds"),
            harvest_row(hours="2.0"),
        )
        _layout, rows, rejects = read(content)
        self.assertEqual(len(rows), 1)
        found = [(r.line, r.column, r.value, r.reason) for r in rejects]
        self.assertEqual(
            [item[:3] for item in found],
            [
                (2, "Hours", "-1.0"),
                (3, "Hours", "30.0"),
                (4, "Date", "2026-02-30"),
                (5, "Billable Rate", "12x"),
                (6, "Currency", "pounds"),
            ],
        )
        self.assertIn("negative", found[0][3])
        self.assertIn("more than a day", found[1][3])

    def test_a_person_with_two_emails(self):
        content = sample("toggl_detailed.csv").replace(
            b"Lea Park,lea@studio.example,Northwind,App Redesign,UX,Standup",
            b"Lea Park,lea.p@other.example,Northwind,App Redesign,UX,Standup",
        )
        _layout, rows, rejects = read(content)
        self.assertEqual(len(rows), 3)
        self.assertEqual((rejects[0].line, rejects[0].column), (3, "Email"))
        self.assertIn("lea@studio.example", rejects[0].reason)

    def test_ambiguous_decimal_mark_asks(self):
        """'1,250' is 1250 or 1.25: when no other number settles it, ask."""
        row = (
            "2026-01-05,ACME,Site,S1,Design,x,2,2,Yes,No,No,Mia,Hart,H-1,Designer,"
            'Studio,Yes,"1,250","2,500",40,80,Euro - EUR,'
        )
        with self.assertRaises(Question) as caught:
            reader.inspect(harvest(row))
        self.assertEqual(caught.exception.kind, "decimal_mark")
        _layout, rows, _rejects = read(harvest(row), decimal_mark=",")
        self.assertEqual(rows[0].bill_rate, 1.25)
        _layout, rows, _rejects = read(harvest(row), decimal_mark=".")
        self.assertEqual(rows[0].bill_rate, 1250.0)


class TestFingerprints(BaseCase):
    def test_same_rows_same_fingerprints_repeats_counted(self):
        _layout, rows, _rejects = read(sample("harvest_detailed_time.csv"))
        first = [fingerprint.Fingerprints("harvest")(row) for row in rows]
        prints = fingerprint.Fingerprints("harvest")
        again = [prints(row) for row in rows]
        self.assertEqual(len(set(again)), len(rows))
        twin = prints(rows[0])
        self.assertNotIn(twin, again, "a second identical row is a second entry")
        self.assertEqual(
            [fingerprint.Fingerprints("harvest")(row) for row in rows[:1]], first[:1]
        )
        self.assertNotEqual(fingerprint.Fingerprints("toggl")(rows[0]), first[0])

    def test_spelling_does_not_change_it(self):
        _layout, rows, _rejects = read(sample("harvest_detailed_time.csv"))
        row = rows[0]
        variant = Row(
            **{**row.__dict__, "client": "acme inc.", "notes": " Logo  sketches"}
        )
        self.assertEqual(
            fingerprint.Fingerprints("harvest")(row),
            fingerprint.Fingerprints("harvest")(variant),
        )


class TestMatching(BaseCase):
    def test_near_duplicates(self):
        names = ["ACME Inc", "Acme Inc.", "ACME Inc ", "Blue Harbor Ltd", "Acme, Inc"]
        self.assertEqual(
            matching.near_duplicates(names),
            [["ACME Inc", "ACME Inc ", "Acme Inc.", "Acme, Inc"]],
        )
        self.assertEqual(matching.name_key(" Café  Noir "), "cafe noir")
        self.assertEqual(matching.best_match("acme inc.", {"ACME Inc": 7}), 7)
        self.assertIsNone(matching.best_match("Acme Corp", {"ACME Inc": 7}))


class TestReport(BaseCase):
    def test_totals_and_side_by_side(self):
        _layout, rows, _rejects = read(sample("harvest_detailed_time.csv"))
        totals = report.Totals()
        for row in rows:
            totals.add_row(row)
        self.assertEqual(
            {k: round(v, 2) for k, v in totals.total().items()},
            {
                "hours": 21.25,
                "billable_hours": 20.75,
                "billable_amount": 2447.5,
                "cost": 995.0,
            },
        )
        odoo = report.Totals()
        for row in rows[1:]:
            odoo.add_row(row)
        lines = report.side_by_side(totals, odoo)
        different = [line for line in lines if not line[-1]]
        self.assertEqual(len(different), 1)
        self.assertEqual(
            different[0][:4], ("2026-01", "ACME Inc", "Brand Refresh", "Mia Hart")
        )
        self.assertEqual(different[0][4]["hours"], (3.25, 0.0))


class TestRateCards(BaseCase):
    def test_rate_card_csv(self):
        content = (
            b"client;project;role;person;bill rate;cost rate;currency;from;to\n"
            b"Acme;;;;150,00;;EUR;01.01.2026;\n"
            b";Web;Designer;;120,00;55,00;Euro - EUR;01.01.2026;30.06.2026\n"
            b";Web;Designer;;-5;;EUR;01.07.2026;\n"
            b";Web;;;100;;;01.07.2026;\n"
            b";Web;;;100;;EUR;01.07.2026;01.06.2026\n"
        )
        rows, rejects = rate_cards.read_rate_card(content)
        self.assertEqual(
            [(r.client, r.project, r.role, r.bill_rate, r.cost_rate, r.currency,
              r.date_from, r.date_to) for r in rows],
            [("Acme", "", "", 150.0, 0.0, "EUR", datetime.date(2026, 1, 1), None),
             ("", "Web", "Designer", 120.0, 55.0, "EUR", datetime.date(2026, 1, 1),
              datetime.date(2026, 6, 30))],
        )  # fmt: skip
        self.assertEqual(
            [(r.line, r.column) for r in rejects],
            [(4, "bill rate"), (5, "currency"), (6, "to")],
        )

    def test_rate_card_asks(self):
        content = b"bill rate,currency,from\n100,EUR,03/04/2026\n"
        with self.assertRaises(Question) as caught:
            rate_cards.read_rate_card(content)
        self.assertEqual(caught.exception.kind, "date_format")
        rows, _rejects = rate_cards.read_rate_card(content, date_format="dmy")
        self.assertEqual(rows[0].date_from, datetime.date(2026, 4, 3))
        with self.assertRaisesRegex(FileError, "currency"):
            rate_cards.read_rate_card(b"bill rate,from\n100,2026-01-01\n")

    def test_rates_proposed_from_history(self):
        def seen(project, person, day, rate, cost=50.0):
            return rate_cards.Observation(
                project, person, datetime.date.fromisoformat(day), rate, cost, "GBP"
            )

        # everyone on Site followed 100 then 120 from 1 March (Noah first)
        # on Brand, Mia and Noah had their own rates
        history = [
            seen("Site", "Mia", "2026-02-10", 100.0),
            seen("Site", "Noah", "2026-02-11", 100.0),
            seen("Site", "Noah", "2026-03-01", 120.0),
            seen("Site", "Mia", "2026-03-05", 120.0),
            seen("Brand", "Mia", "2026-01-05", 120.0),
            seen("Brand", "Noah", "2026-01-06", 100.0),
            seen("Brand", "Mia", "2026-02-03", 130.0),
            seen("Brand", "Mia", "2026-02-04", None),
        ]
        proposals = {
            (p["project"], p["person"], p["date_from"].isoformat(),
             p["date_to"] and p["date_to"].isoformat(), p["bill_rate"])
            for p in rate_cards.propose_rates(history)
        }  # fmt: skip
        self.assertEqual(
            proposals,
            {
                ("Site", None, "2026-02-10", "2026-02-28", 100.0),
                ("Site", None, "2026-03-01", None, 120.0),
                ("Brand", "Mia", "2026-01-05", "2026-02-02", 120.0),
                ("Brand", "Mia", "2026-02-03", None, 130.0),
                ("Brand", "Noah", "2026-01-06", None, 100.0),
            },
        )
