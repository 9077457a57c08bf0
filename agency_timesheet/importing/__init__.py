"""Reading other tools' timesheet exports without guessing: a pure package.

Plain values in, plain values out, no Odoo: :mod:`.parsing` (encodings,
delimiters, dates, decimals, durations, booleans, time zones), :mod:`.sources`
(which tool wrote a header, its column map), :mod:`.reader` (a file's rows as
clean dicts, its rejected rows and the questions it asks), :mod:`.fingerprint`
(a row's content key per source), :mod:`.matching` (near-duplicate names) and
:mod:`.report` (side-by-side totals). The models (``agency.import.batch``) call
them; ``tests/test_import_rules.py`` tests them directly.
"""
