"""Calendar feeds: one conditional GET of a person's feed, and which of the
feed's suggestions to create, update or remove (no database).

:func:`fetch` reads a feed with the ETag / Last-Modified of the last refresh
(``If-None-Match`` / ``If-Modified-Since``): a 304 means nothing changed and
nothing is read. At most MAX_ICS_BYTES are read, within FEED_TIMEOUT seconds
per network operation; http(s) only (``webcal://`` is read as https). A feed
that cannot be read raises :class:`FeedError` with the reason in words.

:func:`plan` compares the feed's events with the suggestions the feed made
before: a new event is created, a changed event updates its suggestion while
the person has not touched it (its values are still those the feed gave), a
removed event removes its untouched suggestion; touched, accepted and
dismissed suggestions are the person's and stay.

Read by models/agency_calendar_feed.py; tested in tests/test_calendar_feed.py.
"""

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from .ics import MAX_ICS_BYTES

FEED_TIMEOUT = 10  # seconds per connect / read
FEED_DAYS = 7  # the feed's last days (today included) made into suggestions
USER_AGENT = "Agency Timesheets calendar feed"


class FeedError(Exception):
    """A feed that could not be read; ``reason`` says why in words."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def normalize(url):
    """The http(s) address of a feed (webcal:// is https://); FeedError else."""
    url = (url or "").strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FeedError("the address is not an http(s) web address")
    return url


def fetch(url, etag=None, last_modified=None, timeout=None, limit=None):
    """One conditional GET: ``(status, data, etag, last_modified)``.

    status 304 (data None) when the feed did not change since the ETag /
    Last-Modified given, else 200 with at most `limit` bytes.
    :raise FeedError: not http(s), unreachable, too slow, an HTTP error, too big
    """
    limit = limit or MAX_ICS_BYTES
    timeout = timeout or FEED_TIMEOUT
    request = urllib.request.Request(normalize(url), headers={"User-Agent": USER_AGENT})
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FeedError(f"the feed is bigger than {limit // 1024} KB")
            data = response.read(limit + 1)
            if len(data) > limit:
                raise FeedError(f"the feed is bigger than {limit // 1024} KB")
            return (
                200,
                data,
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return 304, None, etag, last_modified
        raise FeedError(f"the server answered {error.code} {error.reason}") from error
    except TimeoutError as error:
        raise FeedError(f"no answer within {timeout} seconds") from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise FeedError(f"no answer within {timeout} seconds") from error
        raise FeedError(f"the server could not be reached ({reason})") from error


def values(vals):
    """What the feed gives a suggestion, comparable with what it has now."""
    return [
        vals.get("name") or "",
        round(vals.get("hours") or 0, 4),
        vals.get("project_id") or 0,
    ]


def plan(existing, proposals, given):
    """What a refresh does with one day's feed suggestions.

    :param existing: {source key: (state, current values)} of the day's feed
        suggestions, values as :func:`values` gives them
    :param proposals: {source key: values} the feed gives now
    :param given: {source key: values} the feed gave at the last refresh
    :return: (keys to create, keys to update, keys to remove)
    """
    create, update, remove = [], [], []
    for key, now in proposals.items():
        if key not in existing:
            create.append(key)
            continue
        state, current = existing[key]
        if state == "new" and current == given.get(key) and current != now:
            update.append(key)
    for key, (state, current) in existing.items():
        if key not in proposals and state == "new" and current == given.get(key):
            remove.append(key)
    return sorted(create), sorted(update), sorted(remove)
