"""Turn uploaded bytes (csv in any common dialect, or a workbook) into a grid of text cells.

Everything is read as text with generated column names, so header rows stay part of the grid:
layout detection (``layout.py``) decides later which rows are headers. CSV goes through
pyarrow's reader because it is several times faster than pandas' on million-row exports;
workbooks go through ``spreadsheets.py`` (python-calamine, after safety checks). Sizes are
checked against ``limits.py`` before anything is parsed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from analysis.errors import IngestError
from analysis.ingest.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, check_file_size, too_big
from analysis.ingest.spreadsheets import is_workbook, read_workbook

DELIMITERS = [",", ";", "\t", "|"]
SNIFF_BYTES = 64 * 1024
HEADER_BYTES = 4 * 1024 * 1024  # how far we look for the end of a very wide first record


def read_grid(source: bytes | Path, filename: str = "", sheet: str | int | None = None,
              score=None, check_text: bool = False) -> tuple[pa.Table, dict]:
    """Read bytes or a file into a table of text columns ``c0..cN``; info says what was detected.

    A path is handed to pyarrow as it is, so a large export is never copied into memory first.
    SHEET picks a workbook's sheet; without it SCORE(top rows) -> number chooses the best one.

    A csv's columns come as binary holding UTF-8 that is not yet checked: ``as_text`` and ``decoded`` check
    the cells where they are used (an answer column only per distinct value), which is much less work than
    checking every cell while parsing. When they find a cell that is not UTF-8 (``NotText``), read again with
    CHECK_TEXT: the whole file is then checked first, and recoded from Windows-1252 or refused.
    """
    filename = filename or "upload"
    check_file_size(_size(source), filename)
    head = _head(source, SNIFF_BYTES)
    if not head.strip() and not _has_text(source):
        raise IngestError(f"Het bestand '{filename}' is leeg.")
    if is_workbook(head):
        table, info = read_workbook(_all_bytes(source), filename, sheet, score)
    else:
        if sheet is not None:
            raise IngestError(f"'{filename}' is een tekstbestand zonder werkbladen; laat de keuze van het "
                              "werkblad weg.")
        table, info = _read_csv(source, head, filename, check_text)
    _check_cells(table, filename)
    return table, info


def _size(source: bytes | Path) -> int:
    return len(source) if isinstance(source, bytes | bytearray) else Path(source).stat().st_size


def _head(source: bytes | Path, size: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source[:size])
    with Path(source).open("rb") as handle:
        return handle.read(size)


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
        return "utf-16", head.decode("utf-16", errors="ignore").lstrip("\ufeff")
    if b"\x00" in head:
        encoding = _utf16_without_bom(head)
        if encoding is None:
            raise IngestError("Het bestand is geen tabel: het bevat binaire gegevens (geen csv of werkmap).")
        return encoding, head[:len(head) // 2 * 2].decode(encoding, errors="ignore")
    try:
        # A cut head may end inside a multi-byte character; ignore at most its last 3 bytes.
        head[:-3].decode("utf-8") if len(head) >= SNIFF_BYTES else head.decode("utf-8")
        return "utf-8", head.decode("utf-8", errors="ignore")
    except UnicodeDecodeError:
        return "cp1252", head.decode("cp1252", errors="replace")


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without its byte order mark (some tools do): Dutch text is nearly all characters below U+0100,
    so one byte of nearly every pair is zero, and the other nearly never. Anything else with zero bytes is binary."""
    sample = head[:SNIFF_BYTES // 2 * 2]
    first, second = sample[0::2], sample[1::2]
    if len(second) < 8:
        return None
    for encoding, zeros, text in (("utf-16-le", second, first), ("utf-16-be", first, second)):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.01 * len(text):
            try:
                sample.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def _records(sample: str, delimiter: str, cut: bool) -> list[list[str]]:
    """Records of SAMPLE, quotes followed across line breaks; the last one dropped when the sample is cut."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > 60:
                break
    except csv.Error:
        pass
    if cut and len(records) > 1:
        records = records[:-1]
    return [r for r in records if any(cell.strip() for cell in r)]


def sniff_delimiter(sample: str, cut: bool | None = None) -> str:
    """The delimiter that splits the first records into the most, equally wide, columns.

    Quoted cells are followed across line breaks, so a multi-line comment holding a ";" cannot
    make a comma file look semicolon-separated.
    """
    cut = len(sample) >= SNIFF_BYTES if cut is None else cut
    best, best_score = ",", (0.0, 0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in _records(sample, delimiter, cut)]
        if not widths:
            continue
        common = max(set(widths), key=lambda w: (widths.count(w), w))
        if common < 2:
            continue
        agreeing = sum(w == common for w in widths)
        score = (agreeing / len(widths), agreeing, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _pyarrow_read(source, encoding: str, delimiter: str, width: int) -> pa.Table:
    try:
        return _pyarrow_read_once(source, encoding, delimiter, width, newlines_in_values=False)
    except pa.ArrowInvalid as exc:
        # A quoted cell with a line break across a block boundary shows up as a column-count error;
        # only then pay for the slower parser that follows quotes across lines.
        if _is_encoding_error(exc):
            raise
        return _pyarrow_read_once(source, encoding, delimiter, width, newlines_in_values=True)


def _pyarrow_read_once(source, encoding: str, delimiter: str, width: int, newlines_in_values: bool) -> pa.Table:
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else str(source)
    return pacsv.read_csv(
        stream,
        read_options=pacsv.ReadOptions(autogenerate_column_names=True, encoding=encoding),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values),
        # Binary: the parser does not check UTF-8 cell by cell (a fifth of its time); see read_grid.
        convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.binary() for i in range(width + 64)},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))


class NotText(IngestError):
    """A csv cell that is not UTF-8, found after the parse: read the file again with ``check_text``."""

    def __init__(self):
        super().__init__("Het bestand bevat tekens die geen UTF-8 zijn.")


def as_text(column: pa.ChunkedArray | pa.Array):
    """COLUMN as strings; a csv's binary column is checked for UTF-8 on the way (NotText when it is not)."""
    if not pa.types.is_binary(column.type):
        return column
    try:
        return column.cast(pa.string())
    except pa.ArrowInvalid as exc:
        raise NotText() from exc


def decoded(values: list) -> list[str]:
    """Cell values as Python gives them from a text or binary column, as text ("" for a missing cell)."""
    try:
        return ["" if v is None else v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values]
    except UnicodeDecodeError as exc:
        raise NotText() from exc


def _is_encoding_error(exc: Exception) -> bool:
    return isinstance(exc, UnicodeError) or "utf8" in str(exc).lower().replace("-", "")


def _read_csv(source: bytes | Path, head: bytes, filename: str, check_text: bool) -> tuple[pa.Table, dict]:
    encoding, text = _encoding_of(head)
    delimiter = sniff_delimiter(text)
    width = _first_record_width(source, head, encoding, delimiter, filename)
    info = {"format": "csv", "encoding": encoding, "delimiter": delimiter}
    if check_text and encoding == "utf-8":
        source, info["encoding"] = _recode(_all_bytes(source), encoding, filename)
        return _read_csv_recoded(source, delimiter, width, info, filename)
    try:
        table = _pyarrow_read(source, encoding, delimiter, width)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError) as exc:
        if _is_encoding_error(exc):
            source, encoding = _recode(_all_bytes(source), encoding, filename)
            info["encoding"] = encoding
            return _read_csv_recoded(source, delimiter, width, info, filename)
        # Ragged rows or odd quoting: the slower standard library reader copes with those.
        table, info["row_widths"] = _read_csv_python(_all_bytes(source), encoding, delimiter, filename)
    return _named(table), info


