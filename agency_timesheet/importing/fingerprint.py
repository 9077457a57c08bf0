"""A row's content fingerprint, per source: how a re-import finds what is
already there when the file has no entry ids (Harvest has none).

The fingerprint hashes what the row says (date, person, client, project,
task, notes, duration, start time), normalised (case, spaces), with the
source's name. Two identical rows in one file are two entries: the n-th copy
gets the occurrence n, so a file imported twice, or a longer file holding the
same rows, gives the same fingerprints again.
"""

import hashlib
from collections import Counter

from .matching import name_key


def row_key(source, row):
    """The normalised content of a Row, as a tuple of strings."""
    return (
        source,
        row.date.isoformat(),
        row.email or name_key(row.person),
        name_key(row.client),
        name_key(row.project),
        name_key(row.task),
        " ".join((row.notes or "").split()),
        str(row.seconds),
        row.start.isoformat() if row.start else "",
    )


class Fingerprints:
    """Fingerprints of a file's rows in file order (it counts repeats)."""

    def __init__(self, source):
        self.source = source
        self.seen = Counter()

    def __call__(self, row):
        key = row_key(self.source, row)
        self.seen[key] += 1
        text = "\x1f".join((*key, str(self.seen[key])))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
