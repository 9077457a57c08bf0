"""Forecast accuracy and the snapshot's figures: pure rules, plain values in
and out (no models; tested directly in tests/test_forecast_accuracy.py).

A snapshot ("freeze for the board") keeps, for each figure (revenue, billings,
cash receipts) and each of its 12 months, the amount per client and the
remainder that no client carries, so that the sum of a month's lines is the
scenario's total for that month. Accuracy then compares each frozen month
with what really happened in it (report/agency_forecast_accuracy.py reads the
real invoices and payments):

- difference = actual − forecast (positive: more came in than forecast);
- error % = |difference| / |actual| × 100 (None when nothing happened and
  something was forecast: no share of nothing; 0 when both are 0);
- accuracy % = max(0, 100 − error %).
"""

from collections import defaultdict
from datetime import date

FIGURES = ("revenue", "billings", "cash")
# the figures compared with what happened (revenue has no real counterpart
# outside the margins, which count work at its price, not at a forecast)
COMPARED = ("billings", "cash")


def month_first(day):
    """The first day of `day`'s month."""
    return date(day.year, day.month, 1)


def snapshot_lines(figures, months):
    """The lines a snapshot stores of one scenario's figures (the dict
    ``agency.forecast.scenario.agency_forecast_data`` gives per scenario):
    [(figure, client id or False, month (date), amount)], zero amounts left
    out; per month, the clients' lines plus one line without client for what
    the clients' rows do not carry, so that each month adds up to the total."""
    found = []
    for figure in FIGURES:
        total = figures[figure]["months"]
        carried = [0.0] * len(months)
        for row in figures["rows"]["client"]:
            for index, amount in enumerate(row[figure]["months"]):
                if round(amount, 2):
                    found.append((figure, row["key"], months[index], round(amount, 2)))
                    carried[index] += amount
        for index, month in enumerate(months):
            rest = round(total[index] - carried[index], 2)
            if rest:
                found.append((figure, False, month, rest))
    return found


def error_percent(forecast, actual):
    """|actual − forecast| / |actual| × 100, rounded to 0.1; None when
    actual is 0 and forecast is not."""
    forecast, actual = round(forecast or 0.0, 2), round(actual or 0.0, 2)
    if not actual:
        return 0.0 if not forecast else None
    return round(abs(actual - forecast) / abs(actual) * 100.0, 1)


def accuracy_percent(forecast, actual):
    """max(0, 100 − error %); None when the error is."""
    error = error_percent(forecast, actual)
    return None if error is None else round(max(0.0, 100.0 - error), 1)


def compare(forecast, actual):
    """Rows of accuracy from two mappings {(figure, client, month): amount}:
    [{"figure", "client", "month", "forecast", "actual", "difference",
    "error", "accuracy"}] for every key in either, sorted by figure, month,
    client; plus, per figure and month, an overall row (client None) summing
    the clients'."""
    keys = set(forecast) | set(actual)
    overall = defaultdict(lambda: [0.0, 0.0])
    rows = []
    for key in keys:
        f, a = forecast.get(key, 0.0), actual.get(key, 0.0)
        rows.append(accuracy_row(*key, f, a))
        total = overall[(key[0], None, key[2])]
        total[0] += f
        total[1] += a
    rows += [accuracy_row(*key, f, a) for key, (f, a) in overall.items()]
    return sorted(
        rows,
        key=lambda r: (
            r["figure"],
            r["month"],
            r["client"] is not None,
            str(r["client"]),
        ),
    )


def accuracy_row(figure, client, month, forecast, actual):
    """One row of accuracy (see :func:`compare`)."""
    return {
        "figure": figure,
        "client": client,
        "month": month,
        "forecast": round(forecast, 2),
        "actual": round(actual, 2),
        "difference": round(actual - forecast, 2),
        "error": error_percent(forecast, actual),
        "accuracy": accuracy_percent(forecast, actual),
    }


def runway(opening, net_by_month):
    """Cash runway: [(month index, balance after it)] and the index of the
    first month whose balance is below zero (None: never within the months)."""
    balances, balance, first_negative = [], opening, None
    for index, net in enumerate(net_by_month):
        balance += net
        balances.append((index, round(balance, 2)))
        if balance < 0 and first_negative is None:
            first_negative = index
    return balances, first_negative


def utilization_percent(hours, capacity):
    """hours / capacity × 100, rounded to 0.1; None without capacity."""
    if not capacity:
        return None
    return round(hours / capacity * 100.0, 1)
