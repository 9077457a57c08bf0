"""The pure parts of the pricing engine (models/pricing.py): plain values in,
plain values out, no database. What loads the rate cards and prices stored
entries is tested against the database in test_rate_pricing.py and
test_rate_snapshot.py."""

from datetime import date
from unittest import TestCase

from ..models.pricing import (
    NO_CHANGE,
    NO_PRICE,
    PRICE_FIELDS,
    Price,
    Quote,
    facts_scope,
    ids_by_price,
    price_change,
    price_changes,
    price_of,
    real_id,
    same_price,
    stored_price,
)

EUR, USD = 1, 2
LINE = 7


def no_conversion(amount, source, target):
    return amount


def at_rate(factor):
    """A convert that multiplies by factor between different currencies and
    rounds to cents, and says what it converted."""
    calls = []

    def convert(amount, source, target):
        calls.append((amount, source, target))
        return round(amount * (factor if source != target else 1.0), 2)

    convert.calls = calls
    return convert


class TestPriceOf(TestCase):
    def test_a_line_prices_billable_time(self):
        price = price_of(LINE, (USD, 150.0, 80.0), (60.0, EUR), EUR, 10, at_rate(0.5))
        self.assertEqual(price, Price("priced", LINE, 150.0, USD, 40.0, "rate"))

    def test_the_persons_cost_when_the_line_has_none(self):
        convert = at_rate(2.0)
        price = price_of(LINE, (USD, 150.0, 0.0), (60.0, EUR), EUR, 10, convert)
        self.assertEqual(price, Price("priced", LINE, 150.0, USD, 60.0, "employee"))
        self.assertEqual(convert.calls, [(60.0, EUR, EUR)])

    def test_no_line_is_missing_never_zero_priced(self):
        price = price_of(None, None, (60.0, EUR), EUR, 10, no_conversion)
        self.assertEqual(price, Price("missing", False, 0.0, False, 60.0, "employee"))

    def test_no_client_is_internal_with_a_cost_only(self):
        price = price_of(LINE, (USD, 150.0, 80.0), None, EUR, None, at_rate(0.5))
        self.assertEqual(price, Price("internal", LINE, 0.0, False, 40.0, "rate"))
        price = price_of(None, None, None, EUR, None, no_conversion)
        self.assertEqual(price, Price("internal", False, 0.0, False, 0.0, "employee"))

    def test_no_person_cost_is_zero_in_the_company_currency(self):
        convert = at_rate(3.0)
        price = price_of(None, None, None, EUR, 10, convert)
        self.assertEqual(price.cost_rate, 0.0)
        self.assertEqual(convert.calls, [(0.0, EUR, EUR)])


class TestSamePrice(TestCase):
    def test_amounts_compared_to_six_decimals(self):
        price = Price("priced", LINE, 100.0, USD, 50.0, "rate")
        self.assertTrue(same_price(price, price._replace(bill_rate=100.0000001)))
        self.assertTrue(same_price(price, price._replace(cost_rate=49.9999999)))
        self.assertFalse(same_price(price, price._replace(bill_rate=100.00001)))

    def test_every_other_part_counts(self):
        price = Price("priced", LINE, 100.0, USD, 50.0, "rate")
        for other in (
            price._replace(state="missing"),
            price._replace(rate_id=8),
            price._replace(currency_id=EUR),
            price._replace(cost_source="employee"),
        ):
            with self.subTest(other=other):
                self.assertFalse(same_price(price, other))


class TestStoredValues(TestCase):
    def test_nulls_read_as_the_orm_reads_them(self):
        self.assertEqual(stored_price(None, None, None, None, None, None), NO_PRICE)
        self.assertEqual(
            stored_price("priced", LINE, 100.0, USD, 50.0, "rate"),
            Price("priced", LINE, 100.0, USD, 50.0, "rate"),
        )

    def test_every_part_has_its_field(self):
        self.assertEqual(set(PRICE_FIELDS), set(Price._fields))

    def test_real_id_of_cache_values(self):
        class NewId:
            def __init__(self, origin):
                self.origin = origin

        self.assertEqual(real_id(5), 5)
        self.assertIsNone(real_id(0))
        self.assertIsNone(real_id(None))
        self.assertIsNone(real_id(False))
        self.assertEqual(real_id(NewId(9)), 9)
        self.assertIsNone(real_id(NewId(None)))


class TestBatches(TestCase):
    def test_scope_of_facts(self):
        facts = [
            (1, 3, 10, 20, None, 40, date(2026, 3, 5)),
            (2, 4, None, 21, 30, 41, date(2026, 1, 9)),
            (3, 3, 10, 20, 30, None, date(2026, 2, 1)),
        ]
        companies, first, last = facts_scope(facts)
        self.assertEqual(sorted(companies), [3, 4])
        self.assertEqual((first, last), (date(2026, 1, 9), date(2026, 3, 5)))
        self.assertIsNone(facts_scope([]))

    def test_changes_leave_frozen_prices_alone_unless_forced(self):
        old = Price("priced", LINE, 100.0, USD, 50.0, "rate")
        new = old._replace(bill_rate=120.0)
        quotes = {
            1: Quote(new, old, False),
            2: Quote(new, old, True),
            3: Quote(old, old, False),
            4: Quote(old._replace(cost_rate=50.0000001), old, False),
        }
        self.assertEqual(price_changes(quotes), {1: (old, new)})
        self.assertEqual(
            price_changes(quotes, force=True), {1: (old, new), 2: (old, new)}
        )

    def test_ids_grouped_by_price_in_order(self):
        a = Price("priced", LINE, 100.0, USD, 50.0, "rate")
        b = NO_PRICE
        groups = ids_by_price({5: a, 3: b, 9: a, 1: b})
        self.assertEqual(dict(groups), {a: [5, 9], b: [3, 1]})


class TestPriceChange(TestCase):
    OLD = Price("priced", LINE, 100.0, USD, 50.0, "rate")

    def test_what_a_rerate_changes(self):
        old = self.OLD
        cases = [
            (NO_CHANGE, old._replace(bill_rate=100.0000001)),
            ("missing", Price("missing", False, 0.0, False, 50.0, "employee")),
            ("price", old._replace(bill_rate=110.0)),
            ("price", old._replace(currency_id=EUR)),
            ("price", old._replace(state="internal", bill_rate=0.0, currency_id=False)),
            ("source", old._replace(rate_id=8)),
            ("cost", old._replace(cost_rate=55.0)),
            ("cost", old._replace(cost_source="employee")),
        ]
        for expected, new in cases:
            with self.subTest(new=new):
                self.assertEqual(price_change(old, new), expected)

    def test_a_price_found_again_is_a_price_change(self):
        missing = Price("missing", False, 0.0, False, 50.0, "employee")
        self.assertEqual(price_change(missing, self.OLD), "price")