def _read_csv_recoded(data: bytes, delimiter: str, width: int, info: dict, filename: str):
    try:
        table = _pyarrow_read(data, "utf8", delimiter, width)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        table, info["row_widths"] = _read_csv_python(data, "utf-8", delimiter, filename)
    return _named(table), info


def _recode(data: bytes, encoding: str, filename: str) -> tuple[bytes, str]:
    """The file as UTF-8 when it is consistently cp1252 (Excel on Windows); else a clear error."""
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if encoding == "utf-8" and not data[: utf8_error.start].isascii():
        raise _decode_error(data, utf8_error, "UTF-8", filename)
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _decode_error(data, exc, "UTF-8 of Windows-1252", filename) from exc


def _decode_error(data: bytes, exc: UnicodeDecodeError, expected: str, filename: str) -> IngestError:
    line = data.count(b"\n", 0, exc.start) + 1
    byte = data[exc.start]
    return IngestError(f"'{filename}' is geen geldige tekst in {expected}: byte 0x{byte:02X} op regel {line} "
                       f"(positie {exc.start + 1}). Sla het bestand op als CSV UTF-8 en probeer opnieuw.")


def _first_record_width(source, head: bytes, encoding: str, delimiter: str, filename: str) -> int:
    """Fields of the first record, refused above the column limit before the file is parsed."""
    text = _encoding_of(head)[1] if len(head) < SNIFF_BYTES or "\n" in _encoding_of(head)[1] else None
    if text is None:
        text = _head(source, HEADER_BYTES).decode(encoding, errors="ignore")
    first = text.split("\n", 1)[0]
    if first.count(delimiter) + 1 > MAX_COLUMNS:
        raise too_big(f"'{filename}', rij 1", "aantal kolommen", first.count(delimiter) + 1, MAX_COLUMNS)
    records = _records(text, delimiter, cut=False)
    return max([len(r) for r in records[:1]] + [1])


