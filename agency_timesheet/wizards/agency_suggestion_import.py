"""Calendar files (.ics) from outside Odoo, turned into suggestions.

A person uploads a calendar exported from another application (Google Calendar,
Outlook, Apple Calendar...). The timed events of the chosen days become
suggestions of source ``ics``, exactly like meetings from Odoo's own calendar.
The file is read once and cleared; it is never attached anywhere.

Bad input is refused with a clear message and nothing is saved: a file that is
not a calendar, one that cannot be read, or one that is too big (more than
MAX_ICS_BYTES, or more than MAX_ICS_EVENTS events).

The file is read by :func:`read_ics` (ics.py), a plain function: bytes in,
events out, tested directly.

"Fetch My Calendar Feed" reads the same kind of file from the person's own
calendar feed URL (kept encrypted, models/res_users.py): one GET,
https/http only, at most MAX_ICS_BYTES, a short timeout; a feed that cannot be
reached is refused with the reason and nothing is imported.
"""

import base64
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
import requests

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..ics import MAX_ICS_BYTES, MAX_ICS_EVENTS, IcsError, read_ics
from ..suggestion_rules import event_hours
from ..suggestion_sources import guess_project_from_partners
from ..tools import time_range

MAX_ICS_DAYS = 31  # days imported at once
MAX_ATTENDEES = 50  # attendees of an event matched to contacts (project guess)
FEED_TIMEOUT = 15  # seconds to fetch a calendar feed


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
    feed_set = fields.Boolean(
        default=lambda self: self.env.user.agency_calendar_feed_set, readonly=True
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
        data = base64.b64decode(self.ics_file)
        self.ics_file = False
        return self._import_bytes(data, filename)

    def action_fetch_feed(self):
        """Read the person's calendar feed, make the suggestions, show them."""
        self.ensure_one()
        self.env["agency.suggestion"]._check_enabled()
        self._check_dates()
        url = self.env.user.agency_calendar_feed_url
        if not url:
            raise UserError(
                self.env._(
                    "You have no calendar feed: paste its address in your avatar "
                    "(top right) › My Profile › Time Capture › Calendar Feed URL."
                )
            )
        return self._import_bytes(self._fetch_feed(url), self.env._("Calendar feed"))

    @api.model
    def _fetch_feed(self, url):
        """The bytes of the feed at `url` (webcal:// read as https://), at most
        MAX_ICS_BYTES; UserError naming the reason otherwise."""
        if url.lower().startswith("webcal://"):
            url = "https://" + url[len("webcal://") :]
        try:
            response = requests.get(
                url, timeout=FEED_TIMEOUT, stream=True, allow_redirects=True
            )
            response.raise_for_status()
            data = response.raw.read(MAX_ICS_BYTES + 1, decode_content=True)
        except requests.RequestException as error:
            raise UserError(
                self.env._(
                    "Your calendar feed could not be read (%(reason)s). Check the "
                    "address in My Profile › Time Capture and try again. Nothing "
                    "was imported.",
                    reason=type(error).__name__,
                )
            ) from error
        if len(data) > MAX_ICS_BYTES:
            self._refuse(IcsError("too_big", len(data)), self.env._("Calendar feed"))
        return data

    def _import_bytes(self, data, filename):
        Suggestion = self.env["agency.suggestion"]
        employee = Suggestion._employee()
        tz = Suggestion._tz()
        try:
            events, skipped = read_ics(
                data,
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
        project, _task, guess = guess_project_from_partners(self.env, partners, context)
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
