"""The privacy model: which respondents any group, filter or export figure may be computed over.

The promise is that nobody can learn how fewer than the minimum number of respondents answered,
not from one figure and not from the difference of several. Every figure the product shows is
therefore computed over whole *cells*: respondents are partitioned by all of the analyst's
reporting columns ("groepskenmerken") at once; cells below the minimum go into one *pool*, and the
pool is grown with the smallest other cells until it is empty or itself reaches the minimum.
A group or filter selection is computed over its shown cells only; the organisation total is
all cells plus the pool. Any sum or difference of shown figures is then a union of cells and
pool, each at least the minimum, so subtraction can never isolate a small group.
See docs/privacy.md for the reasoning and the limits.
"""

from __future__ import annotations

import os
import unicodedata
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowExtensionArray

from analysis.ingest.survey_tools import is_system_column
from analysis.safe_text import visible_text

DEFAULT_MIN_GROUP_SIZE = 5
MIN_GROUP_SIZE_VARIABLE = "QUICKSCAN_MIN_GROUP_SIZE"
MAX_GROUP_VALUES = 30
EMPTY_GROUP = "(niet ingevuld)"

REASON_TOO_SMALL = "too_small"
REASON_PROTECTS = "protects"
REASON_TEXTS = {REASON_TOO_SMALL: "te weinig respondenten",
                REASON_PROTECTS: "verborgen om een kleine groep te beschermen"}


def deployment_min_group_size(environ: dict | None = None) -> int:
    """The deployment's minimum (QUICKSCAN_MIN_GROUP_SIZE, default 5): what viewers can never go below."""
    environ = os.environ if environ is None else environ
    try:
        value = int(environ.get(MIN_GROUP_SIZE_VARIABLE, DEFAULT_MIN_GROUP_SIZE))
    except ValueError:
        return DEFAULT_MIN_GROUP_SIZE
    return max(value, 1)


def label_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``group_labels`` factorized: per row an index into the distinct group names, which come sorted.

    Everything here is done per distinct value (a column of 100,000 answers holds a handful of team
    names), so the per-row work is one hash pass and one lookup; no text is made per row. A column held
    in Arrow (immutable) is factorized once while it lives: one summary asks for the same column up to
    three times (choosing the grouping columns, the privacy partition, the groups). The arrays returned
    are read-only, as they may be shared.
    """
    data = values.array.__arrow_array__() if isinstance(values.array, ArrowExtensionArray) else None
    if data is None:
        return _label_codes(values)
    remembered = _REMEMBERED.get(id(data))
    if remembered is not None and remembered[0]() is data:
        return remembered[1]
    result = _label_codes(values)
    for array in result:
        array.flags.writeable = False
    if len(_REMEMBERED) >= MAX_REMEMBERED_COLUMNS:
        _REMEMBERED.pop(next(iter(_REMEMBERED)), None)  # the oldest
    key = id(data)
    _REMEMBERED[key] = (weakref.ref(data, lambda _: _REMEMBERED.pop(key, None)), result)
    return result


MAX_REMEMBERED_COLUMNS = 32
_REMEMBERED: dict[int, tuple[weakref.ref, tuple[np.ndarray, np.ndarray]]] = {}


def _label_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, distinct = _distinct_values(values)
    # Cleaned per distinct value, not per row; code -1 (a missing value) picks the last entry. NFC: 'Zoë' typed as
    # one character or as e + diaeresis looks the same, so it is one group.
    cleaned = np.array([unicodedata.normalize("NFC", visible_text(v)).strip() or EMPTY_GROUP for v in distinct]
                       + [EMPTY_GROUP], dtype=object)
    # Values that differ only in what cleaning removed are one group; names sorted as pandas sorts text.
    used = cleaned if len(codes) and codes.min() < 0 else cleaned[:-1]
    names, inverse = np.unique(used, return_inverse=True)
    return np.asarray(inverse, dtype=np.intp).reshape(-1)[codes], names


def _distinct_values(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Per row an index into the distinct values (-1 for a missing one), and those values as text.

    A column held in Arrow is encoded by Arrow itself (half the time of pandas' factorize on the same data)."""
    data = values.array.__arrow_array__() if isinstance(values.array, ArrowExtensionArray) else None
    if data is not None and pa.types.is_string(data.type):
        encoded = pc.dictionary_encode(data.combine_chunks() if isinstance(data, pa.ChunkedArray) else data)
        indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
        return indices, encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    return codes, ["" if pd.isna(v) else str(v) for v in uniques]


def group_labels(values: pd.Series) -> pd.Series:
    """A column's values as group names (invisible controls dropped); empty cells form their own group."""
    codes, names = label_codes(values)
    return pd.Series(names[codes] if len(codes) else [], index=values.index, dtype="string")


