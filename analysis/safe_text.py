"""Text from an upload, made harmless before any output shows it.

A team name, column header or file name is typed by whoever filled in or exported the survey.
Whatever renders it — the browser, plotly, a spreadsheet, a terminal — must show it as typed and
never act on it. Each output kind has its own escaping (``ui.widgets.escape_md``, the charts' HTML
escape, ``analysis.report.exports.inert``); all of them start from ``visible_text``, which drops what no
reader should receive: control characters (terminal escape sequences, NUL) and the invisible
Unicode direction overrides that make "gnitekram" read as "marketing".
"""

from __future__ import annotations

import re

# C0/C1 controls except tab and newline, DEL, and the bidi embedding/override/isolate marks.
INVISIBLE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
_INVISIBLE = re.compile(INVISIBLE)


def visible_text(value) -> str:
    """VALUE as text without control characters or direction overrides."""
    return _INVISIBLE.sub("", str(value))
