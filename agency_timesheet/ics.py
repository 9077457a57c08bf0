"""Calendar files (.ics): the timed events of a file, read without a database.

:func:`read_ics` takes the bytes of an iCalendar file and returns the events
that start on the chosen local days, with the reasons others were left out
(all-day, cancelled, declined by the person). Repeating events are expanded
(at most MAX_OCCURRENCES per event), moved occurrences replace the rule's, and
every occurrence gets a stable key, so importing the same file twice finds the
same events. Bad input raises :class:`IcsError`: too big (MAX_ICS_BYTES), too
many events (MAX_ICS_EVENTS), not a calendar, or unreadable.

Called by the import wizard (wizards/agency_suggestion_import.py), which turns
the events into suggestions; tested directly in tests/test_ics.py.
"""

import hashlib
from datetime import date, datetime, time, timedelta

import pytz
import vobject

MAX_ICS_BYTES = 2 * 1024 * 1024  # 2 MB
MAX_ICS_EVENTS = 1000  # VEVENT blocks in the file
MAX_OCCURRENCES = 500  # occurrences of one repeating event in the chosen days
NAME_MAX_LENGTH = 200
PARSE_ERRORS = (
    vobject.base.VObjectError,
    ValueError,
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
)


class IcsError(Exception):
    """A calendar file that cannot be imported.

    :param kind: too_big, not_calendar, unreadable or too_many
    :param detail: the size, the count or the parser's message
    """

    def __init__(self, kind, detail=None):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def _local(value, tz):
    """A datetime of the file as an aware datetime in tz (floating times are tz's)."""
    if value.tzinfo is None:
        return tz.localize(value)
    return value.astimezone(tz)


def _is_day(value):
    return isinstance(value, date) and not isinstance(value, datetime)


def _first(component, name):
    """The value of a component's property, or None."""
    lines = component.contents.get(name)
    return lines[0].value if lines else None


def _declined_by(vevent, email):
    if not email:
        return False
    for attendee in vevent.contents.get("attendee", []):
        address = str(attendee.value or "").lower().removeprefix("mailto:")
        status = [s.upper() for s in attendee.params.get("PARTSTAT", [])]
        if address == email.lower() and "DECLINED" in status:
            return True
    return False


def _attendee_emails(vevent):
    emails = set()
    for attendee in vevent.contents.get("attendee", []):
        address = str(attendee.value or "").lower().removeprefix("mailto:").strip()
        if "@" in address:
            emails.add(address)
    return emails


def _left_out(vevent, start, email):
    """Why an event gives no suggestion (all_day, cancelled, declined), or None."""
    if _is_day(start):
        return "all_day"
    if str(_first(vevent, "status") or "").upper() == "CANCELLED":
        return "cancelled"
    if _declined_by(vevent, email):
        return "declined"
    return None


def _length(vevent, start, tz):
    """An event's length (a timedelta), or None when it has none."""
    if not isinstance(start, datetime):
        return None
    end = _first(vevent, "dtend")
    duration = _first(vevent, "duration")
    if isinstance(end, datetime):
        return _local(end, tz) - _local(start, tz)
    if isinstance(duration, timedelta):
        return duration
    return None


def _occurrences(vevent, start, tz, first_instant, last_instant):
    """The starts of a (maybe repeating) event between two instants."""
    if "rrule" not in vevent.contents and "rdate" not in vevent.contents:
        return [start] if first_instant <= _local(start, tz) < last_instant else []
    ruleset = vevent.getrruleset(addRDate=True)
    if start.tzinfo is None:
        first_instant = first_instant.replace(tzinfo=None)
        last_instant = last_instant.replace(tzinfo=None)
    starts = []
    for occurrence in ruleset.xafter(first_instant, inc=True):
        if occurrence >= last_instant or len(starts) >= MAX_OCCURRENCES:
            break
        starts.append(occurrence)
    return starts


def read_ics(
    data,
    tz,
    first,
    last,
    email=None,
    max_bytes=MAX_ICS_BYTES,
    max_events=MAX_ICS_EVENTS,
):
    """The timed events of a calendar file that start between two local days.

    All-day events, cancelled events and events the person (``email``) declined
    are left out and counted. An event counts on the day it starts, cut at the
    end of that day.
    :param data: the file's bytes
    :param tz: the person's pytz time zone (floating times are read in it)
    :param first, last: the first and last day (dates, inclusive)
    :return: (events, skipped): events are dicts {key, name, day, start, stop,
        emails} with local aware start/stop, sorted by start; skipped counts
        {"all_day", "cancelled", "declined"}
    :raise IcsError: the file is too big, not a calendar, or unreadable
    """
    if len(data) > max_bytes:
        raise IcsError("too_big", len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IcsError("not_calendar") from error
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise IcsError("not_calendar")
    count = text.upper().count("BEGIN:VEVENT")
    if count > max_events:
        raise IcsError("too_many", count)
    first_instant = tz.localize(datetime.combine(first, time.min))
    last_instant = tz.localize(datetime.combine(last + timedelta(days=1), time.min))
    events, seen = [], set()
    skipped = {"all_day": 0, "cancelled": 0, "declined": 0}
    try:
        calendar = vobject.readOne(text)
        if calendar.name != "VCALENDAR":
            raise IcsError("not_calendar")
        vevents = calendar.contents.get("vevent", [])
        # Changed occurrences of repeating events replace the rule's occurrence.
        moved = {
            (str(_first(v, "uid")), _local(_first(v, "recurrence-id"), tz))
            for v in vevents
            if isinstance(_first(v, "recurrence-id"), datetime)
        }
        for vevent in vevents:
            start = _first(vevent, "dtstart")
            left_out = _left_out(vevent, start, email)
            if left_out:
                skipped[left_out] += 1
                continue
            length = _length(vevent, start, tz)
            if length is None:
                continue  # no start or no length: nothing to log
            uid = str(_first(vevent, "uid") or _first(vevent, "summary") or "")
            is_moved = _first(vevent, "recurrence-id") is not None
            occurrences = _occurrences(vevent, start, tz, first_instant, last_instant)
            for occurrence in occurrences:
                local_start = _local(occurrence, tz)
                if not is_moved and (uid, local_start) in moved:
                    continue
                local_stop = local_start + length
                stamp = local_start.astimezone(pytz.utc).isoformat()
                key = hashlib.sha1(f"{uid}|{stamp}".encode()).hexdigest()
                if key in seen:
                    continue
                seen.add(key)
                name = str(_first(vevent, "summary") or "").strip()
                events.append(
                    {
                        "key": f"ics:{key}",
                        "name": name[:NAME_MAX_LENGTH],
                        "day": local_start.date(),
                        "start": local_start,
                        "stop": local_stop,
                        "emails": _attendee_emails(vevent),
                    }
                )
    except PARSE_ERRORS as error:
        raise IcsError("unreadable", str(error)[:300]) from error
    events.sort(key=lambda event: event["start"])
    return events, skipped