def candidate_columns(metadata: pd.DataFrame, max_values: int = MAX_GROUP_VALUES) -> list[str]:
    """Respondent-data columns that group people: a few values, each shared by several respondents.

    Ids, free text and timestamps are left out: most of their values are unique; so are the survey
    tools' bookkeeping columns (analysis/ingest/survey_tools.yaml), whatever their values.
    """
    columns = []
    for name in metadata.columns:
        if is_system_column(name):
            continue
        codes, names = label_codes(metadata[name])
        counts = np.bincount(codes, minlength=len(names))
        if not 2 <= len(counts) <= max_values or len(counts) >= len(codes):
            continue
        shared = counts[counts >= 2].sum()
        empty = counts[names == EMPTY_GROUP].sum()
        if shared >= 0.8 * len(codes) and empty < 0.5 * len(codes):
            columns.append(str(name))
    return columns


@dataclass(frozen=True)
class PrivacySettings:
    """What the analyst decided for a dataset: the reporting columns and the minimum group size."""

    reporting_columns: tuple[str, ...]
    min_group_size: int

    def to_dict(self) -> dict:
        return {"reporting_columns": list(self.reporting_columns), "min_group_size": self.min_group_size}

    @classmethod
    def from_dict(cls, data: dict) -> PrivacySettings:
        return cls(tuple(str(c) for c in data.get("reporting_columns") or ()),
                   int(data.get("min_group_size") or DEFAULT_MIN_GROUP_SIZE))


def default_settings(metadata: pd.DataFrame, min_group_size: int | None = None) -> PrivacySettings:
    """Without a choice by the analyst, every column that groups people is a reporting column."""
    minimum = deployment_min_group_size() if min_group_size is None else min_group_size
    return PrivacySettings(tuple(candidate_columns(metadata)), minimum)


@dataclass
class Partition:
    """Respondents in cells by all reporting columns; small cells pooled until the pool is safe."""

    columns: tuple[str, ...]
    min_group_size: int
    cell_of_row: np.ndarray   # per respondent: its cell number
    cell_sizes: np.ndarray    # per cell: respondents
    pooled_cells: np.ndarray  # per cell: True when it is in the pool

    @property
    def shown_rows(self) -> np.ndarray:
        """True for respondents whose cell may be part of a group or selection figure."""
        return ~self.pooled_cells[self.cell_of_row]

    @property
    def pooled_respondents(self) -> int:
        return int(self.cell_sizes[self.pooled_cells].sum())

    @property
    def too_small_respondents(self) -> int:
        """Pooled respondents whose own cell is below the minimum; the rest of the pool protects them."""
        return int(self.cell_sizes[self.pooled_cells & (self.cell_sizes < self.min_group_size)].sum())

    @property
    def n_cells(self) -> int:
        return len(self.cell_sizes)


def build_partition(metadata: pd.DataFrame, columns, min_group_size: int) -> Partition:
    """Cells by COLUMNS; the pool takes every cell below the minimum, then the smallest others until safe."""
    columns = tuple(c for c in columns if c in metadata.columns)
    n_rows = len(metadata)
    cell_of_row, n_cells = np.zeros(n_rows, dtype=np.intp), (1 if n_rows else 0)
    for number, column in enumerate(dict.fromkeys(columns)):
        codes, names = label_codes(metadata[column])
        if number == 0:
            cell_of_row, n_cells = codes, len(names)
        else:
            cell_of_row, n_cells = _dense(cell_of_row * len(names) + codes, n_cells * len(names))
    cell_of_row = np.asarray(cell_of_row, dtype=np.intp)
    sizes = np.bincount(cell_of_row, minlength=n_cells)
    return Partition(columns, min_group_size, cell_of_row, sizes, pooled_mask(sizes, min_group_size))


def _dense(keys: np.ndarray, bound: int) -> tuple[np.ndarray, int]:
    """KEYS (each below BOUND) renumbered 0.. in their sorted order, and how many there are.

    Cells are numbered in the sorted order of their values, column by column (each column's codes are
    ranks of its sorted names), so combining codes as digits keeps that order.
    """
    if bound <= 4 * len(keys) + 4096:
        present = np.zeros(bound, dtype=bool)
        present[keys] = True
        rank = np.cumsum(present) - 1
        return rank[keys], int(present.sum())
    uniques, inverse = np.unique(keys, return_inverse=True)
    return inverse.reshape(-1), len(uniques)


def pooled_mask(sizes: np.ndarray, min_group_size: int) -> np.ndarray:
    """Per cell (of SIZES respondents): True when it goes into the pool."""
    pooled = sizes < min_group_size
    # Smallest first, ties by cell number (the sorted order of the cell's values).
    order = np.lexsort((np.arange(len(sizes)), sizes))
    for cell in order:
        pool = int(sizes[pooled].sum())
        if pool == 0 or pool >= min_group_size:
            break
        pooled[cell] = True
    return pooled


