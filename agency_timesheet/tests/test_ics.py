"""ics.py, the calendar file parser: bytes in, events out, no database."""

from datetime import timedelta

from odoo.tests import BaseCase

from ..ics import MAX_OCCURRENCES, IcsError, read_ics
from .ics_samples import (
    BRUSSELS,
    CANCELLED,
    DAY,
    HOLIDAY,
    KICKOFF,
    STANDUP,
    TOMORROW,
    ZERO,
    ics,
)


class TestReadIcs(BaseCase):
    """Plain functions: BaseCase (no database) so that both pytest and Odoo's
    own test runner run them."""

    def test_read_ics(self):
        data = ics(KICKOFF, STANDUP, HOLIDAY, CANCELLED, TOMORROW)
        events, skipped = read_ics(data, BRUSSELS, DAY, DAY)
        self.assertEqual(
            [(e["name"], e["start"].strftime("%H:%M"), e["day"]) for e in events],
            [("Stand-up", "09:00", DAY), ("Acme kickoff", "10:00", DAY)],
            "one occurrence of the repeating stand-up, the timed kickoff",
        )
        self.assertEqual(skipped, {"all_day": 1, "cancelled": 1, "declined": 0})
        self.assertEqual(events[1]["stop"] - events[1]["start"], timedelta(hours=1.5))
        self.assertEqual(events[1]["emails"], {"buyer@acme-test.example.com"})
        again, _skipped = read_ics(data, BRUSSELS, DAY, DAY)
        self.assertEqual([e["key"] for e in events], [e["key"] for e in again])
        week, _skipped = read_ics(data, BRUSSELS, DAY, DAY + timedelta(days=1))
        self.assertEqual(len(week), 4, "two stand-ups, the kickoff, the workshop")

    def test_read_ics_declined_and_moved(self):
        declined = KICKOFF + "ATTENDEE;PARTSTAT=DECLINED:mailto:Dani@studio.example.com"
        moved = """
UID:standup@example.com
RECURRENCE-ID:20260302T080000Z
SUMMARY:Stand-up (late)
DTSTART:20260302T090000Z
DTEND:20260302T093000Z
"""
        events, skipped = read_ics(
            ics(declined, STANDUP, moved),
            BRUSSELS,
            DAY,
            DAY,
            email="dani@studio.example.com",
        )
        self.assertEqual(skipped["declined"], 1)
        self.assertEqual(
            [(e["name"], e["start"].strftime("%H:%M")) for e in events],
            [("Stand-up (late)", "10:00")],
            "the moved occurrence replaces the rule's",
        )

    def test_read_ics_bad_input(self):
        limit = len(ics(KICKOFF)) + 50
        for data, kind in (
            (b"Subject: hello\r\n\r\nNot a calendar", "not_calendar"),
            (b"\xff\xfe\x00garbage", "not_calendar"),
            (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "unreadable"),
            (ics(KICKOFF) + b" " * 100, "too_big"),
            (ics("UID:1", "UID:2", "UID:3"), "too_many"),
        ):
            with self.assertRaises(IcsError) as caught:
                read_ics(data, BRUSSELS, DAY, DAY, max_bytes=limit, max_events=2)
            self.assertEqual(caught.exception.kind, kind, data[:30])

    def test_read_ics_zero_length_and_floating_times(self):
        floating = """
UID:floating@example.com
SUMMARY:Local review
DTSTART:20260302T140000
DTEND:20260302T150000
"""
        events, skipped = read_ics(ics(ZERO, floating), BRUSSELS, DAY, DAY)
        self.assertEqual(
            [(e["name"], e["start"].strftime("%H:%M %z")) for e in events],
            [("Local review", "14:00 +0100"), ("Reminder", "16:00 +0100")],
            "a floating time is the person's own; a zero-length event is kept",
        )
        self.assertEqual(events[1]["stop"], events[1]["start"])
        self.assertEqual(skipped, {"all_day": 0, "cancelled": 0, "declined": 0})

    def test_read_ics_repeats_are_capped(self):
        every_minute = """
UID:ticker@example.com
SUMMARY:Ticker
DTSTART:20260302T000000Z
DURATION:PT1M
RRULE:FREQ=MINUTELY
"""
        events, _skipped = read_ics(ics(every_minute), BRUSSELS, DAY, DAY)
        self.assertEqual(len(events), MAX_OCCURRENCES)
        self.assertEqual(len({e["key"] for e in events}), MAX_OCCURRENCES)

    def test_read_ics_days_are_local(self):
        """An event at 23:30 UTC on Sunday is Monday 00:30 in Brussels."""
        late = """
UID:late@example.com
SUMMARY:Late call
DTSTART:20260301T233000Z
DTEND:20260302T000000Z
"""
        events, _skipped = read_ics(ics(late, TOMORROW), BRUSSELS, DAY, DAY)
        self.assertEqual([(e["name"], e["day"]) for e in events], [("Late call", DAY)])
        self.assertEqual(events[0]["stop"] - events[0]["start"], timedelta(minutes=30))

    def test_holiday_and_cancelled_are_counted(self):
        events, skipped = read_ics(ics(HOLIDAY, CANCELLED), BRUSSELS, DAY, DAY)
        self.assertEqual(events, [])
        self.assertEqual(skipped, {"all_day": 1, "cancelled": 1, "declined": 0})
