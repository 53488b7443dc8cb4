"""Text from an uploaded file, made safe to print on a terminal.

Column names, cell values and sheet names end up in the command line's output and error lines.
A file can hold escape sequences that recolour or rewrite a terminal, NUL and other control
characters, or bidi overrides (U+202E) that make a line read differently from what it says.
Everything the command line prints goes through ``terminal_text``.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.safe_text import visible_text

_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def terminal_text(text, limit: int | None = None) -> str:
    """TEXT without escape sequences, control or bidi characters; cut to LIMIT characters if given."""
    text = _ESCAPE_SEQUENCE.sub("", str(text))
    text = visible_text(text)  # what is left of controls and direction marks once sequences are gone
    text = "".join(c for c in text if unicodedata.category(c) != "Cs")  # lone surrogates cannot be printed
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
