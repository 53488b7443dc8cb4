"""The scoring rules of the brief, in one place for the command line, the pages and the exports.

Statement score = mean of known answers; theme score = unweighted mean of its scored
statements; level of a score by the half-way bands; weak statements below a threshold; groups
computed over the cells the privacy model (``analysis.scoring.privacy``) lets them show, so no group below
the minimum size can be recovered by subtraction from the (always shown) total or other groups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.ingest.matching import MISSING, UNKNOWN
from analysis.instrument import Instrument
from analysis.scoring.privacy import (
    DEFAULT_MIN_GROUP_SIZE,
    coded_group_rows,
    label_codes,
    pooled_mask,
    suppression_text,
)

DEFAULT_THRESHOLD = 3.0
NO_SCORE_TEXT = "geen oordeel"


def level_of(score: float | None, instrument: Instrument) -> str | None:
    """Level label for a score: below 1.5 the first level, below 2.5 the second, and so on.

    A checklist has no levels: its score is a share met, so there is no label (None)."""
    if score is None or (isinstance(score, float) and math.isnan(score)) or not instrument.kind.has_levels:
        return None
    index = int(math.floor(score + 0.5))
    return instrument.level_label(min(max(index, 1), instrument.max_level))


def level_number(score: float | None, max_level: int = 5) -> int | None:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return min(max(int(math.floor(score + 0.5)), 1), max_level)


def answer_counts(codes: np.ndarray, max_level: int = 5) -> np.ndarray:
    """Counts per statement column: [missing, unknown, level 1 .. level max]."""
    return _grouped_counts(codes, np.zeros(codes.shape[0], dtype=np.intp), 1, max_level)[0]


def statement_table(counts: np.ndarray, instrument: Instrument) -> pd.DataFrame:
    """One row per statement: counts per answer kind, score and level."""
    max_level = instrument.max_level
    levels = np.arange(1, max_level + 1)
    known = counts[:, 2:].sum(axis=1)
    sums = (counts[:, 2:] * np.asarray(instrument.level_values, dtype=float)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(known > 0, sums / np.maximum(known, 1), np.nan)
    columns = {
        "id": instrument.statement_ids,
        "theme": [s.theme for s in instrument.statements],
        "text": [s.text for s in instrument.statements],
        "n_known": known, "n_unknown": counts[:, 1], "n_missing": counts[:, 0],
        "score": scores,
        **{f"n_{level}": counts[:, level + 1] for level in levels},
        # object dtype keeps None (no score) as None instead of NaN
        "level": pd.Series([level_of(s, instrument) for s in scores], dtype=object),
    }
    return pd.DataFrame(columns)


def theme_table(statements: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    themes = statements["theme"].to_numpy()
    all_scores = statements["score"].to_numpy(dtype=float)
    scored = ~np.isnan(all_scores)
    scores, counts = [], []
    for theme in instrument.themes:
        in_theme = all_scores[(themes == theme) & scored]
        # The same sum in the same order as pandas' mean of the statements' scores.
        scores.append(float(in_theme.mean()) if len(in_theme) else float("nan"))
        counts.append(len(in_theme))
    # Built in one go (a summary makes one per group): object dtype keeps None (no level) as None.
    return pd.DataFrame({"theme": list(instrument.themes), "score": np.array(scores, dtype=float),
                         "level": pd.Series([level_of(s, instrument) for s in scores], dtype=object),
                         "n_statements_scored": np.array(counts, dtype=np.int64)})


def plain_id(value) -> int | str:
    """A statement id as Python gives it to JSON: 7 for a scale's statement, "1.3" for a checklist item."""
    return str(value) if isinstance(value, str) else int(value)


