"""Dutch dates and numbers for everything a user reads.

Streamlit's widgets and pandas speak English and ISO; the users of this dashboard read "7 april 2025"
and "3,25". One place formats and parses them, so pages, round labels and the command line agree.
"""

from __future__ import annotations

import datetime as dt
import math
import re

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
# Abbreviations people type ("7 okt 2025", "7 mrt. 2025"); "mrt" is the Dutch one for maart.
_MONTH_WORDS = {**{name: i for i, name in enumerate(MONTHS, start=1)},
                **{name[:3]: i for i, name in enumerate(MONTHS, start=1)}, "mrt": 3, "sept": 9}
_WORDS = re.compile(r"^(\d{1,2})\s*([a-z]+)\.?\s*(\d{4})$")
_NUMBERS = re.compile(r"^(\d{1,2})[-/.\s](\d{1,2})[-/.\s](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
FORMAT_HINT = "bijvoorbeeld 7 april 2025 of 07-04-2025"


class DateError(ValueError):
    """A Dutch, single-line message about a date that could not be read."""


def format_date(value) -> str:
    """'7 april 2025' for a date, a datetime or an ISO string; anything unreadable is returned as it was."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return str(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def parse_date(text) -> dt.date:
    """A date as a Dutch user writes it: '7 april 2025', '7 apr 2025', '07-04-2025', '7/4/2025' or ISO."""
    if isinstance(text, dt.date):
        return text
    cleaned = " ".join(str(text or "").lower().replace(",", " ").split())
    if not cleaned:
        raise DateError(f"Vul een datum in, {FORMAT_HINT}.")
    day, month, year = _parts(cleaned)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"'{_short(text)}' bestaat niet als datum; {FORMAT_HINT}.") from exc


def _parts(cleaned: str) -> tuple[int, int, int]:
    if match := _ISO.match(cleaned):
        return int(match[3]), int(match[2]), int(match[1])
    if match := _NUMBERS.match(cleaned):
        return int(match[1]), int(match[2]), int(match[3])
    if (match := _WORDS.match(cleaned)) and match[2] in _MONTH_WORDS:
        return int(match[1]), _MONTH_WORDS[match[2]], int(match[3])
    raise DateError(f"'{_short(cleaned)}' is geen datum; schrijf {FORMAT_HINT}.")


def _short(text) -> str:
    text = str(text)
    return text if len(text) <= 40 else text[:37] + "…"


def format_number(value, decimals: int = 2, signed: bool = False) -> str:
    """'3,25' (or '+0,40' when SIGNED); no value is '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):+.{decimals}f}" if signed else f"{float(value):.{decimals}f}"
    return text.replace(".", ",")
