"""Names that mean the same thing: 'ACME Inc', 'Acme Inc.', 'acme inc ',
'Acme, Inc.' share one key, so the mapping proposes them for merging instead
of creating a second client or project."""

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def name_key(name):
    """The comparison key of a name: no accents, case, punctuation or extra
    spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_PUNCT.sub(" ", text.casefold()).split())


def near_duplicates(names):
    """[[name, name, ...], ...]: the groups of two or more distinct spellings
    that share a key, each sorted, in the order of their first name."""
    groups = {}
    for name in names:
        groups.setdefault(name_key(name), [])
        if name not in groups[name_key(name)]:
            groups[name_key(name)].append(name)
    return [sorted(group) for group in groups.values() if len(group) > 1]


def best_match(name, candidates):
    """The candidate (a {key-able name: value} dict) with the same key as
    `name`, or None."""
    key = name_key(name)
    for candidate, value in candidates.items():
        if name_key(candidate) == key:
            return value
    return None
