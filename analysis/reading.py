"""Turn uploaded bytes (csv in any common dialect, or xlsx) into a grid of text cells.

Everything is read as text with generated column names, so header rows stay part of the grid:
layout detection (``layout.py``) decides later which rows are headers. CSV goes through
pyarrow's reader because it is several times faster than pandas' on million-row exports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from analysis.errors import IngestError

DELIMITERS = [",", ";", "\t", "|"]
SNIFF_BYTES = 64 * 1024


def read_grid(source: bytes | Path, filename: str = "") -> tuple[pa.Table, dict]:
    """Read bytes or a file into a table of string columns ``c0..cN``; info says what was detected.

    A path is handed to pyarrow as it is, so a large export is never copied into memory first.
    """
    head = _head(source)
    if not head.strip() and not _has_text(source):
        raise IngestError(f"Het bestand '{filename or 'upload'}' is leeg.")
    if head[:4] == b"PK\x03\x04":
        return _read_xlsx(_all_bytes(source), filename)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise IngestError(
            f"'{filename}' is een oud Excel-bestand (.xls); sla het op als .xlsx of .csv en probeer opnieuw.")
    return _read_csv(source, head)


def _head(source: bytes | Path) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source[:SNIFF_BYTES])
    with Path(source).open("rb") as handle:
        return handle.read(SNIFF_BYTES)


def _all_bytes(source: bytes | Path) -> bytes:
    return bytes(source) if isinstance(source, bytes | bytearray) else Path(source).read_bytes()


def _has_text(source: bytes | Path) -> bool:
    if isinstance(source, bytes | bytearray):
        return bool(source.strip())
    return Path(source).stat().st_size > SNIFF_BYTES and bool(_all_bytes(source).strip())


def _encoding_of(head: bytes) -> tuple[str, str]:
    """The likely encoding and the decoded head; the full file is checked while it is parsed."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", head[3:].decode("utf-8", errors="ignore")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        raise IngestError("Het bestand is geen tabel: het bevat binaire gegevens (geen csv of xlsx).")
    try:
        # A cut head may end inside a multi-byte character; ignore at most its last 3 bytes.
        head[:-3].decode("utf-8") if len(head) >= SNIFF_BYTES else head.decode("utf-8")
        return "utf-8", head.decode("utf-8", errors="ignore")
    except UnicodeDecodeError:
        return "cp1252", head.decode("cp1252", errors="replace")


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the first lines into the most, equally wide, columns."""
    lines = sample.splitlines()[:50]
    if len(sample) >= SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample is incomplete
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        widths = [len(r) for r in rows if r]
        if not widths or max(widths) < 2:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _pyarrow_read(source: bytes | Path, encoding: str, delimiter: str, text: str) -> pa.Table:
    try:
        return _pyarrow_read_once(source, encoding, delimiter, text, newlines_in_values=False)
    except pa.ArrowInvalid as exc:
        # A quoted cell with a line break splits a row in two, which shows up as a column-count
        # error; only then pay for the slower parser that follows quotes across lines.
        if "utf8" in str(exc).lower().replace("-", ""):
            raise
        return _pyarrow_read_once(source, encoding, delimiter, text, newlines_in_values=True)


def _pyarrow_read_once(source, encoding: str, delimiter: str, text: str, newlines_in_values: bool) -> pa.Table:
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else str(source)
    return pacsv.read_csv(
        stream,
        read_options=pacsv.ReadOptions(autogenerate_column_names=True, encoding=encoding),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values),
        convert_options=pacsv.ConvertOptions(column_types=_all_text(text, delimiter),
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))


def _read_csv(source: bytes | Path, head: bytes) -> tuple[pa.Table, dict]:
    encoding, text = _encoding_of(head)
    delimiter = sniff_delimiter(text)
    info = {"format": "csv", "encoding": encoding, "delimiter": delimiter}
    try:
        table = _pyarrow_read(source, encoding, delimiter, text)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as exc:
        table = None
        if encoding == "utf-8" and "utf8" in str(exc).lower().replace("-", ""):
            # Valid UTF-8 at the start, not further on: Excel on Windows writes cp1252.
            encoding = info["encoding"] = "cp1252"
            try:
                table = _pyarrow_read(source, encoding, delimiter, text)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                table = None
        if table is None:
            # Ragged rows or odd quoting: the slower standard library reader copes with those.
            table = _read_csv_python(_all_bytes(source), encoding, delimiter)
            info["ragged"] = True
    return _named(table), info


def _all_text(text: str, delimiter: str) -> dict:
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        first = text.split("\n", 1)[0].split(delimiter)
    width = max(len(first), 1) + 64  # spare names for rows wider than the first
    return {f"f{i}": pa.string() for i in range(width)}


def _read_csv_python(data: bytes, encoding: str, delimiter: str) -> pa.Table:
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise IngestError(f"Het csv-bestand kan niet worden gelezen: {exc}.") from exc
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    return _table_from_rows(rows)


def _table_from_rows(rows: list[list]) -> pa.Table:
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        raise IngestError("Het bestand bevat geen gegevens (alleen lege regels).")
    columns = [[(r[i] if i < len(r) else "") for r in rows] for i in range(width)]
    return pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})


def _named(table: pa.Table) -> pa.Table:
    return table.rename_columns([f"c{i}" for i in range(table.num_columns)])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _read_xlsx(data: bytes, filename: str) -> tuple[pa.Table, dict]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise IngestError(f"'{filename}' lijkt een Excel-bestand maar kan niet worden geopend ({exc}).") from exc
    sheet = _first_filled_sheet(book)
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise IngestError(f"Het Excel-bestand '{filename}' bevat geen gegevens.")
    return _table_from_rows(rows), {"format": "xlsx", "sheet": sheet.title}


def _first_filled_sheet(book):
    for sheet in book.worksheets:
        if sheet.max_row and sheet.max_row > 0 and sheet.max_column and sheet.max_column > 0:
            return sheet
    return book.worksheets[0]
