"""Activity received from other tools through the webhooks, turned into
suggestions.

One row per event (a commit, a Jira issue update, an Asana task event, a
design tool's session), stored once (unique per company, source and the
event's own id, so a redelivered webhook adds nothing). The raw payload is
kept on the first event of each delivery and deleted with the events by the
retention purge (kind ``activity``, retention.py). An event whose author
email matches nobody is kept unassigned and reported once per address to the
Agency administrators.

Each event becomes, or joins, a suggestion of its owner (source
``activity``): an event that overlaps a suggestion still to review (a
meeting, another commit) adds its reason there, so a commit during a
meeting is one suggestion with two reasons; its hours stretch to the union of
both slots. Suggestions stay drafts the
person reviews; nothing is ever submitted.

Signatures, payloads and slots are read by activity_events.py (pure);
the HTTP endpoint is controllers/activity_webhook.py; who receives what is
the person's opt-in (res.users: agency_activity_git / _tasks / _generic).
"""

import hashlib
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..activity_events import (
    SOURCES,
    EventError,
    load,
    overlaps,
    parse,
    slot,
    union,
    verify,
)
from ..activity_tokens import TOKEN_KIND

ASANA_KIND = "api_key"  # the X-Hook-Secret Asana gave in its handshake
SOURCE_LABELS = {
    "github": "GitHub",
    "gitlab": "GitLab",
    "jira": "Jira",
    "asana": "Asana",
    "generic": "Activity",
}


