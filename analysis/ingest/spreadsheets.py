"""Workbooks (xlsx, xlsm, xls, ods) read through python-calamine, after checking they are safe to read.

calamine is many times faster than openpyxl on the xlsx files Microsoft Forms gives, but it builds
a sheet's whole used area in memory and aborts the process when that does not fit: one cell in the
last row and column of a sheet is enough. So a zip-based workbook is first unpacked here in small
pieces, which proves the sizes its parts declare (Python's zip reader stops at the declared size
and then checks the CRC), and every part is scanned for the cell references that decide the used
area. Only a workbook within the limits of ``analysis.ingest.limits`` is handed to calamine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import io
import itertools
import re
import struct
import zipfile
import zlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine as calamine

from analysis.errors import IngestError, quoted
from analysis.ingest.limits import (
    MAX_PACKING_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    MIN_RATIO_BYTES,
    check_shape,
    too_big,
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 4 * 1024 * 1024
# Everything Python's zip reader raises on a damaged archive (zlib.error for a broken deflate stream).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, NotImplementedError, EOFError,
              OSError, ValueError, RuntimeError, KeyError)
# Cells converted at a time: the cell objects calamine just made are still in the processor's cache. Converting
# 20,000-row chunks column by column fetched every cell from memory again (half the conversion's time).
CHUNK_CELLS = 16_000
HEAD_ROWS = 16  # header and title rows: converted apart, so their text never forces a column cell by cell
# Row elements, with or without a namespace prefix ('<row', '<x:row'). Searching from the literal 'row' and
# looking back one byte is several times faster than searching from '<' (every cell has several).
_ROW_REF = re.compile(rb'row(?<=[<:]row)\b[^>]*?\sr="(\d{1,12})"')
# A cell reference: letters and digits. calamine reads any XML spelling of the attribute (single quotes, a tab
# or line break before it, spaces around '='), so the tolerant forms are used where such a spelling occurs.
_CELL_REF = re.compile(rb' r="([A-Za-z]{1,8})(\d{1,12})"')
_LOOSE_ROW_REF = re.compile(rb'row(?<=[<:]row)\b[^>]*?\sr\s*=\s*["\']\s*(\d{1,12})\s*["\']')
_LOOSE_CELL_REF = re.compile(rb'\sr\s*=\s*["\']\s*([A-Za-z]{1,8})\s*(\d{1,12})\s*["\']')
# Bytes that an unusual spelling of an attribute needs (a single quote, or white space other than a space),
# each found at memory speed; only around those is a window searched for such a spelling.
_UNUSUAL = (b"'", b"\t", b"\n", b"\r")
_ATTRIBUTE_R = re.compile(rb"\s*r\s*=")
SEGMENT = 64 * 1024  # bytes whose references are all claimed once one beyond the area is found
MAX_UNUSUAL = 64  # more of those bytes in one window (free text): read the whole window the tolerant way
_ODS_REPEAT = re.compile(rb'number-(rows|columns)-repeated="(\d{1,12})"')
_ODS_EMPTY_CELL = re.compile(rb'<table:(?:covered-)?table-cell\s+table:number-columns-repeated="\d+"\s*/>')
ODS_ROW_KEPT = 64 * 1024  # an empty repeated row is far shorter; one cut off near a window's end is kept whole
_ODS_EMPTY_ROW = re.compile(
    rb'<table:table-row\b[^>]*number-rows-repeated="\d+"[^>]*>\s*'
    rb'(?:<table:(?:covered-)?table-cell(?:\s+table:number-columns-repeated="\d+")?\s*/>\s*)*</table:table-row>')


def is_workbook(head: bytes) -> bool:
    return head[:4] == b"PK\x03\x04" or head[:8] == OLE2_MAGIC


def read_workbook(data: bytes, filename: str, sheet: str | int | None, score) -> tuple[pa.Table, dict]:
    """The grid of the chosen sheet: SHEET by name or 1-based number, else the one SCORE(top rows) likes most."""
    kind = _check_container(data, filename)
    book = _open(data, filename)
    try:
        names = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        if not names:
            raise IngestError(f"'{filename}' bevat geen werkblad met gegevens (alleen grafiekbladen of macro's).")
        chosen = _pick(book, names, sheet, score, filename)
        rows = _sheet(book, chosen, filename)
        table = _to_table(rows, f"'{filename}', werkblad '{quoted(chosen)}'")
    finally:
        book.close()
    return table, {"format": kind, "sheet": chosen, "sheets": names}


def _open(data: bytes, filename: str):
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as exc:
        raise IngestError(f"'{filename}' is met een wachtwoord beveiligd; sla het onbeveiligd op.") from exc
    except (calamine.CalamineError, ValueError, OSError) as exc:
        raise IngestError(f"'{filename}' lijkt een werkmap maar kan niet worden geopend "
                          f"({quoted(exc)}).") from exc


def _sheet(book, name: str, filename: str) -> list:
    try:
        return book.get_sheet_by_name(name)
    except (calamine.CalamineError, ValueError, OSError) as exc:
        raise IngestError(f"Werkblad '{quoted(name)}' in '{filename}' is beschadigd en kan niet worden gelezen "
                          f"({quoted(exc)}).") from exc


def _pick(book, names: list[str], sheet, score, filename: str) -> str:
    if sheet is not None:
        return _named_sheet(names, sheet, filename)
    if len(names) == 1 or score is None:
        return names[0]
    scores = []
    for name in names:
        try:
            top = _sheet(book, name, filename).to_python(skip_empty_area=False, nrows=12)
        except IngestError:
            top = []  # a broken sheet is only fatal when it is the one chosen
        scores.append(score([[_text(v) for v in row] for row in top]))
    return names[max(range(len(names)), key=lambda i: (scores[i], -i))]


def _named_sheet(names: list[str], sheet, filename: str) -> str:
    text = str(sheet).strip()
    if text in names:
        return text
    folded = [n for n in names if n.strip().lower() == text.lower()]
    if folded:
        return folded[0]
    if text.isdigit() and 1 <= int(text) <= len(names):
        return names[int(text) - 1]
    listed = ", ".join(f"{i}: '{quoted(n, 40)}'" for i, n in enumerate(names, start=1))
    raise IngestError(f"Werkblad '{quoted(text)}' bestaat niet in '{filename}'; kies uit {listed}.")


# --- the checks before calamine sees the file -------------------------------------------------------


def _check_container(data: bytes, filename: str) -> str:
    if data[:8] == OLE2_MAGIC:
        return "xls"  # at most 65,536 x 256 cells by its format; the file size limit bounds the rest
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise IngestError(f"'{filename}' lijkt een Excel-bestand maar kan niet worden geopend "
                          f"(geen geldig zip-archief: {quoted(exc)}).") from exc
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        try:
            kind = _kind_of_archive(names, archive, filename)
        except IngestError:
            raise
        except ZIP_ERRORS as exc:
            raise IngestError(f"'{filename}' is een beschadigd zip-archief ({quoted(exc)}).") from exc
        _check_declared(members, filename)
        for member in members:
            _scan_member(archive, member, kind, filename)
    return kind


def _kind_of_archive(names: set[str], archive: zipfile.ZipFile, filename: str) -> str:
    if "xl/workbook.xml" in names:
        return "xlsm" if filename.lower().endswith(".xlsm") else "xlsx"
    if "xl/workbook.bin" in names:
        raise IngestError(f"'{filename}' is een binaire Excel-werkmap (.xlsb); sla het op als .xlsx of .csv.")
    if "content.xml" in names and "mimetype" in names:
        mimetype = archive.read("mimetype")[:100] if archive.getinfo("mimetype").file_size < 200 else b""
        if b"spreadsheet" in mimetype:
            return "ods"
        raise IngestError(f"'{filename}' is een OpenDocument-bestand maar geen rekenblad (.ods).")
    raise IngestError(f"'{filename}' is een zip-archief maar geen werkmap (xlsx, xlsm of ods).")


def _check_declared(members: list[zipfile.ZipInfo], filename: str) -> None:
    where = f"'{filename}'"
    if len(members) > MAX_ZIP_MEMBERS:
        raise too_big(where, "aantal onderdelen in het zip-archief", len(members), MAX_ZIP_MEMBERS)
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise too_big(where, "uitgepakte grootte", total, MAX_UNPACKED_BYTES, "bytes")
    for member in members:
        if member.file_size > MIN_RATIO_BYTES and member.file_size > MAX_PACKING_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise too_big(f"{where}, onderdeel '{quoted(member.filename)}'", "inpakverhouding", ratio,
                          MAX_PACKING_RATIO)


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, kind: str, filename: str) -> None:
    """Unpack MEMBER piece by piece: proves its declared size and finds the area its cells claim."""
    extent = _OdsExtent() if kind == "ods" else _SheetExtent()
    where = f"'{filename}', onderdeel '{quoted(member.filename)}'"
    try:
        with archive.open(member) as stream:
            tail = b""
            while chunk := stream.read(CHUNK):
                window = tail + chunk
                cut = extent.cut(window)
                if len(window) - cut > MAX_TAG_BYTES:
                    raise too_big(where, "lengte van één XML-element", len(window) - cut, MAX_TAG_BYTES, "bytes")
                extent.feed(window[:cut])
                tail = window[cut:]
            extent.feed(tail)
    except ZIP_ERRORS as exc:
        # A part that does not unpack to exactly its declared size and CRC lands here too.
        raise IngestError(f"{where} is beschadigd ({quoted(exc)}).") from exc
    rows, columns = extent.area()
    if rows and columns:
        check_shape(rows, columns, where)


# An XML tag, its attribute values quoted (a value may hold '>', never '<').
_WHOLE_TAG = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
MAX_TAG_BYTES = 1024 * 1024  # a sheet's tags are a few hundred bytes; text between them may be any length


def _unfinished_tag(window: bytes) -> int:
    """Where a tag that WINDOW cuts off starts (its length when none is): windows split there hold whole tags
    only, so a row or cell reference is never cut in two, however many attributes come before it."""
    start = window.rfind(b"<")
    if start < 0 or _WHOLE_TAG.match(window, start):
        return len(window)
    return start


class _SheetExtent:
    """Highest row and column any cell of an OOXML sheet claims (calamine allocates that whole area).

    Every reference counts, exactly. Row elements are few (one per row) and all read; the many cell references
    are only searched for one *beyond* the area found so far (a later column, or a row further down than any row
    element says), which a single regex search per window rules out in the usual case.
    """

    def __init__(self):
        self.rows = 0
        self.columns = 0

    @staticmethod
    def cut(window: bytes) -> int:
        return _unfinished_tag(window)

    def feed(self, window: bytes) -> None:
        unusual = any(b in window for b in _UNUSUAL)
        if not unusual and b"row" not in window and b" r" not in window:
            return
        if unusual and _unusual_spelling(window):
            self._feed_loose(window)
            return
        numbers = _ROW_REF.findall(window)
        if numbers:
            self.rows = max(self.rows, max(map(int, numbers)))
        if not _may_match(_beyond_source(self.rows, self.columns), window):
            return
        position, checked = 0, False
        while match := _beyond(self.rows, self.columns).search(window, position):
            position = self._claim_segment(window, match.start())
            if position is None:
                return
            if not checked:  # usually the header row set the width: RE2 rules out the rest at memory speed
                checked = True
                if not _may_match(_beyond_source(self.rows, self.columns), memoryview(window)[position:]):
                    return

    def _claim_segment(self, window: bytes, start: int) -> int | None:
        """Every reference in the SEGMENT bytes from START claimed, and where the last one ends (None when an
        unusual spelling made the whole window be read the tolerant way). Claiming all of them at once lets a
        sheet's first rows set its width in one go: a search for 'beyond' per claim compiled a new pattern for
        every column of the header row."""
        end = start + 1
        for reference in _beyond(0, 0).finditer(window, start, start + SEGMENT):
            cell = _CELL_REF.match(window, reference.start())
            if cell is None:  # ' r' followed by white space, or a reference with spaces: an unusual spelling
                self._feed_loose(window)
                return None
            self._claim(cell.group(1), cell.group(2))
            end = reference.end()
        return end

    def _feed_loose(self, window: bytes) -> None:
        numbers = _LOOSE_ROW_REF.findall(window)
        if numbers:
            self.rows = max(self.rows, max(map(int, numbers)))
        for letters, digits in _LOOSE_CELL_REF.findall(window):
            self._claim(letters, digits)

    def _claim(self, letters: bytes, digits: bytes) -> None:
        self.columns = max(self.columns, _column_number(letters))
        self.rows = max(self.rows, int(digits))

    def area(self) -> tuple[int, int]:
        # A sheet with row numbers but no cell reference still has (at least) one column.
        return self.rows, max(self.columns, 1 if self.rows else 0)


class _OdsExtent:
    """Rows and columns an ODS content.xml asks for once its repeated rows and cells are expanded.

    LibreOffice writes the empty rest of a sheet as repeated empty rows and cells; those cost nothing.
    A repeated cell or row with content is expanded by every reader, so that is what is counted.
    """

    def __init__(self):
        self.rows = 0
        self.columns = 0

    @staticmethod
    def cut(window: bytes) -> int:
        """Before the last row that starts near the end: an empty repeated row (a row tag, its empty cells and
        the closing tag) is only recognised whole, so it must not be cut in two."""
        start = window.rfind(b"<table:table-row", max(len(window) - ODS_ROW_KEPT, 0))
        if start > 0 or (start == 0 and len(window) <= ODS_ROW_KEPT):
            return start  # (0: the window is that one row so far; it waits for more)
        return _unfinished_tag(window)

    def feed(self, window: bytes) -> None:
        if b"repeated" not in window:
            self.rows += window.count(b"<table:table-row")
            return
        cleaned = _ODS_EMPTY_ROW.sub(b"", _ODS_EMPTY_CELL.sub(b"", window))
        for kind, number in _ODS_REPEAT.findall(cleaned):
            if kind == b"rows":
                self.rows += int(number)
            else:
                self.columns = max(self.columns, int(number))
        self.rows += cleaned.count(b"<table:table-row")
        self.columns = max(self.columns, 1)

    def area(self) -> tuple[int, int]:
        return self.rows, self.columns


def _unusual_spelling(window: bytes) -> bool:
    """Whether an attribute r may be spelled with a single quote or a tab or line break before it."""
    seen = 0
    for byte in _UNUSUAL:
        at = window.find(byte)
        while at != -1:
            seen += 1
            if seen > MAX_UNUSUAL:
                return True
            if byte == b"'" and window[max(0, at - 64):at].rstrip().endswith(b"="):
                return True
            if byte != b"'" and _ATTRIBUTE_R.match(window, at + 1):
                return True
            at = window.find(byte, at + 1)
    return False


@functools.lru_cache(maxsize=64)
def _beyond(rows: int, columns: int) -> re.Pattern:
    """``_beyond_source`` compiled; only needed once RE2 found a match (compiling costs ~2 ms a time)."""
    return re.compile(_beyond_source(rows, columns))


@functools.lru_cache(maxsize=64)
def _beyond_source(rows: int, columns: int) -> bytes:
    """A cell reference with a column after COLUMNS or a row after ROWS; or one spelled unusually (white space
    around '=', a value that does not start with a letter), which the caller then reads with the tolerant form."""
    return (rb' r(?:="(?:(?:%b)\d{1,12}|[A-Za-z]{1,8}(?:%b))\s*"|\s|=\s|="[^"A-Za-z0-9])'
            % (_letters_above(columns), _digits_above(rows)))


# Python's own regex engine visits every cell reference; RE2 (in Arrow) runs the same expression as one scan at
# memory speed. Its white space is spelled out (RE2's \s lacks \v), so RE2 finds whatever Python's would.
_WHITE = rb"[\t\n\x0b\x0c\r ]"


def _may_match(pattern: bytes, window: bytes | memoryview) -> bool:
    """False only when PATTERN (no look-around, ASCII) certainly has no match in WINDOW; True when unsure."""
    try:
        data = pa.Array.from_buffers(pa.binary(), 1, [None, pa.py_buffer(np.array([0, len(window)], np.int32)),
                                                    pa.py_buffer(window)])
        return bool(pc.match_substring_regex(data, _re2_form(pattern)).to_numpy(zero_copy_only=False)[0])
    except (pa.ArrowException, ValueError, OverflowError):
        return True


@functools.lru_cache(maxsize=64)
def _re2_form(pattern: bytes) -> str:
    return pattern.replace(rb"\s", _WHITE).decode("ascii")


def _digits_above(number: int) -> bytes:
    """A regex for decimal numbers (leading zeros allowed) above NUMBER; a longer spelling always matches."""
    text = str(number).encode()
    options = [rb"\d{%d,12}" % (len(text) + 1)]
    for i, digit in enumerate(text):
        if digit < ord("9"):
            options.append(text[:i] + b"[%c-9]" % (digit + 1) + (rb"\d{%d}" % (len(text) - i - 1)))
    return b"|".join(options)


def _letters_above(number: int) -> bytes:
    """A regex for column letters (any case) above column NUMBER (0: any letters)."""
    if number <= 0:
        return rb"[A-Za-z]{1,8}"
    letters = _column_letters(number)
    options = [rb"[A-Za-z]{%d,8}" % (len(letters) + 1)]
    for i, letter in enumerate(letters):
        if letter < ord("Z"):
            above = b"[%c-Z%c-z]" % (letter + 1, letter + 33)
            same = b"".join(b"[%c%c]" % (c, c + 32) for c in letters[:i])
            options.append(same + above + (rb"[A-Za-z]{%d}" % (len(letters) - i - 1)))
    return b"|".join(options)


def _column_letters(number: int) -> bytes:
    letters = b""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


# --- from calamine's cells to a table of text ---------------------------------------------------------


def _to_table(sheet, where: str) -> pa.Table:
    check_shape(sheet.height, sheet.width, where)
    width = sheet.width
    pieces: list[list[pa.Array]] = [[] for _ in range(width)]
    rows = iter(sheet.iter_rows())
    size = HEAD_ROWS
    with _collector_paused():
        while chunk := list(itertools.islice(rows, size)):
            size = max(HEAD_ROWS, CHUNK_CELLS // max(width, 1))
            for index, column in enumerate(_columns(chunk)):
                pieces[index].append(_column_text(column))
    if width == 0 or not pieces[0]:
        raise IngestError(f"{where} bevat geen gegevens.")
    # One chunk per column, as a csv gives it: the many small pieces would each cost a call in every later step.
    return pa.table({f"c{i}": pa.chunked_array([pa.concat_arrays(chunks)], pa.string())
                     for i, chunks in enumerate(pieces)})


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector paused while a sheet's rows become columns. The lists made here hold no cycles,
    but their sheer number sets off collection after collection, each walking every row still held: about a
    third of the conversion's time. Turned back on only when it was on (another thread may have paused it too)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _columns(rows: list[list]) -> list[list]:
    """ROWS turned into columns; equal-length rows as strided slices of one flat list (much faster than zip)."""
    if len({len(row) for row in rows}) == 1:
        width = len(rows[0])
        cells = list(itertools.chain.from_iterable(rows))
        return [cells[i::width] for i in range(width)]
    return [list(column) for column in itertools.zip_longest(*rows, fillvalue="")]


def _column_text(values: list) -> pa.Array:
    """One column of cells as text; whole columns of one type are converted by Arrow, the rest cell by cell."""
    try:
        text = pa.array(values, pa.string())  # a column of text (most of a survey): no type to guess
        if not text.null_count:
            return text
    except (pa.ArrowException, OverflowError):
        pass  # numbers, dates, or a mix: found out below
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([_text(v) for v in values], pa.string())
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(pa.string())
    if pa.types.is_floating(array.type) or pa.types.is_integer(array.type):
        return pc.cast(array, pa.string())
    if pa.types.is_null(array.type):
        return pa.array([""] * len(values), pa.string())
    if pa.types.is_timestamp(array.type) and array.type.unit == "us" and array.type.tz is None:
        # The text _text gives (isoformat: microseconds only when there are any), many times faster than
        # strftime, whose %S always shows them: a file's times then read the same in every row.
        return pc.replace_substring(pc.cast(array, pa.string()), ".000000", "")
    return pa.array([_text(v) for v in values], pa.string())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
