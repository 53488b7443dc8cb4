"""Bind a dataset to the scoring rules and express the result as the command line's JSON.

The JSON shape is the command-line contract of the brief; pages and exports use the same
``Summary`` so every surface shows the same numbers.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.errors import IngestError
from analysis.ingest import Dataset
from analysis.scoring import (
    DEFAULT_MIN_GROUP_SIZE,
    DEFAULT_THRESHOLD,
    NO_SCORE_TEXT,
    SUPPRESSED_TEXT,
    Summary,
    summarize_codes,
)


def find_group_column(dataset: Dataset, name: str) -> str:
    """The metadata column an analyst means by NAME: its label or any of its header cells."""
    wanted = name.strip().lower()
    for column in dataset.columns:
        if column.role not in ("metadata", "system"):
            continue
        if wanted == column.label.strip().lower() or wanted in (h.strip().lower() for h in column.headers):
            if column.label in dataset.metadata.columns:
                return column.label
    known = ", ".join(f"'{c}'" for c in dataset.metadata.columns) or "geen"
    raise IngestError(f"Groepskolom '{name}' niet gevonden; beschikbare kolommen: {known}.")


def summarize(dataset: Dataset, team_column: str | None = None, threshold: float = DEFAULT_THRESHOLD,
              min_group_size: int = DEFAULT_MIN_GROUP_SIZE, also_hidden=frozenset()) -> Summary:
    groups = None
    if team_column:
        team_column = find_group_column(dataset, team_column)
        groups = dataset.metadata[team_column]
    return summarize_codes(dataset.codes, dataset.instrument, groups, team_column, threshold, min_group_size,
                           also_hidden)


def _round(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 2)


def statements_json(statements: pd.DataFrame) -> list[dict]:
    return [{"id": int(r.id), "theme": r.theme, "n_known": int(r.n_known), "n_unknown": int(r.n_unknown),
             "n_missing": int(r.n_missing), "score": _round(r.score), "level": r.level}
            for r in statements.itertuples()]


def themes_json(themes: pd.DataFrame) -> list[dict]:
    return [{"theme": r.theme, "score": _round(r.score), "level": r.level} for r in themes.itertuples()]



def summary_to_dict(summary: Summary) -> dict:
    result = {"respondents": summary.respondents, "statements": statements_json(summary.statements),
              "themes": themes_json(summary.themes), "weak_statements": summary.weak}
    if summary.group_column is not None:
        result["teams"] = [
            {"team": g.name, "respondents": g.respondents, "suppressed": g.suppressed,
             "statements": [] if g.suppressed else statements_json(g.statements),
             "themes": [] if g.suppressed else themes_json(g.themes)}
            for g in summary.groups]
    return result


def format_score(score) -> str:
    value = _round(score)
    return NO_SCORE_TEXT if value is None else f"{value:.2f}".replace(".", ",")


def summary_to_table(summary: Summary) -> str:
    """A plain-text report for people at a terminal."""
    lines = [f"{summary.instrument.title}", f"Respondenten: {summary.respondents}", "",
             f"{'Nr':>3}  {'Thema':<16} {'Score':>12}  {'Niveau':<13} {'bekend':>6} {'onbekend':>8} {'leeg':>5}"]
    for r in summary.statements.itertuples():
        lines.append(f"{r.id:>3}  {r.theme:<16} {format_score(r.score):>12}  {r.level or '':<13} "
                     f"{r.n_known:>6} {r.n_unknown:>8} {r.n_missing:>5}")
    lines += ["", "Thema's:"]
    lines += [f"  {r.theme:<16} {format_score(r.score):>12}  {r.level or ''}" for r in summary.themes.itertuples()]
    weak = ", ".join(map(str, summary.weak)) or "geen"
    lines += ["", f"Zwakke stellingen (score onder {summary.threshold:g}): {weak}"]
    if summary.group_column is not None:
        lines += ["", f"Groepen ({summary.group_column}, minimaal {summary.min_group_size} respondenten):"]
        for g in summary.groups:
            if g.suppressed:
                lines.append(f"  {g.name:<24} n={g.respondents:<5} {SUPPRESSED_TEXT}")
                continue
            themes = "  ".join(f"{t.theme[:5]}: {format_score(t.score)}" for t in g.themes.itertuples())
            lines.append(f"  {g.name:<24} n={g.respondents:<5} {themes}")
    return "\n".join(lines)


GROUP_WORDS = ("team", "afdeling", "unit", "locatie", "vestiging", "regio", "wijk", "organisatieonderdeel")


def suggest_group_column(dataset: Dataset) -> str | None:
    """The metadata column that most likely names a team or department, if any."""
    for word in GROUP_WORDS:
        for column in dataset.metadata.columns:
            values = dataset.metadata[column]
            if word in column.lower() and 1 < values.nunique() < max(2, dataset.n_respondents):
                return column
    return None
