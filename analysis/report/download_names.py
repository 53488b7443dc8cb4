"""File names for what users download: they say what is in the file (organisation, round or upload, date).

"quickscan-rapport.pdf" three times in a Downloads folder tells nobody which meeting it was for. One pure
function makes every name, for the page buttons and the command line alike, and keeps it safe on every
operating system: ASCII letters, digits and hyphens only, never empty, never too long. The name starts with
the instrument ("quickscan-...", "diversiteitskader-..."), so two instruments' reports never look alike.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

PREFIX = "quickscan"
MAX_STEM = 80  # characters before the extension; well under every file system's limit
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
# Letters Unicode does not decompose into a base letter and an accent: NFKD alone would drop them ('Ærø' -> 'r').
_OWN_LETTERS = str.maketrans({"Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "ß": "ss",
                              "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "ı": "i"})
_FILE_EXTENSION = re.compile(r"\.(xlsx|xlsm|xls|ods|csv|tsv|txt)$", re.IGNORECASE)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'Gemeente Voorbeeldstad · Najaar' -> 'gemeente-voorbeeldstad-najaar'.
    """
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_OWN_LETTERS))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _iso_day(date_text: str) -> str:
    """The report date as YYYY-MM-DD, from either ISO or the Dutch dd-mm-yyyy; empty when neither."""
    text = str(date_text or "").strip()
    found = _ISO_DATE.search(text)
    if found:
        return found.group(1)
    dutch = _DUTCH_DATE.match(text)
    if dutch:
        day, month, year = (int(part) for part in dutch.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return ""
    return ""


def instrument_prefix(instrument_id: str) -> str:
    """The first word of an instrument's id: 'quickscan-dsb' -> 'quickscan', 'diversiteitskader-wijkteams' ->
    'diversiteitskader'."""
    return slug(instrument_id).split("-")[0] or PREFIX


def download_stem(source: str, date_text: str = "", prefix: str = PREFIX) -> str:
    """'<prefix>-<what>-<date>' for a report of ``source`` (round label or file name) made on ``date_text``.

    A round's label carries its own date; a file name does not, so the report date is added.
    """
    prefix = slug(prefix) or PREFIX
    what = slug(_FILE_EXTENSION.sub("", str(source or "")))
    if what == prefix or what.startswith(prefix + "-"):
        what = what[len(prefix):].lstrip("-")
    # A round's label ends in its own date; only a file name needs the report's date.
    day = "" if _ISO_DATE.search(str(source or "")) else _iso_day(date_text)
    parts = [prefix, what[:MAX_STEM - len(prefix) - len(day) - 2].strip("-"), day]
    return "-".join(part for part in parts if part)


def download_name(source: str, date_text: str, extension: str, kind: str = "", prefix: str = PREFIX) -> str:
    """The full file name, e.g. 'quickscan-gemeente-voorbeeldstad-najaar-2025-2025-10-06.pdf'.

    ``kind`` names a part when one report gives several files (a chart, the figures).
    """
    stem = download_stem(source, date_text, prefix)
    if kind:
        stem += "-" + slug(kind)
    return f"{stem}.{slug(extension) or 'bin'}"
