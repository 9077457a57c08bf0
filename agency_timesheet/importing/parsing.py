"""Cell values read without guessing: each parser knows one format, and the
format detectors answer every format a column's values allow, so an
ambiguous file asks instead of being read one way silently.

Durations are returned in whole seconds (no float drift: Clockify's
``0.0166...`` decimal column loses a minute per entry where its ``h:mm:ss``
column does not).
"""

import codecs
import csv
import datetime
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ParseError(ValueError):
    """A value that its format does not allow; the message says why."""


# -- encodings and delimiters --

ENCODINGS = ("utf-8", "cp1252")


def decode(content, encoding=None):
    """(text, encoding) of the bytes `content`: the stated encoding, else a
    UTF-8 BOM, else strict UTF-8, else cp1252 (which decodes any byte but 5;
    a file with those is refused)."""
    if encoding:
        try:
            return content.decode(encoding).removeprefix("\ufeff"), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(f"the file is not {encoding}: {error}") from error
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", "strict"), "utf-8-sig"
    for name in ENCODINGS:
        try:
            return content.decode(name), name
        except UnicodeDecodeError:
            continue
    raise ParseError("the file is neither UTF-8 nor Windows-1252 text")


DELIMITERS = (",", ";", "\t")


def header_delimiter(first_line):
    """The delimiter that splits the header line into the most columns (a
    header holds no numbers, so ',' inside it is a separator)."""
    best, columns = None, 1
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([first_line], delimiter=delimiter)))
        if count > columns:
            best, columns = delimiter, count
    if best is None:
        raise ParseError(
            "the first line has a single column: no ',', ';' or tab separates "
            "its column names"
        )
    return best


# -- dates --

DATE_FORMATS = {
    "iso": ("%Y-%m-%d", "YYYY-MM-DD"),
    "mdy": ("%m/%d/%Y", "MM/DD/YYYY"),
    "dmy": ("%d/%m/%Y", "DD/MM/YYYY"),
    "dmy_dot": ("%d.%m.%Y", "DD.MM.YYYY"),
}


def date_formats_of(value):
    """The date formats (keys of DATE_FORMATS) that read `value`."""
    value = (value or "").strip()
    found = set()
    for key, (pattern, _label) in DATE_FORMATS.items():
        try:
            datetime.datetime.strptime(value, pattern)
        except ValueError:
            continue
        found.add(key)
    return found


def date_formats(values):
    """The formats that read every non-empty value of a column (a value no
    format reads is left to the row's rejection)."""
    possible = set(DATE_FORMATS)
    for value in values:
        allowed = date_formats_of(value)
        if allowed:
            possible &= allowed
    return possible


def parse_date(value, date_format):
    pattern, label = DATE_FORMATS[date_format]
    try:
        return datetime.datetime.strptime((value or "").strip(), pattern).date()
    except ValueError as error:
        raise ParseError(f"not a date in the format {label}") from error


# -- numbers --

_COMMA_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")
_DOT_DECIMAL = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")


def decimal_marks_of(value):
    """{'.', ','}: which decimal marks read `value` ('1,5' only ',', '1.5'
    only '.', '1,234' and '12' both)."""
    value = _strip_number(value)
    found = set()
    if _DOT_DECIMAL.match(value):
        found.add(".")
    if _COMMA_DECIMAL.match(value):
        found.add(",")
    return found


def decimal_marks(values):
    possible = {".", ","}
    for value in values:
        allowed = decimal_marks_of(value)
        if allowed:
            possible &= allowed
    return possible


def _strip_number(value):
    return (value or "").strip().replace("\u00a0", "").replace(" ", "")


def parse_number(value, decimal_mark="."):
    """A float from `value` written with `decimal_mark`; '' is None."""
    text = _strip_number(value)
    if not text:
        return None
    pattern = _DOT_DECIMAL if decimal_mark == "." else _COMMA_DECIMAL
    if not pattern.match(text):
        raise ParseError(f"not a number with '{decimal_mark}' as the decimal mark")
    thousands = "," if decimal_mark == "." else "."
    return float(text.replace(thousands, "").replace(decimal_mark, "."))


# -- durations --

_HMS = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")
_HM = re.compile(r"^(\d+):([0-5]\d)$")
_MIN = re.compile(r"^(\d+)(?::([0-5]\d))?\s*min$", re.IGNORECASE)


def parse_duration(value, decimal_mark="."):
    """Seconds from '1.5' / '1,5' (decimal hours), 'h:mm', 'hh:mm:ss',
    'N min' or 'MM:SS min' (Toggl's short entries). '' is None."""
    text = (value or "").strip()
    if not text:
        return None
    match = _HMS.match(text)
    if match:
        hours, minutes, seconds = map(int, match.groups())
        return hours * 3600 + minutes * 60 + seconds
    match = _MIN.match(text)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2) or 0)
    match = _HM.match(text)
    if match:
        return int(match.group(1)) * 3600 + int(match.group(2)) * 60
    try:
        hours = parse_number(text, decimal_mark)
    except ParseError as error:
        raise ParseError(
            "not a duration (decimal hours, h:mm, hh:mm:ss or N min)"
        ) from error
    return round(hours * 3600)


MAX_DAY_SECONDS = 24 * 3600


def check_duration(seconds):
    """Refuse what no day holds: a negative duration or more than 24 hours."""
    if seconds < 0:
        raise ParseError("a negative duration")
    if seconds > MAX_DAY_SECONDS:
        raise ParseError(f"{seconds / 3600:g} hours in one entry: more than a day")
    return seconds


# -- booleans --

TRUE = {"yes", "true", "1", "y", "x", "oui", "ja", "si", "sí"}
FALSE = {"no", "false", "0", "n", "", "non", "nein"}


def parse_bool(value):
    text = (value or "").strip().casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ParseError("not Yes/No or true/false")


# -- times and time zones --

_TIME = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*([AaPp][Mm])?$")


def parse_time(value):
    """A datetime.time from '9:05', '09:05:30' or '9:05 PM'."""
    match = _TIME.match((value or "").strip())
    if not match:
        raise ParseError("not a time (hh:mm, hh:mm:ss or h:mm AM/PM)")
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    meridian = (match.group(4) or "").lower()
    if meridian:
        if not 1 <= hour <= 12:
            raise ParseError("not a time: an AM/PM hour is 1 to 12")
        hour = hour % 12 + (12 if meridian == "pm" else 0)
    if hour > 23:
        raise ParseError("not a time: the hour is over 23")
    return datetime.time(hour, minute, second)


def zone(name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ParseError(f"unknown time zone {name!r}") from error


def to_utc(day, time, tz_name):
    """The naive UTC datetime of the local `day` and `time` in `tz_name`."""
    local = datetime.datetime.combine(day, time).replace(tzinfo=zone(tz_name))
    return local.astimezone(datetime.UTC).replace(tzinfo=None)
