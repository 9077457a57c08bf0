"""Calendar files (.ics) from outside Odoo, turned into suggestions.

A person uploads a calendar exported from another application (Google Calendar,
Outlook, Apple Calendar...). The timed events of the chosen days become
suggestions of source ``ics``, exactly like meetings from Odoo's own calendar.
The file is read once and cleared; it is never attached anywhere.

Bad input is refused with a clear message and nothing is saved: a file that is
not a calendar, one that cannot be read, or one that is too big (more than
MAX_ICS_BYTES, or more than MAX_ICS_EVENTS events).

:func:`read_ics` is a plain function: bytes in, events out, tested directly.
"""

import base64
import hashlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz
import vobject

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.agency_suggestion import event_hours, time_range

MAX_ICS_BYTES = 2 * 1024 * 1024  # 2 MB
MAX_ICS_EVENTS = 1000  # VEVENT blocks in the file
MAX_ICS_DAYS = 31  # days imported at once
MAX_OCCURRENCES = 500  # occurrences of one repeating event in the chosen days
NAME_MAX_LENGTH = 200
MAX_ATTENDEES = 50  # attendees of an event matched to contacts (project guess)
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


class AgencySuggestionImport(models.TransientModel):
    _name = "agency.suggestion.import"
    _description = "Import a Calendar File into Suggestions"

    ics_file = fields.Binary(
        string="Calendar File (.ics)",
        attachment=False,
        help="A calendar exported from another application, in iCalendar format "
        "(.ics), up to 2 MB and 1000 events. It is read once and not kept.",
    )
    ics_filename = fields.Char(string="File Name")
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    suggestions_enabled = fields.Boolean(
        default=lambda self: self.env.user.agency_suggestions_enabled, readonly=True
    )

    def action_import(self):
        """Read the file, make the suggestions, show them."""
        self.ensure_one()
        Suggestion = self.env["agency.suggestion"]
        Suggestion._check_enabled()
        self._check_dates()
        if not self.ics_file:
            raise UserError(self.env._("Choose a calendar file (.ics) to import."))
        filename = self.ics_filename or "calendar.ics"
        if len(self.ics_file) * 3 // 4 > MAX_ICS_BYTES + 4:
            self._refuse(IcsError("too_big", len(self.ics_file) * 3 // 4), filename)
        employee = Suggestion._employee()
        tz = Suggestion._tz()
        try:
            events, skipped = read_ics(
                base64.b64decode(self.ics_file),
                tz,
                self.date_from,
                self.date_to,
                email=self.env.user.email,
            )
        except IcsError as error:
            self._refuse(error, filename)
        created = 0
        by_day = {}
        for event in events:
            by_day.setdefault(event["day"], []).append(event)
        # Attendees and clients' projects are read once for the whole file,
        # not once per event.
        attendees = self._partners_by_email(events)
        client_projects = None
        for day, day_events in sorted(by_day.items()):
            context = Suggestion._generation_context(day, employee)
            if client_projects is not None:
                context["client_projects"] = client_projects
            proposals = [
                self._proposal(event, context, attendees) for event in day_events
            ]
            client_projects = context.get("client_projects")
            proposals = [vals for vals in proposals if vals["hours"] > 0]
            created += Suggestion._store(day, proposals, (), context)["created"]
        self.ics_file = False
        return self._notify(filename, created, len(events), skipped)

    @api.model
    def _partners_by_email(self, events):
        """{email: the contacts with that address} for the attendees of the
        events (at most MAX_ATTENDEES each), in one search."""
        emails = {
            email
            for event in events
            for email in sorted(event["emails"])[:MAX_ATTENDEES]
        }
        by_email = defaultdict(lambda: self.env["res.partner"].sudo())
        if emails:
            partners = (
                self.env["res.partner"]
                .sudo()
                .search([("email_normalized", "in", sorted(emails))])
            )
            for partner in partners:
                by_email[partner.email_normalized] |= partner
        return by_email

    @api.model
    def _proposal(self, event, context, attendees=None):
        """The suggestion of one event of the file; attendees as
        _partners_by_email() gives them for the file (read here if None)."""
        Suggestion = self.env["agency.suggestion"]
        if attendees is None:
            attendees = self._partners_by_email([event])
        day_end = context["tz"].localize(
            datetime.combine(event["day"] + timedelta(days=1), time.min)
        )
        hours = event_hours(
            event["start"], event["stop"], day_end, context["day_hours"]
        )
        partners = self.env["res.partner"].sudo()
        for email in sorted(event["emails"])[:MAX_ATTENDEES]:
            partners |= attendees.get(email, partners.browse())
        project, _task, guess = Suggestion._guess_project_from_partners(
            partners, context
        )
        reason = self.env._(
            "Calendar file: '%(name)s' %(time)s",
            name=event["name"] or self.env._("(no title)"),
            time=time_range(event["start"], event["stop"]),
        )
        if guess:
            reason = f"{reason} \N{EM DASH} {guess}"
        return {
            "source": "ics",
            "source_key": event["key"],
            "project_id": project.id,
            "hours": hours,
            "name": event["name"] or False,
            "reason": reason,
            "event_start": event["start"].astimezone(pytz.utc).replace(tzinfo=None),
        }

    def _check_dates(self):
        Suggestion = self.env["agency.suggestion"]
        if self.date_to < self.date_from:
            raise UserError(
                self.env._("The last day comes before the first: swap the dates.")
            )
        if (self.date_to - self.date_from).days >= MAX_ICS_DAYS:
            raise UserError(
                self.env._(
                    "Import at most %(days)s days at once: choose a shorter period.",
                    days=MAX_ICS_DAYS,
                )
            )
        Suggestion._check_day(self.date_from)
        Suggestion._check_day(self.date_to)

    def _refuse(self, error, filename):
        messages = {
            "too_big": self.env._(
                "%(file)s is bigger than 2 MB: calendar files of up to 2 MB and "
                "1000 events can be imported. Export a shorter period from your "
                "calendar application and try again. Nothing was imported.",
                file=filename,
            ),
            "too_many": self.env._(
                "%(file)s holds %(count)s events: up to %(max)s can be imported at "
                "once. Export a shorter period from your calendar application and "
                "try again. Nothing was imported.",
                file=filename,
                count=error.detail,
                max=MAX_ICS_EVENTS,
            ),
            "not_calendar": self.env._(
                "%(file)s is not a calendar file: an iCalendar file (.ics) starts "
                "with BEGIN:VCALENDAR. Export your calendar in iCalendar format and "
                "try again. Nothing was imported.",
                file=filename,
            ),
            "unreadable": self.env._(
                "%(file)s could not be read as a calendar (%(detail)s). Export it "
                "again from your calendar application and try again. Nothing was "
                "imported.",
                file=filename,
                detail=error.detail,
            ),
        }
        raise UserError(messages[error.kind])

    def _notify(self, filename, created, found, skipped):
        left_out = []
        if skipped["all_day"]:
            left_out.append(self.env._("%(count)s all-day", count=skipped["all_day"]))
        if skipped["cancelled"]:
            left_out.append(
                self.env._("%(count)s cancelled", count=skipped["cancelled"])
            )
        if skipped["declined"]:
            left_out.append(self.env._("%(count)s declined", count=skipped["declined"]))
        message = self.env._(
            "%(file)s: %(created)s new suggestion(s) from %(found)s event(s) on "
            "the chosen days.",
            file=filename,
            created=created,
            found=found,
        )
        if left_out:
            message += " " + self.env._(
                "Left out: %(what)s event(s).", what=", ".join(left_out)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "info",
                "message": message,
                "next": self.env["agency.suggestion"].action_day(
                    self.date_from, self.date_to
                ),
            },
        }
