"""The scoring rules of the brief, in one place for the command line, the pages and the exports.

Statement score = mean of known answers; theme score = unweighted mean of its scored
statements; level of a score by the half-way bands; weak statements below a threshold; groups
below the minimum size suppressed, with one complementary suppression so a hidden group can
never be recovered by subtraction from the (always shown) total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.instrument import Instrument
from analysis.matching import MISSING, UNKNOWN

DEFAULT_THRESHOLD = 3.0
DEFAULT_MIN_GROUP_SIZE = 5
NO_SCORE_TEXT = "geen oordeel"
SUPPRESSED_TEXT = "te weinig respondenten"
EMPTY_GROUP = "(niet ingevuld)"


def level_of(score: float | None, instrument: Instrument) -> str | None:
    """Level label for a score: below 1.5 the first level, below 2.5 the second, and so on."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
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
    sums = (counts[:, 2:] * levels).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(known > 0, sums / np.maximum(known, 1), np.nan)
    frame = pd.DataFrame({
        "id": instrument.statement_ids,
        "theme": [s.theme for s in instrument.statements],
        "text": [s.text for s in instrument.statements],
        "n_known": known, "n_unknown": counts[:, 1], "n_missing": counts[:, 0],
        "score": scores,
    })
    for level in levels:
        frame[f"n_{level}"] = counts[:, level + 1]
    # object dtype keeps None (no score) as None instead of NaN
    frame["level"] = pd.Series([level_of(s, instrument) for s in scores], dtype=object)
    return frame


def theme_table(statements: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    rows = []
    for theme in instrument.themes:
        scores = statements.loc[statements["theme"] == theme, "score"].dropna()
        score = float(scores.mean()) if len(scores) else float("nan")
        rows.append({"theme": theme, "score": score, "level": level_of(score, instrument),
                     "n_statements_scored": len(scores)})
    frame = pd.DataFrame(rows)
    frame["level"] = frame["level"].astype(object).where(frame["level"].notna(), None)
    return frame


def weak_statements(statements: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> list[int]:
    """Statements scoring below the threshold, lowest first, ties by statement number."""
    weak = statements[statements["score"] < threshold].sort_values(["score", "id"], kind="stable")
    return [int(i) for i in weak["id"]]


def lowest_statements(statements: pd.DataFrame, n: int = 3) -> list[int]:
    scored = statements.dropna(subset=["score"]).sort_values(["score", "id"], kind="stable")
    return [int(i) for i in scored["id"].head(n)]


def strongest_statements(statements: pd.DataFrame, n: int = 3) -> list[int]:
    scored = statements.dropna(subset=["score"]).assign(neg=lambda f: -f["score"])
    return [int(i) for i in scored.sort_values(["neg", "id"], kind="stable")["id"].head(n)]


@dataclass
class GroupResult:
    name: str
    respondents: int
    suppressed: bool
    statements: pd.DataFrame | None = None
    themes: pd.DataFrame | None = None


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


def suppressed_groups(sizes: dict[str, int], min_group_size: int, also_hidden=frozenset()) -> set[str]:
    """Groups below the minimum (and ALSO_HIDDEN), plus the smallest other one when exactly one is hidden."""
    hidden = {name for name, n in sizes.items() if n < min_group_size} | (set(also_hidden) & set(sizes))
    if len(hidden) == 1:
        others = sorted((n, name) for name, n in sizes.items() if name not in hidden)
        if others:
            hidden.add(others[0][1])
    return hidden


def group_labels(values: pd.Series) -> pd.Series:
    text = values.astype("string").fillna("").str.strip()
    return text.mask(text == "", EMPTY_GROUP)


def group_results(codes: np.ndarray, groups: pd.Series, instrument: Instrument,
                  min_group_size: int, also_hidden=frozenset()) -> list[GroupResult]:
    labels = group_labels(groups)
    group_index, names = pd.factorize(labels, sort=True)
    sizes = {str(name): int(n) for name, n in zip(names, np.bincount(group_index, minlength=len(names)))}
    hidden = suppressed_groups(sizes, min_group_size, also_hidden)
    counts = _grouped_counts(codes, group_index, len(names), instrument.max_level)
    results = []
    for g, name in enumerate(names):
        name = str(name)
        if name in hidden:
            results.append(GroupResult(name, sizes[name], True))
            continue
        table = statement_table(counts[g], instrument)
        results.append(GroupResult(name, sizes[name], False, table, theme_table(table, instrument)))
    return results


def _grouped_counts(codes: np.ndarray, group_index: np.ndarray, n_groups: int, max_level: int) -> np.ndarray:
    """Counts per group, statement and answer code, shape (groups, statements, max_level + 2)."""
    width = max_level + 2
    counts = np.zeros((n_groups, codes.shape[1], width), dtype=np.int64)
    if n_groups == 0 or codes.shape[0] == 0:
        return counts
    base = group_index.astype(np.intp) * width + 1  # +1 shifts "missing" (-1) to slot 0
    for j in range(codes.shape[1]):
        # One bincount per column over a combined (group, code) key: a single pass, no sorting.
        keys = base + codes[:, j]
        counts[:, j, :] = np.bincount(keys, minlength=n_groups * width).reshape(n_groups, width)
    return counts


def summarize_codes(codes: np.ndarray, instrument: Instrument, groups: pd.Series | None = None,
                    group_column: str | None = None, threshold: float = DEFAULT_THRESHOLD,
                    min_group_size: int = DEFAULT_MIN_GROUP_SIZE, also_hidden=frozenset()) -> Summary:
    """The brief's numbers; ALSO_HIDDEN names groups to suppress whatever their size (see filters)."""
    statements = statement_table(answer_counts(codes, instrument.max_level), instrument)
    summary = Summary(instrument=instrument, respondents=int(codes.shape[0]), statements=statements,
                      themes=theme_table(statements, instrument),
                      weak=weak_statements(statements, threshold), threshold=threshold,
                      min_group_size=min_group_size, group_column=group_column)
    if groups is not None:
        summary.groups = group_results(codes, groups, instrument, min_group_size, also_hidden)
    return summary


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
