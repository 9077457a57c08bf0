"""Activity webhooks: what each source's payload says, read without a database.

GitHub and GitLab push events (one event per commit), Jira issue updates,
Asana task events and a generic JSON event (design tools, scripts, anything
else) are turned into plain events::

    {"external_id", "title", "started_at", "ended_at", "url", "project_hint",
     "email"}

with naive UTC datetimes (``ended_at`` None for an instant: a commit, an issue
update). Signatures are checked here too (GitHub's ``X-Hub-Signature-256``,
Asana's ``X-Hook-Signature``: HMAC-SHA256 of the raw body; GitLab's
``X-Gitlab-Token``: the shared token itself). Bad input raises
:class:`EventError` with the HTTP status and a one-line reason; the caller
(controllers/activity_webhook.py) writes nothing then.

Instants are placed in a slot of SLOT_MINUTES (:func:`slot`), and a slot
that overlaps an existing suggestion joins it (:func:`overlaps`): a commit
during a meeting is one suggestion with two reasons, and its time stretches
to cover both (:func:`union`: a two-hour design session that began during a
half-hour meeting suggests the whole span, not the meeting's half hour).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

MAX_PAYLOAD_BYTES = 256 * 1024  # a push of a few hundred commits fits
MAX_EVENTS = 500  # events of one payload
MAX_FUTURE = timedelta(hours=1)  # clocks drift; the far future is refused
MAX_LENGTH = timedelta(hours=24)
SLOT_MINUTES = 30
TITLE_MAX = 200
SOURCES = ("github", "gitlab", "jira", "asana", "generic")
SOURCE_GROUPS = {  # the person's opt-in that lets each source in
    "github": "git",
    "gitlab": "git",
    "jira": "tasks",
    "asana": "tasks",
    "generic": "generic",
}


class EventError(Exception):
    """A payload refused: ``status`` (4xx) and a one-line ``reason``."""

    def __init__(self, status, reason):
        super().__init__(status, reason)
        self.status = status
        self.reason = reason


def _hmac_hex(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(source, secret, body, headers):
    """Refuse (EventError 401) a payload its source did not sign with `secret`.

    :param headers: a mapping of the request's headers (case-insensitive get)
    """
    if not secret:
        raise EventError(401, "no signing secret is set for this endpoint")
    if source == "github":
        sent = headers.get("X-Hub-Signature-256") or ""
        if not sent:
            raise EventError(401, "missing X-Hub-Signature-256 header")
        expected = "sha256=" + _hmac_hex(secret, body)
        if not hmac.compare_digest(sent.strip(), expected):
            raise EventError(401, "X-Hub-Signature-256 does not match the body")
    elif source == "gitlab":
        sent = headers.get("X-Gitlab-Token") or ""
        if not sent:
            raise EventError(401, "missing X-Gitlab-Token header")
        if not hmac.compare_digest(sent.strip(), secret):
            raise EventError(401, "X-Gitlab-Token is not this endpoint's token")
    elif source == "asana":
        sent = headers.get("X-Hook-Signature") or ""
        if not hmac.compare_digest(sent.strip(), _hmac_hex(secret, body)):
            raise EventError(401, "X-Hook-Signature does not match the body")
    else:  # jira, generic: the token in the header (or the URL's query)
        sent = headers.get("X-Agency-Token") or ""
        if not sent:
            raise EventError(401, "missing X-Agency-Token header")
        if not hmac.compare_digest(sent.strip(), secret):
            raise EventError(401, "X-Agency-Token is not this endpoint's token")


def load(body):
    """The JSON object of a raw body; EventError 413/400 otherwise."""
    if len(body) > MAX_PAYLOAD_BYTES:
        raise EventError(413, f"payload over {MAX_PAYLOAD_BYTES} bytes")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise EventError(400, f"malformed JSON: {str(error)[:120]}") from error
    if not isinstance(payload, dict):
        raise EventError(400, "the payload must be a JSON object")
    return payload


def parse_time(value, field="started_at"):
    """A naive UTC datetime of an ISO 8601 text or epoch milliseconds."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            moment = datetime.fromtimestamp(value / 1000, UTC)
        elif isinstance(value, str) and value:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            raise ValueError(value)
    except (ValueError, OverflowError, OSError) as error:
        raise EventError(422, f"{field} is not a date and time") from error
    if moment.tzinfo is None:
        raise EventError(422, f"{field} needs a time zone (e.g. Z or +01:00)")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _text(value, limit=TITLE_MAX):
    return str(value or "").strip().splitlines()[0][:limit] if value else ""


def _commits(payload, project_key):
    project = payload.get(project_key) or {}
    name = project.get("full_name") or project.get("path_with_namespace") or ""
    events = []
    for commit in payload.get("commits") or []:
        if not isinstance(commit, dict) or not commit.get("id"):
            continue
        author = commit.get("author") or {}
        events.append(
            {
                "external_id": str(commit["id"]),
                "title": f"{name}: {_text(commit.get('message'))}",
                "started_at": parse_time(commit.get("timestamp"), "timestamp"),
                "ended_at": None,
                "url": commit.get("url") or "",
                "project_hint": name.lower(),
                "email": (author.get("email") or "").strip().lower(),
            }
        )
    return events


