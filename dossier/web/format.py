"""Plain-words labels for codes shown on the pages and in reports (dates, countries, types)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from babel import Locale

_ID = re.compile(r"^[0-9a-f]{12,}$")

STATUSES = ("occurred", "pending", "blocked", "possible")
STATUS_HELP = {
    "occurred": "reported as done",
    "pending": "proceedings under way",
    "blocked": "stopped, avoided or overturned",
    "possible": "threatened or possible",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=1)
def _english() -> Locale:
    return Locale("en")


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _english().territories.get(code.upper(), code)


def language_name(code: str | None) -> str:
    if not code or code == "und":
        return "undetermined"
    return _english().languages.get(code, code)


def type_label(event_type: str) -> str:
    return event_type.replace("_", " ").capitalize()


def parse_day(value: str | None) -> date | None:
    """An ISO date (or year-month, or year) as a date; None when it cannot be read."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        numbers = [int(p) for p in parts] + [1, 1]
        return date(numbers[0], numbers[1] or 1, numbers[2] or 1)
    except (ValueError, IndexError):
        return None


def day_label(value: str | None) -> str:
    day = parse_day(value)
    if day is None:
        return value or ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_label(span: dict[str, Any] | None) -> str:
    """A DateSpan (as a dict) in short plain words: '20 Jan 2026', 'Jan 2026', '20–31 Jan 2026'."""
    if not span or not (span.get("start") or span.get("end")):
        return "date unknown"
    start, end = parse_day(span.get("start")), parse_day(span.get("end"))
    precision = span.get("precision")
    if start and precision == "year":
        return str(start.year)
    if start and precision == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    if start and end and start != end:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
        return f"{day_label(span.get('start'))} – {day_label(span.get('end'))}"
    return day_label(span.get("start") or span.get("end"))


def attributes_label(attributes: dict[str, Any]) -> list[str]:
    """Event attributes as short lines: 'charge: treason', 'term: 12 to 15 years'."""
    lines = []
    low, high = attributes.get("years_min"), attributes.get("years_max")
    if low is not None and high is not None and low != high:
        lines.append(f"term: {_number(low)} to {_number(high)} years")
    elif low is not None and high is not None:
        lines.append(f"term: {_number(low)} years")
    elif high is not None:
        lines.append(f"term: up to {_number(high)} years")
    elif low is not None:
        lines.append(f"term: at least {_number(low)} years")
    if attributes.get("life"):
        lines.append("term: life")
    for key, value in attributes.items():
        if key in ("years_min", "years_max", "life") or value in (None, "", [], {}):
            continue
        lines.append(f"{key.replace('_', ' ')}: {_value(value)}")
    return lines


def _value(value: Any) -> str:
    """Nested attribute values in words; lists of document ids become a count of sources."""
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and all(isinstance(v, str) and _ID.match(v) for v in value):
            return f"({len(value)} source{'' if len(value) == 1 else 's'})"
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _number(value) if isinstance(value, float) else str(value)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def number_label(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.2f}".replace(",", " ")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links from articles become links; `javascript:` and the like never do."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None
