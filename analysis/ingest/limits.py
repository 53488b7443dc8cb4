"""How much of an uploaded file we are willing to read, checked before it is read.

The dashboard runs as one process for everybody: a single upload that unpacks to gigabytes, or a
sheet that claims a cell in its last row and column, must not take the server down. Every limit
here is checked on cheap evidence (file size, the sizes a zip declares and then proves while it is
unpacked in small pieces, the cell references in a sheet) before a reader builds anything in
memory, and the error says which limit was hit. The numbers are far above any survey export:
a QuickScan export has a few dozen columns and rarely more than a few thousand respondents.
"""

from __future__ import annotations

from analysis.errors import IngestError

MAX_FILE_BYTES = 1_000_000_000          # a csv of a million respondents is about 250 MB
MAX_UNPACKED_BYTES = 1_000_000_000      # all parts of a workbook together, unpacked
MAX_PACKING_RATIO = 200                 # unpacked / packed for a part over MIN_RATIO_BYTES
MIN_RATIO_BYTES = 1_000_000
MAX_ZIP_MEMBERS = 10_000
MAX_ROWS = 2_000_000
MAX_COLUMNS = 16_384                    # Excel's own maximum
MAX_SHEET_CELLS = 20_000_000            # rows x columns of a sheet's used area
MAX_CELL_CHARS = 32_767                 # Excel's own maximum for one cell



class LimitError(IngestError):
    """A file over one of the limits above; the message names the limit and where it was hit."""


def _amount(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _size(value: int) -> str:
    if value >= 1_000_000_000:
        return f"{value / 1e9:.1f} GB".replace(".", ",")
    return f"{value / 1e6:.1f} MB".replace(".", ",")


def too_big(where: str, what: str, value: int, limit: int, unit: str = "") -> LimitError:
    shown = (_size(value), _size(limit)) if unit == "bytes" else (_amount(value), _amount(limit))
    return LimitError(f"{where}: {what} is {shown[0]}, meer dan de grens van {shown[1]}. "
                      "Het bestand is niet gelezen.")


def check_file_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise too_big(f"'{name}'", "bestandsgrootte", size, MAX_FILE_BYTES, "bytes")


def check_shape(rows: int, columns: int, where: str) -> None:
    if columns > MAX_COLUMNS:
        raise too_big(where, "aantal kolommen", columns, MAX_COLUMNS)
    if rows > MAX_ROWS:
        raise too_big(where, "aantal rijen", rows, MAX_ROWS)
    if rows * columns > MAX_SHEET_CELLS:
        raise too_big(where, "aantal cellen (rijen x kolommen)", rows * columns, MAX_SHEET_CELLS)
