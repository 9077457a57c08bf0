"""Activity received from other tools through the webhooks, turned into
suggestions.

One row per event (a commit, a Jira issue update, an Asana task event, a
design tool's session), stored once (unique per company, source and the
event's own id, so a redelivered webhook adds nothing). The raw payload is
kept on the first event of each delivery and deleted with the events by the
retention purge (kind ``activity``, retention.py). An event whose author
email matches nobody is kept unassigned and reported once per address to the
Agency administrators.

The endpoint only verifies, parses and stores (one INSERT, the events
``pending``) and answers; a cron triggered by the delivery
(:meth:`_cron_process`, within seconds) turns pending events into
suggestions in batches. Each event becomes, or joins, a suggestion of its
owner (source ``activity``): an event that overlaps a suggestion still to review (a
meeting, another commit) adds its reason there, so a commit during a
meeting is one suggestion with two reasons; its hours stretch to the union of
both slots. Suggestions stay drafts the
person reviews; nothing is ever submitted.

Signatures, payloads and slots are read by activity_events.py (pure);
the HTTP endpoint is controllers/activity_webhook.py; who receives what is
the person's opt-in (res.users: agency_activity_git / _tasks / _generic).
"""

import hashlib
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index

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
from .res_users import ACTIVITY_FIELDS

