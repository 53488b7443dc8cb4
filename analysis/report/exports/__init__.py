"""Files users download: made safe to open in a spreadsheet (no cell becomes a formula)."""

from __future__ import annotations

import pandas as pd

from analysis.safe_text import visible_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Every workbook we write, the PowerPoint charts' embedded ones included: text stays text.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                    "in_memory": True}


def inert(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; invisible controls go."""
    if not isinstance(value, str):
        return value
    value = visible_text(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    safe = frame.copy()
    safe.columns = [inert(c) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(inert)
    # utf-8-sig so Excel on Windows shows accents; semicolons match a Dutch Excel.
    return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