class AgencyActivityEvent(models.Model):
    _name = "agency.activity.event"
    _description = "Agency Activity Event"
    _order = "started_at desc, id desc"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Person", readonly=True, index=True, ondelete="cascade"
    )
    source = fields.Selection(
        [(code, SOURCE_LABELS[code]) for code in SOURCES], required=True, readonly=True
    )
    external_id = fields.Char(required=True, readonly=True)
    title = fields.Char(readonly=True)
    started_at = fields.Datetime(required=True, readonly=True)
    ended_at = fields.Datetime(readonly=True)
    url = fields.Char(readonly=True)
    project_hint = fields.Char(readonly=True)
    email = fields.Char(string="Author Email", readonly=True, index=True)
    payload = fields.Text(readonly=True, help="The raw delivery (its first event).")
    suggestion_id = fields.Many2one(
        "agency.suggestion", readonly=True, ondelete="set null"
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "event_unique",
            "UNIQUE(company_id, source, external_id)",
            "This event was received already.",
        ),
    ]

    # -- the endpoint ----------------------------------------------------------

    @api.model
    def _agency_owner(self, scope, owner_id):
        """The record whose token signs the endpoint (a person or a company)."""
        model = {"person": "res.users", "company": "res.company"}.get(scope)
        if not model:
            raise EventError(404, "unknown endpoint")
        owner = self.env[model].sudo().browse(owner_id).exists()
        if not owner:
            raise EventError(404, "unknown endpoint")
        return owner

    @api.model
    def _agency_receive(self, scope, owner_id, source, body, headers):
        """Check, parse and store one delivery: (HTTP status, JSON answer).
        Anything refused writes nothing."""
        try:
            if source not in SOURCES:
                raise EventError(404, f"unknown source {source[:40]!r}")
            owner = self._agency_owner(scope, owner_id)
            Secret = self.env["agency.secret"].sudo()
            token = Secret._agency_read(owner, TOKEN_KIND)
            if source == "asana" and headers.get("X-Hook-Secret"):
                return self._agency_asana_handshake(owner, token, headers)
            if source == "asana":
                token = Secret._agency_read(owner, ASANA_KIND)
            verify(source, token, body, headers)
            payload = load(body)
            events = parse(source, payload, fields.Datetime.now())
            if scope == "person" and not owner._agency_activity_on(source):
                raise EventError(
                    403, f"{SOURCE_LABELS[source]} activity is off for this person"
                )
        except EventError as error:
            return error.status, {"ok": False, "reason": error.reason}
        except UserError as error:  # a secret that cannot be read
            return 503, {"ok": False, "reason": str(error).splitlines()[0]}
        company = owner if scope == "company" else owner.company_id
        user = owner if scope == "person" else None
        return 202, self._agency_ingest(company, user, source, events, body)

    @api.model
    def _agency_asana_handshake(self, owner, token, headers):
        """Asana's first call: keep the secret it signs with, echo it back."""
        verify("generic", token, b"", headers)
        self.env["agency.secret"].sudo()._agency_store(
            owner, ASANA_KIND, headers["X-Hook-Secret"]
        )
        return 200, {"ok": True, "X-Hook-Secret": headers["X-Hook-Secret"]}

    # -- storing -------------------------------------------------------------

    @api.model
    def _agency_ingest(self, company, user, source, events, body):
        """Store the new events, each once, and make their suggestions."""
        known = set(
            self.sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("source", "=", source),
                    ("external_id", "in", [e["external_id"] for e in events]),
                ]
            )
            .mapped("external_id")
        )
        authors = {} if user else self._agency_authors(company, events)
        answer = {"ok": True, "stored": 0, "duplicates": 0, "off": 0, "unassigned": []}
        payload = body.decode("utf-8", "replace")
        for event in events:
            if event["external_id"] in known:
                answer["duplicates"] += 1
                continue
            known.add(event["external_id"])
            owner = user or authors.get(event["email"])
            if owner and not owner._agency_activity_on(source):
                answer["off"] += 1  # opted out: nothing is kept
                continue
            record = self.sudo().create(
                {
                    **event,
                    "company_id": company.id,
                    "source": source,
                    "user_id": owner.id if owner else False,
                    "payload": payload,
                }
            )
            payload = False  # the raw delivery is kept once
            answer["stored"] += 1
            if owner:
                record._agency_suggest()
            else:
                answer["unassigned"].append(event["email"] or "(no email)")
                record._agency_report_unassigned()
        answer["unassigned"] = sorted(set(answer["unassigned"]))
        return answer

    @api.model
    def _agency_authors(self, company, events):
        """{email: the company's person with that address}."""
        emails = sorted({e["email"] for e in events if e["email"]})
        if not emails:
            return {}
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [("email_normalized", "in", emails), ("company_ids", "in", company.ids)]
            )
        )
        return {u.email_normalized: u for u in users}

    def _agency_report_unassigned(self):
        """Tell the company's Agency administrators once per unknown address."""
        self.ensure_one()
        earlier = self.sudo().search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("user_id", "=", False),
                ("email", "=", self.email or False),
                ("id", "!=", self.id),
            ]
        )
        if earlier:
            return
        admins = self.env.ref("agency_timesheet.group_agency_admin").sudo().users
        admins = admins.filtered(lambda u: self.company_id in u.company_ids)
        if not admins:
            return
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=admins.partner_id.ids,
            subject=self.env._("Activity from an unknown author"),
            body=self.env._(
                "%(tool)s sent activity by %(email)s, who matches no person of "
                "%(company)s. It is kept unassigned; give that person this email "
                "address (or their own endpoint) for their activity to become "
                "suggestions. You are told once per address.",
                tool=SOURCE_LABELS[self.source],
                email=self.email or self.env._("(no email)"),
                company=self.company_id.name,
            ),
        )

    # -- suggestions ---------------------------------------------------------

    def _agency_suggest(self):
        """Make the event's suggestion, or add its reason to the suggestion
        to review that overlaps its time."""
        self.ensure_one()
        Suggestion = (
            self.env["agency.suggestion"]
            .with_user(self.user_id)
            .with_company(self.company_id)
        )
        start, end = slot(self.started_at, self.ended_at or None)
        tz = Suggestion._tz()
        day = pytz.utc.localize(start).astimezone(tz).date()
        try:
            Suggestion._check_day(day)
            Suggestion._employee()
        except UserError:
            return False  # too old, or nobody to log for: the event stays
        project, task = self.env["agency.activity.mapping"]._agency_find(
            self.company_id, self.source, self.project_hint or ""
        )
        reason = f"{SOURCE_LABELS[self.source]}: {self.title}"
        for suggestion in Suggestion.search(
            Suggestion._day_domain(day)
            + [("state", "=", "new"), ("event_start", "!=", False)]
        ):
            span = (
                suggestion.event_start,
                suggestion.event_start + timedelta(hours=suggestion.hours),
            )
            if overlaps(span, (start, end)):
                vals = {}
                first, last = union(span, (start, end))
                if (first, last) != span:
                    vals.update(
                        event_start=first,
                        hours=round((last - first).total_seconds() / 3600, 2),
                    )
                if reason not in (suggestion.reason or ""):
                    vals["reason"] = f"{suggestion.reason} + {reason}"
                if project and not suggestion.project_id:
                    vals.update(project_id=project.id, task_id=task.id)
                suggestion.sudo().write(vals)
                self.sudo().suggestion_id = suggestion
                return suggestion
        key = hashlib.sha1(f"{self.source}|{self.external_id}".encode()).hexdigest()
        suggestion = Suggestion.create(
            {
                "date": day,
                "source": "activity",
                "source_key": f"activity:{key}",
                "project_id": project.id,
                "task_id": task.id,
                "hours": round((end - start).total_seconds() / 3600, 2) or 0.5,
                "name": self.title,
                "reason": reason,
                "event_start": start,
            }
        )
        self.sudo().suggestion_id = suggestion
        return suggestion