BATCH = 500  # events turned into suggestions per cron batch
CRON = "agency_timesheet.ir_cron_agency_activity_process"  # the batch step
ASANA_KIND = "api_key"  # the X-Hook-Secret Asana gave in its handshake
# What the endpoint reads of its owner (one query, _agency_owner).
OWNERS = {
    "person": (
        "res.users",
        [
            "active",
            "company_id",
            "agency_suggestions_enabled",
            *ACTIVITY_FIELDS.values(),
        ],
    ),
    "company": ("res.company", ["name"]),
}
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
    pending = fields.Boolean(
        readonly=True,
        help="Technical: stored by the endpoint, its suggestion not made yet "
        "(the batch step, _cron_process).",
    )

    _sql_constraints = [  # noqa: RUF012 (Odoo reads this list)
        (
            "event_unique",
            "UNIQUE(company_id, source, external_id)",
            "This event was received already.",
        ),
    ]

    def init(self):
        create_index(
            self.env.cr,
            "agency_activity_event_pending_index",
            self._table,
            ["id"],
            where="pending",
        )

    # -- the endpoint ----------------------------------------------------------

    @api.model
    def _agency_owner(self, scope, owner_id):
        """The record whose token signs the endpoint (a person or a company),
        read in one query with what the delivery needs of it (a person's
        company and opt-ins; archived people too: their deliveries are
        refused as off, not as unknown)."""
        model, names = OWNERS.get(scope, (None, None))
        if not model:
            raise EventError(404, "unknown endpoint")
        owner = (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            # by id: the models' own order (a person's name) would join
            .search_fetch([("id", "=", owner_id)], names, limit=1, order="id")
        )
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
            token = Secret._agency_read_cached(owner, TOKEN_KIND)
            if source == "asana" and headers.get("X-Hook-Secret"):
                return self._agency_asana_handshake(owner, token, headers)
            if source == "asana":
                token = Secret._agency_read_cached(owner, ASANA_KIND)
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
        return 202, self._agency_store(company, user, source, events, body)

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
    def _agency_store(self, company, user, source, events, body):
        """Store the new events, each once, as pending (their suggestions are
        made by the batch step, :meth:`_cron_process`); the JSON answer.

        One INSERT for the delivery: ``ON CONFLICT DO NOTHING`` on the
        (company, source, event id) key makes a redelivery (even two at once,
        on two workers) store nothing twice and fail no transaction, which
        the ORM's create cannot do.
        """
        answer = {"ok": True, "stored": 0, "duplicates": 0, "off": 0, "unassigned": []}
        authors = {} if user else self._agency_authors(company, events)
        rows, seen = [], set()
        for event in events:
            if event["external_id"] in seen:
                answer["duplicates"] += 1
                continue
            seen.add(event["external_id"])
            owner = user or authors.get(event["email"])
            if owner and not owner._agency_activity_on(source):
                answer["off"] += 1  # opted out: nothing is kept
                continue
            rows.append((event, owner))
        if not rows:
            return answer
        payload = body.decode("utf-8", "replace")
        self.flush_model()
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(CRON)  # cached
        # The delivery's one query: the INSERT, and whether a wake-up of the
        # batch step is due already (then this delivery triggers none).
        returned = self.env.execute_query(
            SQL(
                """WITH new AS (
                       INSERT INTO agency_activity_event
                           (company_id, user_id, source, external_id, title,
                            started_at, ended_at, url, project_hint, email,
                            payload, pending, create_uid, create_date,
                            write_uid, write_date)
                       VALUES %s
                       ON CONFLICT (company_id, source, external_id) DO NOTHING
                       RETURNING external_id, id)
                   SELECT external_id, id,
                          EXISTS(SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s)
                     FROM new""",
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, TRUE, "
                        "%s, now() at time zone 'UTC', %s, "
                        "now() at time zone 'UTC')",
                        company.id,
                        owner.id if owner else None,
                        source,
                        event["external_id"],
                        event["title"],
                        event["started_at"],
                        event["ended_at"],
                        event["url"],
                        event["project_hint"],
                        event["email"],
                        payload if index == 0 else None,
                        self.env.uid,
                        self.env.uid,
                    )
                    for index, (event, owner) in enumerate(rows)
                ),
                cron_id,
            )
        )
        stored = {external_id: event_id for external_id, event_id, _due in returned}
        answer["stored"] = len(stored)
        answer["duplicates"] += len(rows) - len(stored)
        if stored and rows[0][0]["external_id"] not in stored:
            # The delivery's first event was known: the raw payload goes on
            # its first new one (kept once per delivery).
            self.env.execute_query(
                SQL(
                    "UPDATE agency_activity_event SET payload = %s WHERE id = %s",
                    payload,
                    min(stored.values()),
                )
            )
        answer["unassigned"] = sorted(
            {
                event["email"] or "(no email)"
                for event, owner in rows
                if not owner and event["external_id"] in stored
            }
        )
        if returned and not returned[0][2]:
            self._agency_trigger(cron_id)
        return answer

    @api.model
    def _agency_trigger(self, cron_id):
        """Wake the batch step once this delivery is committed (see
        :meth:`_agency_wake`)."""
        registry = self.env.registry
        self.env.cr.postcommit.add(lambda: registry[self._name]._agency_wake(cron_id))

    @classmethod
    def _agency_wake(cls, cron_id):
        """Trigger the batch step, unless a wake-up is already due: a trigger
        costs a row and a new connection to the ``postgres`` database (the
        cron workers' NOTIFY), which a burst of deliveries need not pay each.
        The delivery's INSERT said whether one was due when it ran (a burst's
        deliveries, while the batch step works, stop there: no cursor, no
        query more); when none was, this looks again through a cursor of its
        own, after the delivery's commit, so it sees the wake-ups of now. A
        batch that ends while events arrived meanwhile runs again
        (_cron_process counts them afresh); the cron's one-minute interval is
        the safety net."""
        with cls.pool.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            due = env.execute_query(
                SQL("SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s LIMIT 1", cron_id)
            )
            if not due:
                env["ir.cron"].browse(cron_id)._trigger()

    @api.model
    def _agency_ingest(self, company, user, source, events, body):
        """Store the new events and make their suggestions now (the demo, a
        script); the endpoint stores only and lets the batch step work."""
        answer = self._agency_store(company, user, source, events, body)
        self._agency_process_pending()
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

    # -- the batch step: events into suggestions -----------------------------

    @api.model
    def _cron_process(self):
        """Turn the pending events into suggestions, BATCH at a time, telling
        the scheduler how many remain (it runs again at once while some do).
        Triggered by every delivery that stored something."""
        done = self._agency_process_pending(limit=BATCH)
        self.env["ir.cron"]._notify_progress(
            done=len(done), remaining=self._agency_still_pending(done)
        )
        return len(done)

    @api.model
    def _agency_still_pending(self, done):
        """The pending events besides `done` that are committed now, seen
        through a cursor of its own: this transaction's snapshot misses the
        deliveries stored while it worked (their wake-up may have been
        skipped, _agency_trigger)."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FROM agency_activity_event "
                    "WHERE pending AND NOT id = ANY(%s)",
                    done or [0],
                )
            )
            return cr.fetchone()[0]

    @api.model
    def _agency_process_pending(self, limit=None):
        """Process the pending events, oldest first (locked, so two workers
        never process the same event); their ids."""
        self.flush_model(["pending"])
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """SELECT id FROM agency_activity_event WHERE pending
                       ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                    limit,
                )
            )
        ]
        self.sudo().browse(ids)._agency_process()
        return ids

    def _agency_process(self):
        """Make these events' suggestions (per person and company), report
        unknown authors once per address."""
        events = self.sudo()
        events.write({"pending": False})
        groups = defaultdict(lambda: self.sudo().browse())
        for event in events:
            groups[event.company_id, event.user_id] |= event
        for (_company, user), group in groups.items():
            if user:
                group._agency_suggest()
            else:
                group._agency_report_unassigned()

    def _agency_report_unassigned(self):
        """Tell the company's Agency administrators once per unknown address
        (these events: one company's, without a person)."""
        if not self:
            return
        company = self.company_id
        first = {}  # address → its first event here
        for event in self.sorted("id"):
            first.setdefault(event.email or False, event)
        earlier = {
            email
            for [email] in self.sudo()._read_group(
                [
                    ("company_id", "=", company.id),
                    ("user_id", "=", False),
                    ("email", "in", list(first)),
                    ("id", "not in", self.ids),
                ],
                ["email"],
            )
        }
        admins = self.env.ref("agency_timesheet.group_agency_admin").sudo().users
        admins = admins.filtered(lambda u: company in u.company_ids)
        if not admins:
            return
        for email, event in first.items():
            if email in earlier:
                continue
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=admins.partner_id.ids,
                subject=self.env._("Activity from an unknown author"),
                body=self.env._(
                    "%(tool)s sent activity by %(email)s, who matches no person of "
                    "%(company)s. It is kept unassigned; give that person this "
                    "email address (or their own endpoint) for their activity to "
                    "become suggestions. You are told once per address.",
                    tool=SOURCE_LABELS[event.source],
                    email=email or self.env._("(no email)"),
                    company=company.name,
                ),
            )

    def _agency_suggest(self):
        """Make these events' suggestions (one person's, in one company), or
        add each event's reason to the suggestion to review that overlaps its
        time. The person's open suggestions of the days concerned are read
        once, and the new ones are created in one batch."""
        if not self:
            return
        user, company = self.user_id, self.company_id
        Suggestion = self.env["agency.suggestion"].with_user(user).with_company(company)
        try:
            Suggestion._employee()
        except UserError:
            return  # nobody to log for: the events stay
        spans = self._agency_spans(Suggestion)
        open_spans = self._agency_open_spans(Suggestion, set(spans.values()))
        changes = defaultdict(dict)  # suggestion → values to write
        to_create, links = [], defaultdict(list)
        mapped = {}
        for event in self.sorted(lambda e: (e.started_at, e.id)):
            if event.id not in spans:
                continue  # too old: the event stays
            start, end = slot(event.started_at, event.ended_at or None)
            day = spans[event.id]
            hint = (event.source, event.project_hint or "")
            if hint not in mapped:
                mapped[hint] = self.env["agency.activity.mapping"]._agency_find(
                    company, *hint
                )
            project, task = mapped[hint]
            reason = f"{SOURCE_LABELS[event.source]}: {event.title}"
            index, span, target = next(
                (
                    (index, span, t)
                    for index, (span, t) in enumerate(open_spans[day])
                    if overlaps(span, (start, end))
                ),
                (None, None, None),
            )
            if target is None:
                key = hashlib.sha1(
                    f"{event.source}|{event.external_id}".encode()
                ).hexdigest()
                target = {
                    "date": day,
                    "source": "activity",
                    "source_key": f"activity:{key}",
                    "project_id": project.id,
                    "task_id": task.id,
                    "hours": round((end - start).total_seconds() / 3600, 2) or 0.5,
                    "name": event.title,
                    "reason": reason,
                    "event_start": start,
                }
                to_create.append(target)
                open_spans[day].append(((start, end), target))
            else:
                # made by this batch (its values) or there before (its changes)
                made = isinstance(target, dict)
                vals = target if made else changes[target]
                current = vals["reason"] if made else target.reason or ""
                current = vals.get("reason", current)
                if reason not in current:
                    vals["reason"] = f"{current} + {reason}"
                # the suggestion covers both: its hours stretch to the union
                first, last = union(span, (start, end))
                if (first, last) != span:
                    vals.update(
                        event_start=first,
                        hours=round((last - first).total_seconds() / 3600, 2),
                    )
                    open_spans[day][index] = ((first, last), target)
                had = vals.get("project_id") or (not made and target.project_id)
                if project and not had:
                    vals.update(project_id=project.id, task_id=task.id)
            links[id(target) if isinstance(target, dict) else target].append(event.id)
        for suggestion, vals in changes.items():
            if vals:
                suggestion.sudo().write(vals)
        created = Suggestion.create(to_create)
        for vals, suggestion in zip(to_create, created, strict=True):
            links[suggestion] = links.pop(id(vals))
        for suggestion, ids in links.items():
            self.browse(ids).write({"suggestion_id": suggestion.id})

    def _agency_spans(self, Suggestion):
        """{event id: the person's day it counts for}, for the events of days
        a suggestion can still be made for (not too old, not in the future)."""
        tz = Suggestion._tz()
        days = {}
        for event in self:
            start, _end = slot(event.started_at, event.ended_at or None)
            days[event.id] = pytz.utc.localize(start).astimezone(tz).date()
        allowed = set()
        for day in set(days.values()):
            try:
                Suggestion._check_day(day)
                allowed.add(day)
            except UserError:
                continue
        return {event_id: day for event_id, day in days.items() if day in allowed}

    @api.model
    def _agency_open_spans(self, Suggestion, days):
        """{day: [((start, end), suggestion)]}: the person's suggestions still
        to review of these days that have a time, read in one query."""
        open_spans = defaultdict(list)
        if not days:
            return open_spans
        for suggestion in Suggestion.search(
            [
                ("user_id", "=", Suggestion.env.uid),
                ("company_id", "=", Suggestion.env.company.id),
                ("date", "in", sorted(days)),
                ("state", "=", "new"),
                ("event_start", "!=", False),
            ]
        ):
            span = (
                suggestion.event_start,
                suggestion.event_start + timedelta(hours=suggestion.hours),
            )
            open_spans[suggestion.date].append((span, suggestion))
        return open_spans
