"""Plain helpers of the agency add-ons: weeks, days in a time zone, and columns
read from the cache. None of them is a rule of the domain; the rules live beside
the models that use them.

Dates and time zones (plain values in, plain values out, tested directly in
tests/test_tools.py):

- :func:`week_bounds`: the week of a day, weeks starting on the company's day
  (approvals, My Week, reminders, the week review);
- :func:`day_bounds`: where a person's local day starts and ends, in UTC
  (suggestions);
- :func:`local_now`: a person's wall-clock time for a UTC instant (reminders);
- :func:`time_range`: "10:00–11:30" (suggestions and calendar files).

Columns (records in, plain values out): :func:`column` and :func:`value_by_id`
read one field of many records at once, for the batch computes and checks of
timesheet entries here and in agency_billing.
"""

from datetime import datetime, time, timedelta

import pytz

# -- dates and time zones ------------------------------------------------------


def week_bounds(day, week_start=0):
    """First and last day of the week containing `day`; weeks start on
    `week_start` (0 = Monday … 6 = Sunday)."""
    first = day - timedelta(days=(day.weekday() - week_start) % 7)
    return first, first + timedelta(days=6)


def day_bounds(day, tz):
    """The UTC instants (naive, as Odoo stores them) where a local day starts and ends.

    :param day: a date
    :param tz: a pytz time zone
    """
    start = tz.localize(datetime.combine(day, time.min))
    end = tz.localize(datetime.combine(day + timedelta(days=1), time.min))
    return (
        start.astimezone(pytz.utc).replace(tzinfo=None),
        end.astimezone(pytz.utc).replace(tzinfo=None),
    )


def local_now(utc_now, tz_name):
    """The person's wall-clock time for a naive UTC instant."""
    tz = pytz.timezone(tz_name or "UTC")
    return pytz.utc.localize(utc_now).astimezone(tz).replace(tzinfo=None)


def time_range(start, stop):
    """'10:00–11:30' for two local datetimes."""
    return f"{start:%H:%M}\N{EN DASH}{stop:%H:%M}"


# -- columns -------------------------------------------------------------------


def column(records, name):
    """The values of field name for records, in their order, as the cache holds
    them (ids for many2one fields): a column read at once, without building a
    record per value. Missing values are fetched (or computed) first."""
    field = records._fields[name]
    field.mapped(records)
    return records.env.cache.get_until_miss(records, field)


def value_by_id(model, ids, name):
    """{id: record[name]} for the records of model with these ids (empty ids
    left out), read as superuser in one batch."""
    return {
        record.id: record[name]
        for record in model.sudo().browse({id_ for id_ in ids if id_})
    }
