"""Small calendar files for the tests of ics.py (test_ics.py) and of the import
wizard (test_suggestion.py): Brussels, Monday 2 March 2026."""

from datetime import date

import pytz

BRUSSELS = pytz.timezone("Europe/Brussels")
DAY = date(2026, 3, 2)  # a Monday; Brussels is UTC+1 then


def ics(*events):
    """A small calendar file with the given VEVENT bodies."""
    blocks = "".join(
        f"BEGIN:VEVENT\r\n{body.strip()}\r\nEND:VEVENT\r\n" for body in events
    )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Agency tests//EN\r\n"
        f"{blocks}END:VCALENDAR\r\n"
    ).encode()


KICKOFF = """
UID:kickoff@example.com
SUMMARY:Acme kickoff
DTSTART;TZID=Europe/Brussels:20260302T100000
DTEND;TZID=Europe/Brussels:20260302T113000
ATTENDEE;PARTSTAT=ACCEPTED:mailto:Buyer@Acme-Test.example.com
"""
STANDUP = """
UID:standup@example.com
SUMMARY:Stand-up
DTSTART:20260226T080000Z
DURATION:PT15M
RRULE:FREQ=DAILY;COUNT=10
"""
HOLIDAY = """
UID:holiday@example.com
SUMMARY:Carnival
DTSTART;VALUE=DATE:20260302
DTEND;VALUE=DATE:20260303
"""
CANCELLED = """
UID:cancelled@example.com
SUMMARY:Cancelled review
STATUS:CANCELLED
DTSTART:20260302T130000Z
DTEND:20260302T140000Z
"""
ZERO = """
UID:zero@example.com
SUMMARY:Reminder
DTSTART:20260302T150000Z
DTEND:20260302T150000Z
"""
TOMORROW = """
UID:tomorrow@example.com
SUMMARY:Tomorrow's workshop
DTSTART:20260303T090000Z
DTEND:20260303T100000Z
"""
