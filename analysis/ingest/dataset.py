"""From an uploaded export to answer levels per respondent and statement, with a full report.

The result keeps answers as a compact respondent x statement matrix of small integers
(1..5 a level, 0 unknown, -1 missing) because scoring a million respondents must stay close to
the cost of merely reading the file; ``Dataset.tidy()`` gives the long table when wanted.
Every column and every distinct value that was not understood ends up in ``Dataset.issues``,
and ``Overrides`` let an analyst settle them (the dashboard's fix-up editor writes those).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.pandas_compat  # noqa: F401  (to_pandas would import it on the first upload)

from analysis.errors import IngestError, quoted
from analysis.ingest.layout import TOP_ROWS, Layout, detect_layout, is_bookkeeping, statement_evidence
from analysis.ingest.matching import (
    MISSING,
    UNKNOWN,
    AnswerMapper,
    ItemFinder,
    StatementMatcher,
    answer_mapper,
    item_finder,
    normalise,
    statement_matcher,
)
from analysis.ingest.reading import NotText, as_text, decoded, read_grid
from analysis.instrument import Instrument, all_instruments

NOT_UNDERSTOOD = -2
IGNORE = "ignore"
ISSUE_COLUMNS = ["soort", "kolom", "waarde", "aantal", "rijen", "blokkerend"]
MAX_ROWS_LISTED = 10

ISSUE_UNKNOWN_VALUE = "Antwoord niet herkend"
ISSUE_OUT_OF_RANGE = "Getal buiten bereik"
ISSUE_DUPLICATE_COLUMN = "Stelling dubbel"
ISSUE_UNMATCHED_COLUMN = "Kolom lijkt antwoorden te bevatten"
ISSUE_UNKNOWN_STATEMENT = "Stelling niet herkend"
ISSUE_DUPLICATE_ANSWER = "Dubbel antwoord"
ISSUE_MISSING_STATEMENT = "Stelling ontbreekt in bestand"
ISSUE_FOREIGN_STATEMENT = "Stelling bestaat niet in het instrument"
ISSUE_DUPLICATE_ITEM = "Item dubbel"
MULTI_SELECT_SHARE = 0.5  # of a column's filled cells that name an item: then it is a multi-select column
ISSUE_WIDE_ROW = "Rij heeft meer cellen dan de koprij (een scheidingsteken in een waarde, zoals 3,5?)"


@dataclass
class Overrides:
    """Decisions of an analyst: column label -> statement id or IGNORE; raw value -> code."""

    columns: dict[str, int | str] = field(default_factory=dict)
    values: dict[str, int] = field(default_factory=dict)

    def value_code(self, raw: str) -> int | None:
        return self.values.get(str(raw).strip())

    def to_dict(self) -> dict:
        return {"columns": dict(self.columns), "values": dict(self.values)}

    @classmethod
    def from_dict(cls, data: dict | None) -> Overrides:
        data = data or {}
        return cls(columns=dict(data.get("columns") or {}),
                   values={str(k): int(v) for k, v in (data.get("values") or {}).items()})


@dataclass
class ColumnInfo:
    index: int
    label: str
    headers: list[str]
    role: str  # statement | multi (a multi-select column of a checklist block) | metadata | system | ignored
    statement_id: int | str | None = None
    block: str | None = None  # for a multi-select column: the block whose items it ticks
    # ... and other blocks whose items it offers too, when no column of their own does (one question for all items)
    extra_blocks: tuple[str, ...] = ()

    @property
    def blocks(self) -> tuple[str, ...]:
        return (self.block, *self.extra_blocks) if self.block else self.extra_blocks


@dataclass
class Dataset:
    instrument: Instrument
    layout: str
    layout_kind: str
    source: dict
    codes: np.ndarray
    respondent_ids: Sequence  # the file's id column when it has one, else the row numbers 1..n
    metadata: pd.DataFrame
    columns: list[ColumnInfo]
    issues: pd.DataFrame
    found: list[int] | None = None  # set by layouts whose statements are not columns (long files)

    @property
    def n_respondents(self) -> int:
        return int(self.codes.shape[0])

    @property
    def statements_found(self) -> list[int]:
        if self.found is not None:
            return self.found
        found = {c.statement_id for c in self.columns if c.role == "statement"}
        found |= {s.id for c in self.columns if c.role == "multi" for b in c.blocks
                  for s in self.instrument.statements_in(b)}
        return [i for i in self.instrument.statement_ids if i in found]

    @property
    def statements_without_answers(self) -> list[int]:
        """Statements for which the file holds no answer at all (no column, or only empty cells)."""
        answered = (self.codes != MISSING).any(axis=0) if self.codes.size else np.zeros(self.codes.shape[1], bool)
        return [sid for sid, has in zip(self.instrument.statement_ids, answered) if not has]

    @property
    def statements_not_in_file(self) -> list[int]:
        """Statements that no column (or, in a long file, no row) of the file names."""
        found = set(self.statements_found)
        return [sid for sid in self.instrument.statement_ids if sid not in found]

    @property
    def blocking_issues(self) -> pd.DataFrame:
        return self.issues[self.issues["blokkerend"]]

    def tidy(self) -> pd.DataFrame:
        """One row per respondent and statement: level 1..5, or status unknown/missing."""
        ids = self.instrument.statement_ids
        frame = pd.DataFrame(self.codes, columns=ids)
        frame.insert(0, "respondent", self.respondent_ids)
        tidy = frame.melt(id_vars="respondent", var_name="statement", value_name="code")
        tidy["status"] = np.select([tidy["code"] > 0, tidy["code"] == UNKNOWN], ["known", "unknown"], "missing")
        tidy["level"] = tidy["code"].where(tidy["code"] > 0).astype("Int8")
        return tidy.drop(columns="code")


def ingest_bytes(data: bytes, filename: str = "", instrument: Instrument | None = None,
                 overrides: Overrides | None = None, sheet: str | int | None = None) -> Dataset:
    """SHEET names a workbook's sheet (or its 1-based number); without it the best sheet is chosen.

    Without INSTRUMENT the one that recognises the most columns is used (``detect_instrument``)."""
    candidates = [instrument] if instrument else all_instruments()
    try:
        return _ingest_read(data, filename, sheet, candidates, overrides)
    except NotText:
        return _ingest_read(data, filename, sheet, candidates, overrides, check_text=True)


def ingest_file(path, instrument: Instrument | None = None, overrides: Overrides | None = None,
                sheet: str | int | None = None) -> Dataset:
    path = Path(path)
    if not path.exists():
        raise IngestError(f"Bestand niet gevonden: {path}")
    if path.is_dir():
        raise IngestError(f"'{path}' is een map, geen bestand.")
    candidates = [instrument] if instrument else all_instruments()
    try:
        try:
            return _ingest_read(path, path.name, sheet, candidates, overrides)
        except NotText:
            return _ingest_read(path, path.name, sheet, candidates, overrides, check_text=True)
    except PermissionError as exc:
        raise IngestError(f"Bestand '{path}' kan niet worden gelezen: geen toegang.") from exc
    except MemoryError as exc:
        raise IngestError(f"Bestand '{path}' is te groot om in het geheugen te lezen.") from exc


def _ingest_read(source: bytes | Path, filename: str, sheet, candidates: list[Instrument],
                 overrides: Overrides | None, check_text: bool = False) -> Dataset:
    """Read and ingest. A csv's cells are checked for UTF-8 where they are used; the first one that is not makes
    the caller read again with CHECK_TEXT (see ``read_grid``)."""
    table, info = read_grid(source, filename, sheet, _sheet_score(candidates), check_text)
    top = top_rows(table)
    return ingest_table(table, info, _chosen(top, info, candidates), overrides or Overrides(), top)


def _without_ticks(top: list[list[str]], instrument: Instrument) -> list[list[str]]:
    """TOP with the ticked items of multi-select columns blanked: a cell holding one ticked item must not pass for
    the header of that item.

    A tick is told by its column (one that names items in several rows holds answers) or by the cell itself (one
    that names two items or more: no header does). Every row from the first that holds a tick holds answers, so an
    item named there is blanked too, also in a column that only that row ticks (a block hardly anyone ticked, or a
    file of one respondent). A column that names one and the same item in every such row is one option of a
    checkbox question (SurveyMonkey and Qualtrics give each option a column holding its text when ticked): its
    first is its header, the others are ticks. Once the file is known to hold multi-select columns (a column with
    ticks, a cell with two items or ending in Microsoft Forms' ';'), an item named in a column of neither kind is
    a tick wherever it stands: a first respondent who ticked one item of a block must not pass for a header row."""
    if not instrument.kind.multi_select or len(top) < 2:
        return top
    finder = item_finder(instrument)
    header_row: dict[int, int] = {}  # option column -> the row of its header
    ticked: set[int] = set()
    for j, column in enumerate(zip(*top)):
        naming = [(r, finder.named_items(cell)) for r, cell in enumerate(column) if finder.ticks_in([cell])]
        if len(naming) < 2:
            continue
        if len({items for _, items in naming}) == 1 and len(naming[0][1]) == 1:
            header_row[j] = naming[0][0]
        else:
            ticked.add(j)

    def tick_by_itself(cell: str) -> bool:
        # Two items or more (no header names two), or Microsoft Forms' ';' after the last option ticked.
        return finder.items_named(cell) >= 2 or (bool(finder.ticks_in([cell])) and cell.rstrip().endswith(";"))

    loose: set[int] = set()
    if ticked or any(tick_by_itself(cell) for row in top for cell in row):
        # A file of multi-select columns: there no header names an item, so an item named in any other column than
        # an option's or one holding answers (Ja/Nee per item, in a mixed file) is a tick, whatever its row.
        is_answer = _answer_test(answer_mapper(instrument))
        loose = {j for j, column in enumerate(zip(*top))
                 if j not in header_row and not any(is_answer(cell) for cell in column)}

    def is_tick(r: int, j: int, cell: str) -> bool:
        return bool(finder.ticks_in([cell])) and (j in ticked or j in loose or r > header_row.get(j, len(top))
                                                  or tick_by_itself(cell))
    answers_from = next((r for r, row in enumerate(top) if any(is_tick(r, j, c) for j, c in enumerate(row))),
                        len(top))
    return [[("" if finder.ticks_in([cell]) and (r >= answers_from or is_tick(r, j, cell)) else cell)
             for j, cell in enumerate(row)] for r, row in enumerate(top)]


def _evidence_of(instrument: Instrument):
    """How many columns of the top rows INSTRUMENT recognises: questions by header, multi-select by content."""
    matcher, mapper = statement_matcher(instrument), answer_mapper(instrument)
    finder = item_finder(instrument) if instrument.kind.multi_select else None

    def evidence(top: list[list[str]]) -> int:
        found = statement_evidence(top, matcher, _answer_test(mapper))
        if finder is not None and top:
            found += sum(1 for column in zip(*top) if finder.ticks_in(list(column)) >= 2
                         or any(finder.items_named(cell) >= 2 for cell in column))
        return found
    return evidence


def _sheet_score(candidates: list[Instrument]):
    scores = [_evidence_of(i) for i in candidates]
    return lambda top: max(score(top) for score in scores)


def detect_instrument(top: list[list[str]], candidates: list[Instrument] | None = None) -> Instrument:
    """The instrument that recognises the most columns of TOP; on a tie the first (the default)."""
    candidates = candidates or all_instruments()
    scores = [_evidence_of(i)(top) for i in candidates]
    return candidates[scores.index(max(scores))]


def top_rows(table: pa.Table) -> list[list[str]]:
    """The first rows as text: where headers, titles and the instrument are recognised."""
    return [decoded(row.values()) for row in table.slice(0, TOP_ROWS).to_pylist()]


def _chosen(top: list[list[str]], info: dict, candidates: list[Instrument]) -> Instrument:
    if len(candidates) == 1:
        return candidates[0]
    chosen = detect_instrument(top, candidates)
    info["instrument_detected"] = True
    return chosen


def _answer_test(mapper: AnswerMapper):
    return lambda cell: mapper.map_value(cell) not in (None, MISSING)


def ingest_table(table: pa.Table, info: dict, instrument: Instrument, overrides: Overrides,
                 top: list[list[str]] | None = None) -> Dataset:
    """TOP: ``top_rows(table)``, when the caller has them already."""
    matcher = statement_matcher(instrument)
    top = top_rows(table) if top is None else top
    mapper = answer_mapper(instrument)
    layout = detect_layout(_without_ticks(top, instrument), matcher, info, _answer_test(mapper))
    info = {**info, "header_rows": layout.header_row_numbers, "title_rows": layout.title_row_numbers}
    body, rows = _respondent_rows(table, layout, info)
    if layout.kind == "long":
        if not body.num_rows:
            raise IngestError(_no_respondents_message(layout, info))
        from analysis.ingest.long_format import ingest_long

        return ingest_long(body, layout, info, instrument, overrides, matcher, mapper, rows)
    return _ingest_wide(body, layout, info, instrument, matcher, mapper, overrides, rows)


def _respondent_rows(table: pa.Table, layout: Layout, info: dict) -> tuple[pa.Table, np.ndarray]:
    """The rows under the headers that hold anything, and their 1-based row numbers in the file."""
    body = table.slice(layout.header_rows)
    filled = np.zeros(body.num_rows, dtype=bool)
    for column in body.columns:
        if filled.all():
            break  # usually after the first column: no need to look at the rest
        filled |= filled_cells(column)
    positions = np.flatnonzero(filled)
    info["empty_rows"] = int(body.num_rows - len(positions))
    if len(positions) < body.num_rows:
        body = body.take(pa.array(positions))
    return body, positions + layout.header_rows + 1 + int(info.get("first_row", 0))


def filled_cells(column: pa.ChunkedArray) -> np.ndarray:
    """True for the cells that hold more than white space: the same as trimming every cell and comparing with
    "" (Arrow's utf8_is_space and utf8_trim_whitespace agree on what white space is).

    Only a cell whose first byte can start a white-space character is asked Arrow's Unicode question; every
    other non-empty cell is filled by its first byte alone. Usually that is every cell, and the Unicode kernel
    (a few milliseconds the first time a process uses it) is not needed at all."""
    parts = [_filled_in_chunk(chunk) for chunk in column.chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


# First bytes (UTF-8) of every character Unicode or Python calls white space: ASCII ones, C2 (U+0085, U+00A0),
# E1 (U+1680, U+180E), E2 (U+2000-U+205F) and E3 (U+3000).
_SPACE_LEAD = np.zeros(256, dtype=bool)
_SPACE_LEAD[list(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \xc2\xe1\xe2\xe3")] = True


def _filled_in_chunk(chunk: pa.Array) -> np.ndarray:
    if not (pa.types.is_string(chunk.type) or pa.types.is_binary(chunk.type)):
        return _filled_by_arrow(chunk)
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    if chunk.null_count:
        filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
    if not filled.any():
        return filled
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    unsure = np.flatnonzero(filled & _SPACE_LEAD[data[np.minimum(starts, len(data) - 1)]])
    if len(unsure):
        filled[unsure] = _filled_by_arrow(chunk.take(pa.array(unsure)))
    return filled


def _filled_by_arrow(cells: pa.Array) -> np.ndarray:
    cells = as_text(cells)
    blank = pc.or_(pc.equal(cells, ""), pc.utf8_is_space(cells))
    return pc.invert(pc.fill_null(blank, True)).to_numpy(zero_copy_only=False)


def _assign_columns(layout: Layout, matcher: StatementMatcher, overrides: Overrides) -> list[ColumnInfo]:
    columns = []
    for index, (headers, label) in enumerate(zip(layout.headers, layout.labels)):
        chosen = overrides.columns.get(label)
        if chosen == IGNORE:
            columns.append(ColumnInfo(index, label, headers, "ignored"))
        elif chosen is not None and matcher.known_id(chosen) is not None:
            columns.append(ColumnInfo(index, label, headers, "statement", matcher.known_id(chosen)))
        elif (found := matcher.match(headers)) is not None:
            columns.append(ColumnInfo(index, label, headers, "statement", found))
        elif is_bookkeeping(label, headers):
            columns.append(ColumnInfo(index, label, headers, "system"))
        else:
            columns.append(ColumnInfo(index, label, headers, "metadata"))
    return columns


def _row_numbers(positions: np.ndarray, row_numbers: np.ndarray) -> str:
    """File row numbers of body POSITIONS, the first few listed."""
    rows = [str(int(row_numbers[p])) for p in positions[:MAX_ROWS_LISTED]]
    more = len(positions) - MAX_ROWS_LISTED
    return ", ".join(rows) + (f" (+{more})" if more > 0 else "")


@contextmanager
def _encoding(body: pa.Table, indices: list[int]) -> Iterator[Iterator[tuple[list[str], np.ndarray]]]:
    """The columns at INDICES encoded (``_encode_answers``), in order, by a pool that starts at once: pyarrow
    releases the GIL, so they encode on the machine's other cores while the caller does other work."""
    if body.num_rows * len(indices) < PARALLEL_CELLS:
        yield map(lambda i: _encode_answers(body.column(i)), indices)  # starting threads would cost more
        return
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        yield pool.map(lambda i: _encode_answers(body.column(i)), indices)


PARALLEL_CELLS = 200_000  # answer cells from which encoding on several cores pays for starting the threads


SAMPLE_ROWS = 1_000


def _encode_answers(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    """What ``_encode_column`` gives (the distinct values in order of first appearance, and per row its value),
    about a third faster for an answer column: its few distinct values are taken from the first rows and looked
    up in one pass; only cells with another value (a typo further down) are encoded apart."""
    first = column.chunk(0).slice(0, SAMPLE_ROWS) if column.num_chunks else pa.array([], column.type)
    known = pc.unique(first)
    found = pc.index_in(column, value_set=known)
    values = decoded(known.to_pylist())
    # Arrow's int32 indices as they are: a 64-bit copy per column only cost time and memory.
    if not found.null_count:
        return values, found.to_numpy()
    indices = found.fill_null(-1).to_numpy().copy()  # a copy: the numpy view of one chunk is read-only
    rest_values, rest = _encode_column(pc.filter(column, pc.is_null(found)))
    indices[indices < 0] = rest + len(values)
    return values + rest_values, indices


def _encode_column(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray]:
    encoded = pc.dictionary_encode(column).combine_chunks()
    values = decoded(encoded.dictionary.to_pylist())
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    if (indices < 0).any():
        values.append("")
        indices = np.where(indices < 0, len(values) - 1, indices)
    return values, indices


def map_values(values: list[str], statement_id: int | None, mapper: AnswerMapper,
               overrides: Overrides) -> np.ndarray:
    lookup = np.empty(len(values), dtype=np.int8)
    for i, value in enumerate(values):
        code = overrides.value_code(value)
        if code is None:
            code = mapper.map_value(value, statement_id)
        lookup[i] = NOT_UNDERSTOOD if code is None else code
    return lookup


def _ingest_wide(body: pa.Table, layout: Layout, info: dict, instrument: Instrument,
                 matcher: StatementMatcher, mapper: AnswerMapper, overrides: Overrides, rows: np.ndarray) -> Dataset:
    columns = _assign_columns(layout, matcher, overrides)
    finder = item_finder(instrument) if instrument.kind.multi_select else None
    if finder is not None:
        columns = [_as_multi_select(body, c, finder, instrument) if c.role == "metadata" else c for c in columns]
        columns = _blocks_of_multi_select(body, columns, instrument)
    statement_columns = [c for c in columns if c.role == "statement"]
    if not statement_columns and not any(c.role == "multi" for c in columns):
        raise IngestError(_no_statements_message(layout))
    if not body.num_rows:
        raise IngestError(_no_respondents_message(layout, info))
    ids = instrument.statement_ids
    # Column-major: scoring walks statement by statement.
    codes = np.full((body.num_rows, len(ids)), MISSING, dtype=np.int8, order="F")
    issues: list[dict] = []
    seen: dict[int, str] = {}
    unique_columns = []
    for col in statement_columns:
        if col.statement_id in seen:
            issues.append(_issue(ISSUE_DUPLICATE_COLUMN, col.label,
                                 f"stelling {col.statement_id}, ook in kolom '{seen[col.statement_id]}'", 1, ""))
            continue
        seen[col.statement_id] = col.label
        unique_columns.append(col)
    metadata_columns = [c for c in columns if c.role in ("metadata", "system")]
    with _encoding(body, [c.index for c in unique_columns]) as encoded:
        # The answer columns encode on other threads while this one reads the respondent data.
        metadata = _metadata_frame(body, metadata_columns)
        unmatched = _unmatched_answer_columns(body, columns, mapper)
        options, empty = [], []  # columns of a checkbox question's options; columns without any answer
        for col, (values, indices) in zip(unique_columns, encoded):
            lookup = map_values(values, col.statement_id, mapper, overrides)
            if finder is not None and _is_ticked_option(values, lookup, col, finder):
                lookup = np.where(lookup == MISSING, 1, 2).astype(np.int8)  # not ticked: Nee; ticked: Ja
                options.append(col)
            column_codes = lookup[indices]
            if (column_codes == MISSING).all():
                empty.append(col)
            issues.extend(_value_issues(values, lookup, indices, col.label, mapper, rows))
            column_codes[column_codes == NOT_UNDERSTOOD] = MISSING
            codes[:, ids.index(col.statement_id)] = column_codes
        if options and len(options) + len(empty) == len(unique_columns):
            # A checkbox question's option that nobody ticked: Nee for everyone, as the others' empty cells.
            for col in empty:
                codes[:, ids.index(col.statement_id)] = 1
    for col in (c for c in columns if c.role == "multi"):
        issues.extend(_fill_multi_select(body, col, codes, finder, overrides, rows, seen))
    issues.extend(unmatched)
    issues.extend(_foreign_statements(columns, instrument))
    wide = _wide_rows(body, layout, info, rows)
    if wide:
        issues.append(wide[0])
        codes[wide[1], :] = MISSING
    issues.extend(_missing_statements(ids, seen))
    return Dataset(instrument=instrument, layout=layout.name, layout_kind=layout.kind, source=info,
                   codes=codes, respondent_ids=_respondent_ids(metadata, body.num_rows),
                   metadata=metadata[[c.label for c in metadata_columns if c.role == "metadata"]],
                   columns=columns, issues=pd.DataFrame(issues, columns=ISSUE_COLUMNS))


def _as_multi_select(body: pa.Table, column: ColumnInfo, finder: ItemFinder, instrument: Instrument) -> ColumnInfo:
    """COLUMN as a checklist block's multi-select column when most of its filled cells name items."""
    values, _ = _encode_column(body.column(column.index))
    filled = [v for v in values if v.strip()][:500]
    if not filled or finder.ticks_in(filled) < MULTI_SELECT_SHARE * len(filled):
        return column
    blocks = [instrument.statement(i).theme for v in filled for i in finder.read(v).items]
    block = max(instrument.themes, key=blocks.count)
    others = tuple(b for b in instrument.themes if b != block and b in blocks)
    return ColumnInfo(column.index, column.label, column.headers, "multi", block=block, extra_blocks=others)


def _is_ticked_option(values: list[str], lookup: np.ndarray, column: ColumnInfo, finder: ItemFinder) -> bool:
    """Whether an item's column is one option of a checkbox question: SurveyMonkey and Qualtrics give each option
    its own column, holding the option's text when it is ticked and nothing when not. So every filled cell names
    the column's own item and nothing else; the text is then Ja and an empty cell Nee (nothing ticked), as in a
    multi-select column. An option nobody ticked has an empty column: Nee too, when every other column of items
    with answers is such an option."""
    filled = [i for i, code in enumerate(lookup) if code != MISSING]
    if not filled or any(lookup[i] != NOT_UNDERSTOOD for i in filled):
        return False
    for i in filled:
        read = finder.read(values[i])
        if read.items != {column.statement_id} or read.unknown or read.leftovers:
            return False
    return True


def _blocks_of_multi_select(body: pa.Table, columns: list[ColumnInfo], instrument: Instrument) -> list[ColumnInfo]:
    """Which blocks each multi-select column answers for, an item not ticked there being Nee.

    A column ticks its own block (the one most of its ticks belong to) and any other block whose items it offers
    when no column has that block as its own: one question listing every item, or two blocks in one question. An
    item of a block that has its own column stays a stray tick (Ja where ticked). And a block that nobody ticked
    anything of has an empty column: in a file of multi-select columns, an empty column whose header names exactly
    one block that no other column answers for is that block's column (an empty cell is nothing ticked)."""
    multi = [c for c in columns if c.role == "multi"]
    if not multi:
        return columns
    owned = {c.block for c in multi}
    chosen: dict[int, ColumnInfo] = {}
    for c in multi:
        extra = tuple(b for b in c.extra_blocks if b not in owned)
        chosen[c.index] = ColumnInfo(c.index, c.label, c.headers, "multi", block=c.block, extra_blocks=extra)
    answered = {b for c in chosen.values() for b in c.blocks}
    empty: dict[str, list[ColumnInfo]] = {}
    for c in columns:
        if c.role != "metadata" or filled_cells(body.column(c.index)).any():
            continue
        words = set(normalise(" ".join([c.label, *c.headers])).split())
        named = [b for b in instrument.themes if set(normalise(b).split()) <= words]
        if len(named) == 1 and named[0] not in answered:
            empty.setdefault(named[0], []).append(c)
    for block, candidates in empty.items():
        if len(candidates) == 1:
            c = candidates[0]
            chosen[c.index] = ColumnInfo(c.index, c.label, c.headers, "multi", block=block)
    return [chosen.get(c.index, c) for c in columns]


def _fill_multi_select(body: pa.Table, column: ColumnInfo, codes: np.ndarray, finder: ItemFinder,
                       overrides: Overrides, rows: np.ndarray, seen: dict) -> list[dict]:
    """Codes for the items of the column's block: ticked -> Ja, not ticked (or an empty cell) -> Nee.

    An 'unknown' option in the cell makes the items not ticked unknown instead of Nee. Text that is no
    item is reported, unless the analyst chose to ignore it (any value fix for that text).
    """
    instrument = finder.instrument
    no, yes = 1, 2
    values, indices = _encode_column(body.column(column.index))
    read = [finder.read(v) for v in values]
    block_items = [s.id for b in column.blocks for s in instrument.statements_in(b)]
    touched = [i for i in instrument.statement_ids
               if i in block_items or any(i in r.items for r in read)]
    issues = []
    for item in touched:
        if item in seen:
            issues.append(_issue(ISSUE_DUPLICATE_ITEM, column.label, f"item {item}, ook in kolom '{seen[item]}'", 1,
                                 "", blocking=False))
            continue
        seen[item] = column.label
        lookup = np.array([yes if item in r.items else (UNKNOWN if r.unknown else no) if item in block_items
                           else MISSING for r in read], dtype=np.int8)
        codes[:, instrument.statement_ids.index(item)] = lookup[indices]
    leftovers: dict[str, list[int]] = {}
    for value_index, r in enumerate(read):
        for text in r.leftovers:
            if overrides.value_code(text) is None:
                leftovers.setdefault(text, []).append(value_index)
    for text, value_indices in leftovers.items():
        positions = np.flatnonzero(np.isin(indices, value_indices))
        issues.append(_issue(ISSUE_UNKNOWN_VALUE, column.label, text, len(positions), _row_numbers(positions, rows)))
    return issues


def _metadata_frame(body: pa.Table, columns: list[ColumnInfo]) -> pd.DataFrame:
    """The respondent-data columns in one conversion, not one per column (exports can be very wide)."""
    if not columns:
        return pd.DataFrame(index=range(body.num_rows))
    selected = body.select([c.index for c in columns])
    frame = pa.table([as_text(column) for column in selected.columns], names=selected.column_names).to_pandas()
    frame.columns = [c.label for c in columns]
    return frame


_FOREIGN = re.compile(r"^\s*(?:stelling|statement|vraag|question|item)\s*[-_ .:#]?\s*0*(\d{1,4})\b", re.I)


def _foreign_statements(columns: list[ColumnInfo], instrument: Instrument) -> list[dict]:
    """Columns named like a statement number the instrument does not have ("Stelling 25"): said, not skipped."""
    ids = set(instrument.statement_ids)
    issues = []
    for col in columns:
        match = _FOREIGN.match(col.label) if col.role == "metadata" else None
        if match and int(match.group(1)) not in ids:
            issues.append(_issue(ISSUE_FOREIGN_STATEMENT, col.label,
                                 f"telt niet mee (het instrument heeft stelling {min(ids)}-{max(ids)})", 1, "",
                                 blocking=False))
    return issues


def _wide_rows(body: pa.Table, layout: Layout, info: dict, rows: np.ndarray):
    """Rows with filled cells beyond the header: an unquoted "3,5" split a value and shifted the rest."""
    widths = info.pop("row_widths", None)
    if widths is None or not layout.header_row_numbers:
        return None
    header_width = int(widths[layout.header_rows - 1 - int(info.get("first_row", 0))])
    extra = np.zeros(body.num_rows, dtype=bool)
    for index in range(header_width, body.num_columns):
        extra |= filled_cells(body.column(index))
    positions = np.flatnonzero(extra)
    if not len(positions):
        return None
    issue = _issue(ISSUE_WIDE_ROW, "", f"koprij heeft {header_width} kolommen", len(positions),
                   _row_numbers(positions, rows))
    return issue, positions


def _respondent_ids(metadata: pd.DataFrame, n_rows: int) -> Sequence:
    for name in metadata.columns:
        if name.strip().lower() in ("id", "respondent id", "responseid", "response id", "respondent"):
            values = metadata[name]
            if values.is_unique and (values != "").all():
                return values.tolist()
    return range(1, n_rows + 1)  # numbered in file order; a range, not 100,000 Python ints


def _issue(kind: str, column: str, value: str, count: int, rows: str, blocking: bool = True) -> dict:
    return dict(zip(ISSUE_COLUMNS, [kind, column, value, count, rows, blocking]))


def _value_issues(values, lookup, indices, label, mapper, row_numbers) -> list[dict]:
    bad = np.flatnonzero(lookup == NOT_UNDERSTOOD)
    if not len(bad):
        return []
    issues = []
    for value_index, positions in zip(bad, _positions_of(indices, bad)):
        kind = ISSUE_OUT_OF_RANGE if mapper.is_out_of_range(values[value_index]) else ISSUE_UNKNOWN_VALUE
        issues.append(_issue(kind, label, values[value_index], len(positions),
                             _row_numbers(positions, row_numbers)))
    return issues


def _positions_of(indices: np.ndarray, wanted: np.ndarray):
    """Per value in WANTED the rows (in order) whose index is that value. A few values: one comparison each;
    many (a column of free text): one stable sort, so the cost does not grow with values times rows."""
    if len(wanted) <= 8:
        return (np.flatnonzero(indices == value) for value in wanted)
    order = np.argsort(indices, kind="stable")
    ends = np.cumsum(np.bincount(indices, minlength=int(wanted.max()) + 1))
    return (order[(ends[value - 1] if value else 0):ends[value]] for value in wanted)


def _unmatched_answer_columns(body: pa.Table, columns: list[ColumnInfo], mapper: AnswerMapper) -> list[dict]:
    """Data columns most of whose filled cells are answers: probably a statement whose header was not recognised.

    All data columns are encoded together, so each distinct value is mapped once however wide the file is; the
    columns follow each other in that encoding, so each is one slice of it.
    """
    meta = [c for c in columns if c.role == "metadata"]
    if not meta or not body.num_rows:
        return []
    values = pa.chunked_array([chunk for c in meta for chunk in body.column(c.index).chunks],
                              body.column(meta[0].index).type)
    encoded = pc.dictionary_encode(values).combine_chunks()
    # Trimmed per distinct value, not per cell, as map_value trims (Arrow's Unicode trim costs more to start).
    distinct = [v.strip() for v in decoded(encoded.dictionary.to_pylist())]
    codes = [mapper.map_value(v) for v in distinct]
    # Per distinct value one number: 0 empty, 1 filled, 2 also understood, 3 also an answer label (each implies
    # the one before), so one lookup per cell and one count per column give all three figures.
    kinds = np.array([(v != "") + (v != "" and c is not None) + (c is not None and c != MISSING and not v.isdigit())
                      for v, c in zip(distinct, codes)] + [0], dtype=np.int8)
    per_cell = kinds[encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)]
    n = body.num_rows
    counts = np.stack([np.bincount(per_cell[i * n:(i + 1) * n], minlength=4) for i in range(len(meta))])
    filled, understood, labels = (counts[:, kind:].sum(axis=1) for kind in (1, 2, 3))
    flagged = np.flatnonzero((filled > 0) & (labels > 0) & (understood >= 0.5 * filled))
    return [_issue(ISSUE_UNMATCHED_COLUMN, meta[i].label, "", int(filled[i]), "", blocking=False) for i in flagged]


def _missing_statements(ids: list[int], seen: dict[int, str]) -> list[dict]:
    absent = [i for i in ids if i not in seen]
    if not absent:
        return []
    listed = ", ".join(map(str, absent))
    return [_issue(ISSUE_MISSING_STATEMENT, "", f"stelling {listed}", len(absent), "", blocking=False)]


def _no_respondents_message(layout: Layout, info: dict) -> str:
    what = "alleen lege rijen onder de kopregels" if info.get("empty_rows") else "alleen kopregels"
    headers = ", ".join(map(str, layout.header_row_numbers)) or "geen"
    return f"Geen respondenten: het bestand bevat {what} (kopregel(s): rij {headers}); er is niets te analyseren."


def _no_statements_message(layout: Layout) -> str:
    shown = ", ".join(f"'{quoted(label, 40)}'" for label in layout.labels[:6])
    more = f" en {len(layout.labels) - 6} andere" if len(layout.labels) > 6 else ""
    return (f"Geen enkele stelling herkend in de kolomkoppen ({shown}{more}). Verwacht koppen als "
            f"'Stelling 7', '7. <tekst van de stelling>' of de tekst van de stelling zelf.")


def issues_line(dataset: Dataset) -> str | None:
    """One Dutch line describing the first blocking issue, for the command line."""
    blocking = dataset.blocking_issues
    if blocking.empty:
        return None
    first = blocking.iloc[0]
    where = f" in kolom '{quoted(first['kolom'])}'" if first["kolom"] else ""
    rows = f", rij {first['rijen']}" if first["rijen"] else ""
    value = f": '{quoted(first['waarde'])}'" if first["waarde"] != "" else ""
    more = f" (en {len(blocking) - 1} andere problemen)" if len(blocking) > 1 else ""
    return f"{first['soort']}{where}{rows}{value}{more}"