def _jira(payload):
    issue = payload.get("issue") or {}
    fields = issue.get("fields") or {}
    key = issue.get("key")
    if not key:
        raise EventError(422, "a Jira event needs issue.key")
    user = payload.get("user") or {}
    stamp = payload.get("timestamp")
    return [
        {
            "external_id": f"{key}:{stamp}",
            "title": f"{key}: {_text(fields.get('summary'))}",
            "started_at": parse_time(stamp, "timestamp"),
            "ended_at": None,
            "url": issue.get("self") or "",
            "project_hint": key.split("-")[0].lower(),
            "email": (user.get("emailAddress") or "").strip().lower(),
        }
    ]


def _asana(payload):
    events = []
    for event in payload.get("events") or []:
        resource = event.get("resource") or {}
        parent = event.get("parent") or {}
        if resource.get("resource_type", "task") != "task" or not resource.get("gid"):
            continue
        events.append(
            {
                "external_id": f"{resource['gid']}:{event.get('created_at')}",
                "title": _text(resource.get("name"))
                or f"Asana task {resource['gid']} {event.get('action', 'changed')}",
                "started_at": parse_time(event.get("created_at"), "created_at"),
                "ended_at": None,
                "url": f"https://app.asana.com/0/0/{resource['gid']}",
                "project_hint": str(parent.get("gid") or "").lower(),
                "email": "",
            }
        )
    return events


def _generic(payload):
    missing = [key for key in ("source", "title", "started_at") if not payload.get(key)]
    if missing:
        raise EventError(422, f"missing {', '.join(missing)}")
    start = parse_time(payload["started_at"])
    if payload.get("ended_at"):
        end = parse_time(payload["ended_at"], "ended_at")
    elif payload.get("duration") is not None:
        try:
            minutes = float(payload["duration"])
        except (TypeError, ValueError) as error:
            raise EventError(422, "duration must be a number of minutes") from error
        if minutes < 0:
            raise EventError(422, "duration is negative")
        end = start + timedelta(minutes=minutes)
    else:
        raise EventError(422, "give ended_at or duration (minutes)")
    source = _text(payload["source"], 40)
    return [
        {
            "external_id": str(
                payload.get("id")
                or f"{source}:{payload['started_at']}:{payload['title']}"
            )[:200],
            "title": f"{source}: {_text(payload['title'])}",
            "started_at": start,
            "ended_at": end,
            "url": str(payload.get("url") or "")[:500],
            "project_hint": str(payload.get("project") or "").strip().lower(),
            "email": str(payload.get("email") or "").strip().lower(),
        }
    ]


def parse(source, payload, now):
    """The events of a payload of `source`, checked against `now` (naive UTC).

    :raise EventError: unknown source (404), an event in the far future, a
        negative or over-long duration, a payload with too many events (422)
    """
    if source == "github":
        events = _commits(payload, "repository")
    elif source == "gitlab":
        events = _commits(payload, "project")
    elif source == "jira":
        events = _jira(payload)
    elif source == "asana":
        events = _asana(payload)
    elif source == "generic":
        events = _generic(payload)
    else:
        raise EventError(404, f"unknown source {str(source)[:40]!r}")
    if len(events) > MAX_EVENTS:
        raise EventError(422, f"more than {MAX_EVENTS} events in one payload")
    for event in events:
        if event["started_at"] > now + MAX_FUTURE:
            raise EventError(422, f"{event['title']!r} starts in the future")
        end = event["ended_at"]
        if end is not None and end < event["started_at"]:
            raise EventError(422, f"{event['title']!r} ends before it starts")
        if end is not None and end - event["started_at"] > MAX_LENGTH:
            raise EventError(422, f"{event['title']!r} lasts more than 24 hours")
    return events


def slot(started_at, ended_at):
    """(start, end) of the time an event counts for: its own span, or the
    SLOT_MINUTES slot an instant falls in."""
    if ended_at and ended_at > started_at:
        return started_at, ended_at
    minute = started_at.minute - started_at.minute % SLOT_MINUTES
    start = started_at.replace(minute=minute, second=0, microsecond=0)
    return start, start + timedelta(minutes=SLOT_MINUTES)


def overlaps(first, second):
    """Whether two (start, end) spans share time."""
    return first[0] < second[1] and second[0] < first[1]


def union(first, second):
    """(start, end) of the time two overlapping spans cover together; the
    first span as it is when together they would last over MAX_LENGTH (a
    suggestion is a day's work at most)."""
    start, end = min(first[0], second[0]), max(first[1], second[1])
    return (start, end) if end - start <= MAX_LENGTH else first
