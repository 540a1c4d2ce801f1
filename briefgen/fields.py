"""Per-field converters for entry front matter.

Each converter takes the raw YAML value and returns `(value, problem)`: a
problem is the text after `field: ` in the diagnostic, saying what was wrong
and what was expected.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from urllib.parse import urlsplit

from briefgen.config import LANG_RE, type_name
from briefgen.diagnostics import quote
from briefgen.printable import printable
from briefgen.slugs import MAX_LENGTH, is_reserved

Result = tuple[Any, str]


def text(value: Any, *, required: bool = False) -> Result:
    """One line of text: spaces collapsed, characters XML and HTML may not hold removed."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | None):
        return "", f"expected a string, got {type_name(value)}"
    cleaned = "" if value is None else " ".join(printable(str(value)).split())
    if not cleaned and required:
        return "", "missing (expected a non-empty string)"
    return cleaned, ""


def string_list(value: Any) -> Result:
    """A list of strings; a single string is a list of one."""
    if value is None:
        return (), ""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return (), f"expected a list of strings, got {type_name(value)}"
    items: dict[str, None] = {}  # ordered, and a linear check for repeats
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            return (), f"expected a list of strings, got an item that is {type_name(item)}"
        cleaned = " ".join(printable(str(item)).split())
        if cleaned:
            items.setdefault(cleaned)
    return tuple(items), ""


def local_day(value: date, zone: tzinfo) -> date:
    """The calendar day of `value` in the site's time zone: a date keeps its day, an aware
    date-time is moved into the zone, a naive one is taken as already in it."""
    if isinstance(value, datetime):
        return (value.astimezone(zone) if value.tzinfo else value).date()
    return value


def when(value: Any, zone: tzinfo) -> tuple[tuple[datetime, bool] | None, str]:
    """A date or an ISO 8601 date-time; a naive one is in the site's time zone."""
    expected = "expected YYYY-MM-DD or an ISO 8601 date-time"
    if value is None or value == "":
        return None, f"missing ({expected})"
    if isinstance(value, datetime):
        moment, has_time = value, True
    elif isinstance(value, date):
        moment, has_time = datetime.combine(value, time(0, 0)), False
    elif isinstance(value, str):
        raw = value.strip()
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                moment, has_time = datetime.combine(date.fromisoformat(raw), time(0, 0)), False
            else:
                moment, has_time = datetime.fromisoformat(raw.replace("Z", "+00:00")), True
        except ValueError:
            return None, f"{expected}, got {quote(value)}"
    else:
        return None, f"{expected}, got {type_name(value)}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:  # its instant, and its day in the site's zone, must be dates too
        moment.astimezone(UTC), moment.astimezone(zone), moment.timestamp()
    except (OverflowError, ValueError, OSError):
        between = "expected a moment between the years 1 and 9999, in UTC and in the site's zone"
        return None, f"{between}, got {quote(value)}"
    return (moment, has_time), ""


def http_url(value: Any) -> Result:
    if value is None or value == "":
        return "", ""
    if not isinstance(value, str):
        return "", f"expected an http(s) URL, got {type_name(value)}"
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return "", f"expected an http(s) URL, got {quote(value)}"
    spaced = any(char <= " " or "\x7f" <= char <= "\x9f" for char in value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or spaced:
        return "", f"expected an http(s) URL, got {quote(value)}"
    return value.strip(), ""


def language(value: Any, default: str) -> Result:
    if value is None or value == "":
        return default, ""
    if not isinstance(value, str) or not LANG_RE.match(value):
        return default, f"expected a BCP 47 language tag such as 'fr' or 'en', got {quote(value)}"
    return value, ""


def boolean(value: Any) -> Result:
    if value is None:
        return False, ""
    if not isinstance(value, bool):
        return False, f"expected true or false, got {quote(value)}"
    return value, ""


def slug(value: Any) -> Result:
    if value is None or value == "":
        return "", ""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        return "", f"expected lowercase ASCII words joined by '-', got {quote(value)}"
    if len(value) > MAX_LENGTH:
        return "", f"expected at most {MAX_LENGTH} characters, got {len(value)}"
    if is_reserved(value):
        reserved = "expected a name Windows can use for a folder (not con, nul, aux, prn, com1…)"
        return "", f"{reserved}, got {quote(value)}"
    return value, ""