# The statement table lists statements in the instrument's order, so a stable sort on the score alone
# breaks ties by that order: statement number on the scale, item order ("1.2" before "1.10") on a checklist.
def weak_statements(statements: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> list:
    """Statements scoring below the threshold, lowest first, ties by statement order."""
    weak = statements[statements["score"] < threshold].sort_values("score", kind="stable")
    return [plain_id(i) for i in weak["id"]]


def lowest_statements(statements: pd.DataFrame, n: int = 3) -> list:
    scored = statements.dropna(subset=["score"]).sort_values("score", kind="stable")
    return [plain_id(i) for i in scored["id"].head(n)]


def strongest_statements(statements: pd.DataFrame, n: int = 3) -> list:
    scored = statements.dropna(subset=["score"]).assign(neg=lambda f: -f["score"])
    return [plain_id(i) for i in scored.sort_values("neg", kind="stable")["id"].head(n)]


@dataclass
class GroupResult:
    name: str
    respondents: int
    suppressed: bool
    statements: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None
    reason: str | None = None          # why it is hidden: privacy.REASON_TOO_SMALL or REASON_PROTECTS
    shown_respondents: int | None = None  # respondents its figures use (its shown cells)

    def status_text(self, min_group_size: int) -> str:
        return suppression_text(self.reason, min_group_size) if self.suppressed else ""


@dataclass
class Summary:
    instrument: Instrument
    respondents: int
    statements: pd.DataFrame
    themes: pd.DataFrame
    weak: list[int]
    threshold: float
    min_group_size: int
    group_column: str | None = None
    groups: list[GroupResult] = field(default_factory=list)
    reporting_columns: tuple[str, ...] = ()
    pooled_respondents: int = 0
    min_group_size_note: str | None = None


def group_results(codes: np.ndarray, groups: pd.Series, instrument: Instrument, min_group_size: int,
                  shown_rows: np.ndarray | None = None, within: np.ndarray | None = None) -> list[GroupResult]:
    """Figures per group over its shown cells only (see privacy); by default the groups are the cells."""
    return _group_results(codes, groups, instrument, min_group_size, shown_rows, within)[0]


def _group_results(codes: np.ndarray, groups: pd.Series, instrument: Instrument, min_group_size: int,
                   shown_rows: np.ndarray | None, within: np.ndarray | None) -> tuple[list[GroupResult], np.ndarray]:
    """The group results and the answer counts per bucket (each group's shown rows; last: all other rows)."""
    labels, names = label_codes(groups)
    if shown_rows is None:
        shown_rows = ~pooled_mask(np.bincount(labels, minlength=len(names)), min_group_size)[labels]
    parts = coded_group_rows(labels, names, shown_rows, min_group_size, within)
    group_index = np.full(codes.shape[0], len(parts), dtype=np.intp)  # the last bucket: rows not shown
    for g, part in enumerate(parts):
        group_index[part.rows] = g
    counts = _grouped_counts(codes, group_index, len(parts) + 1, instrument.max_level)
    results = []
    for g, part in enumerate(parts):
        if part.suppressed:
            results.append(GroupResult(part.name, part.respondents, True, reason=part.reason, shown_respondents=0))
            continue
        table = statement_table(counts[g], instrument)
        results.append(GroupResult(part.name, part.respondents, False, table, theme_table(table, instrument),
                                   shown_respondents=len(part.rows)))
    return results, counts


def _grouped_counts(codes: np.ndarray, group_index: np.ndarray, n_groups: int, max_level: int) -> np.ndarray:
    """Counts per group, statement and answer code, shape (groups, statements, max_level + 2)."""
    width = max_level + 2
    counts = np.zeros((n_groups, codes.shape[1], width), dtype=np.int64)
    if n_groups == 0 or codes.shape[0] == 0:
        return counts
    base = group_index.astype(np.intp) * width + 1  # +1 shifts "missing" (-1) to slot 0
    if n_groups * width < 2**15:
        base = base.astype(np.int16)  # the keys of each column then take a quarter of the memory
    for j in range(codes.shape[1]):
        # One bincount per column over a combined (group, code) key: a single pass, no sorting.
        keys = base + codes[:, j]
        counts[:, j, :] = np.bincount(keys, minlength=n_groups * width).reshape(n_groups, width)
    return counts


def summarize_codes(codes: np.ndarray, instrument: Instrument, groups: pd.Series | None = None,
                    group_column: str | None = None, threshold: float = DEFAULT_THRESHOLD,
                    min_group_size: int = DEFAULT_MIN_GROUP_SIZE, shown_rows: np.ndarray | None = None,
                    selection: np.ndarray | None = None) -> Summary:
    """The brief's numbers. SHOWN_ROWS: respondents in shown cells (privacy); SELECTION: a filter's rows.

    Without a selection the overall figures are the whole file's; with one, its shown cells'.
    """
    overall = codes if selection is None else codes[selection & _all_or(shown_rows, len(codes))]
    results, counts = None, None
    if groups is not None:
        results, grouped = _group_results(codes, groups, instrument, min_group_size, shown_rows, selection)
        if selection is None:
            counts = grouped.sum(axis=0)  # every row is in exactly one bucket: the counts of the whole file
    if counts is None:
        counts = answer_counts(overall, instrument.max_level)
    statements = statement_table(counts, instrument)
    summary = Summary(instrument=instrument, respondents=int(overall.shape[0]), statements=statements,
                      themes=theme_table(statements, instrument),
                      weak=weak_statements(statements, threshold), threshold=threshold,
                      min_group_size=min_group_size, group_column=group_column)
    if results is not None:
        summary.groups = results
    return summary


def _all_or(mask: np.ndarray | None, n: int) -> np.ndarray:
    return np.ones(n, dtype=bool) if mask is None else mask


def distribution(statements: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Tidy answer distribution: statement, answer label, count, share of respondents."""
    rows = []
    for _, row in statements.iterrows():
        total = row["n_known"] + row["n_unknown"] + row["n_missing"]
        answered = row["n_known"] + row["n_unknown"]
        for level, label in enumerate(instrument.level_labels, start=1):
            rows.append((row["id"], row["theme"], level, label, row[f"n_{level}"], total, answered))
        rows.append((row["id"], row["theme"], UNKNOWN, instrument.unknown_label, row["n_unknown"], total,
                     answered))
        rows.append((row["id"], row["theme"], MISSING, "Niet ingevuld", row["n_missing"], total, answered))
    frame = pd.DataFrame(rows, columns=["id", "theme", "code", "answer", "count", "total", "answered"])
    frame["share"] = frame["count"] / frame["answered"].where(frame["answered"] > 0)
    return frame