def _read_csv_python(data: bytes, encoding: str, delimiter: str, filename: str) -> tuple[pa.Table, np.ndarray]:
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        if encoding == "utf-8":
            raise NotText() from exc  # read again: recoded from Windows-1252, or refused saying where
        raise _decode_error(data, exc, encoding.upper(), filename) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise too_big(f"'{filename}'", "aantal rijen", len(rows), MAX_ROWS)
    except csv.Error as exc:
        raise IngestError(_quote_error(filename, len(rows) + 1, exc)) from exc
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    return _table_from_rows(rows), np.array([len(r) for r in rows], dtype=np.int64)


def _quote_error(filename: str, row: int, exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return (f"'{filename}', rij {row}: een aanhalingsteken (\") wordt nergens gesloten, zodat de rest van "
                "het bestand in één cel zou vallen. Herstel het aanhalingsteken en probeer opnieuw.")
    return f"'{filename}', rij {row}: het csv-bestand kan niet worden gelezen ({exc})."


def _table_from_rows(rows: list[list]) -> pa.Table:
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        raise IngestError("Het bestand bevat geen gegevens (alleen lege regels).")
    if width > MAX_COLUMNS:
        raise too_big("het bestand", "aantal kolommen", width, MAX_COLUMNS)
    columns = [[(r[i] if i < len(r) else "") for r in rows] for i in range(width)]
    return pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})


def _named(table: pa.Table) -> pa.Table:
    return table.rename_columns([f"c{i}" for i in range(table.num_columns)])


def _check_cells(table: pa.Table, filename: str) -> None:
    if table.num_rows > MAX_ROWS:
        raise too_big(f"'{filename}'", "aantal rijen", table.num_rows, MAX_ROWS)
    if table.num_columns > MAX_COLUMNS:
        raise too_big(f"'{filename}'", "aantal kolommen", table.num_columns, MAX_COLUMNS)
    # Bytes bound characters from above, so only a column with long bytes needs counting.
    for index, column in enumerate(table.columns):
        if column.num_chunks and (pc.max(pc.binary_length(column)).as_py() or 0) > MAX_CELL_CHARS:
            column = as_text(column)
            longest = pc.max(pc.utf8_length(column)).as_py() or 0
            if longest > MAX_CELL_CHARS:
                row = pc.index(pc.utf8_length(column), longest).as_py() + 1
                raise too_big(f"'{filename}', kolom {index + 1}, rij {row}", "lengte van een cel", longest,
                              MAX_CELL_CHARS)