@dataclass(frozen=True)
class GroupRows:
    """One group's rows as they may be shown: its size, the rows figures use, and why it is hidden."""

    name: str
    respondents: int
    rows: np.ndarray      # indices of the respondents its figures are computed over
    reason: str | None    # None when shown

    @property
    def suppressed(self) -> bool:
        return self.reason is not None


def group_rows(labels: pd.Series, shown_rows: np.ndarray, min_group_size: int,
               within: np.ndarray | None = None) -> list[GroupRows]:
    """Groups of LABELS (optionally within a selection): each computed over its shown cells only."""
    codes, names = label_codes(labels)
    return coded_group_rows(codes, names, shown_rows, min_group_size, within)


def coded_group_rows(codes: np.ndarray, names: np.ndarray, shown_rows: np.ndarray, min_group_size: int,
                     within: np.ndarray | None = None) -> list[GroupRows]:
    """``group_rows`` for labels given as ``label_codes`` gives them (groups in the order of NAMES, sorted).

    One stable sort puts each group's rows together in file order, so many groups cost no more than few.
    """
    sizes = np.bincount(codes if within is None else codes[within], minlength=len(names))
    # As 16-bit numbers numpy sorts them by radix, ten times faster than 64-bit ones; the order is the same.
    order = np.argsort(codes.astype(np.int16) if len(names) < 2**15 else codes, kind="stable")
    ends = np.cumsum(np.bincount(codes, minlength=len(names)))
    groups = []
    for g, name in enumerate(names):
        size = int(sizes[g])
        if size == 0:
            continue
        members = order[ends[g - 1] if g else 0:ends[g]]
        keep = shown_rows[members] if within is None else shown_rows[members] & within[members]
        rows = members[keep]
        reason = None
        if size < min_group_size:
            reason, rows = REASON_TOO_SMALL, rows[:0]
        elif len(rows) == 0:
            reason = REASON_PROTECTS
        groups.append(GroupRows(str(name), size, rows, reason))
    return groups


def label_mask(values: pd.Series, chosen) -> np.ndarray:
    """True for the rows whose group name (as ``group_labels`` gives it) is one of CHOSEN."""
    codes, names = label_codes(values)
    wanted = set(chosen)
    return np.array([name in wanted for name in names], dtype=bool)[codes] if len(codes) else np.zeros(0, bool)


def selection_rows(metadata: pd.DataFrame, filters: dict[str, list[str]], partition: Partition) -> np.ndarray:
    """Rows of a filter selection that figures may use: the selected shown cells.

    Only reporting columns filter, so a selection always takes cells whole.
    """
    mask = np.ones(len(metadata), dtype=bool)
    for column, values in filters.items():
        if values and column in partition.columns:
            mask &= label_mask(metadata[column], values)
    return mask & partition.shown_rows


def suppression_text(reason: str | None, min_group_size: int) -> str:
    """Why a group is hidden, as every view says it."""
    if reason == REASON_TOO_SMALL:
        return f"{REASON_TEXTS[REASON_TOO_SMALL]} (n<{min_group_size})"
    return REASON_TEXTS.get(reason, "")


def pooled_text(partition: Partition, n_respondents: int) -> str | None:
    """What the pool holds, for the analyst choosing reporting columns: the respondents of too small combinations,
    and apart from them those of larger combinations pooled only to protect them (not 'too small' themselves)."""
    if not partition.pooled_respondents:
        return None
    small = partition.too_small_respondents
    protecting = partition.pooled_respondents - small
    text = f"{small} van {n_respondents} respondenten vallen in een te kleine combinatie van groepskenmerken"
    if protecting:  # only ever added to a pool of small combinations
        text += f", en {protecting} in een combinatie die niet apart wordt getoond om de kleine te beschermen"
    return text + ": zij tellen mee in het totaal, niet in groeps- of filtercijfers."


def min_group_size_note(min_group_size: int, deployment_minimum: int | None = None) -> str | None:
    """Said on every page and export when the analyst went below the deployment's minimum."""
    floor = deployment_min_group_size() if deployment_minimum is None else deployment_minimum
    if min_group_size >= floor:
        return None
    return (f"Let op: de minimale groepsgrootte is door de analist verlaagd naar {min_group_size} "
            f"(standaard {floor}); kleine groepen zijn daardoor minder goed beschermd.")


def size_text(respondents: int, reason: str | None, min_group_size: int) -> str:
    """A group's size as views show it: a too-small group only as 'less than the minimum', and a group hidden to
    protect it only as 'at least the minimum' — its exact size, subtracted from the total and the shown groups,
    would give the small group's size."""
    if reason == REASON_TOO_SMALL:
        return f"<{min_group_size}"
    if reason == REASON_PROTECTS:
        return f"≥{min_group_size}"
    return str(int(respondents))
