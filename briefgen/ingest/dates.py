"""Dates in French and English, read with our own month tables.

Three readable rules, in order of trust:

1. a *date line*: a line that is only a date or a date-time ("2023-09-14
   16:50:56", "Publié le 14 septembre 2023 à 16h50", "September 14, 2023");
2. a *prose date*: a date written with its weekday in the first paragraphs
   ("le mercredi 13 septembre 2023"), kept only when the weekday is right;
3. a *URL date*: `/2023/9/4/` in the path of the source URL.

A date-time without an offset is local time of the site (`timezone:`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, tzinfo
from urllib.parse import urlsplit

MONTHS: dict[str, int] = {
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8,
    "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11,
    "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_TIME = (
    r"(?:\s*(?:à|a|at|,|-|–)?\s*(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?"
    r"(?::(?P<second>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?)?"
)
_PREFIX = (
    r"^(?:(?:publié|publiée|mis à jour|modifié|posted|published|updated)"
    r"(?:\s+(?:le|on|at))?\s*:?\s*)?(?:le\s+|on\s+)?"
)
_FLAGS = re.IGNORECASE | re.UNICODE

ISO_LINE = re.compile(
    _PREFIX + r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[ T](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?)?$",
    _FLAGS,
)
NUMERIC_LINE = re.compile(
    _PREFIX + r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})" + _TIME + r"$", _FLAGS
)
DAY_MONTH_LINE = re.compile(
    _PREFIX
    + r"(?:"
    + _WEEKDAY
    + r",?\s+)?(?P<day>\d{1,2})(?:er|st|nd|rd|th)?\s+"
    + _MONTH
    + r",?\s+(?P<year>\d{4})"
    + _TIME
    + r"$",
    _FLAGS,
)
MONTH_DAY_LINE = re.compile(
    _PREFIX + r"(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+(?P<year>\d{4})" + _TIME + r"$",
    _FLAGS,
)
LINE_PATTERNS = (ISO_LINE, NUMERIC_LINE, DAY_MONTH_LINE, MONTH_DAY_LINE)

PROSE_DATE = re.compile(
    r"(?<!\w)" + _WEEKDAY + r",?\s+(?P<day>\d{1,2})(?:er|st|nd|rd|th)?\s+" + _MONTH
    + r",?\s+(?P<year>\d{4})(?!\d)"
    r"|(?<!\w)" + _WEEKDAY.replace("weekday", "weekday2") + r",?\s+" + _MONTH.replace(
        "month", "month2") + r"\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4})(?!\d)",
    _FLAGS,
)  # fmt: skip
PROSE_PARAGRAPHS = 3
URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/|$)")

DateValue = datetime | date


def parse_date_line(line: str, zone: tzinfo | None = None) -> DateValue | None:
    """The date of a line that is only a date or a date-time, else None."""
    line = line.strip().rstrip(".")
    for pattern in LINE_PATTERNS:
        found = pattern.match(line)
        if found:
            return _from_match(found, zone)
    return None


def find_prose_date(
    paragraphs: Sequence[str], limit: int = PROSE_PARAGRAPHS
) -> tuple[date, str] | None:
    """The first "weekday day month year" in the first paragraphs whose weekday is right."""
    for paragraph in paragraphs[:limit]:
        for found in PROSE_DATE.finditer(paragraph):
            groups = {k.rstrip("2"): v for k, v in found.groupdict().items() if v is not None}
            try:
                value = date(
                    int(groups["year"]), MONTHS[groups["month"].lower()], int(groups["day"])
                )
            except ValueError:
                continue
            if value.weekday() == WEEKDAYS[groups["weekday"].lower()]:
                return value, found.group(0)
    return None


def date_from_url(url: str) -> date | None:
    """The date in a URL path such as `/news/2023/9/4/slug`, else None."""
    try:
        found = URL_DATE.search(urlsplit(url).path)
    except ValueError:  # not a URL after all (`http://[::1`)
        return None
    if not found:
        return None
    try:
        return date(int(found["year"]), int(found["month"]), int(found["day"]))
    except ValueError:
        return None


def parse_user_date(text: str, zone: tzinfo) -> DateValue | None:
    """A `--date` value: YYYY-MM-DD or an ISO 8601 date-time (local time if no offset)."""
    return parse_iso(text, zone)


def parse_iso(text: str, zone: tzinfo | None = None) -> DateValue | None:
    """An ISO 8601 date or date-time from metadata ("2023-09-14T16:50:56+02:00")."""
    text = text.strip().replace("Z", "+00:00") if text else ""
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None and zone is not None:
        value = value.replace(tzinfo=zone)
    return value


def _from_match(found: re.Match[str], zone: tzinfo | None) -> DateValue | None:
    groups = found.groupdict()
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    try:
        day_value = date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
    weekday = groups.get("weekday")
    if weekday and WEEKDAYS[weekday.lower()] != day_value.weekday():
        return None
    if groups.get("hour") is None:
        return day_value
    hour = int(groups["hour"])
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        clock = time(hour, int(groups.get("minute") or 0), int(groups.get("second") or 0))
    except ValueError:
        return None
    value = datetime.combine(day_value, clock)
    offset = groups.get("offset")
    if offset:
        return datetime.fromisoformat(value.isoformat() + offset.replace("Z", "+00:00"))
    return value.replace(tzinfo=zone) if zone is not None else value
