"""Bind a dataset to the scoring rules and express the result as the command line's JSON.

The JSON shape is the command-line contract of the brief; pages and exports use the same
``Summary`` so every surface shows the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from analysis.errors import IngestError
from analysis.ingest.dataset import Dataset
from analysis.ingest.survey_tools import is_system_column
from analysis.kinds import KINDS, Kind
from analysis.scoring.filters import selection_mask, selection_problem
from analysis.scoring.privacy import PrivacySettings, build_partition, default_settings, min_group_size_note
from analysis.scoring.scores import (
    NO_SCORE_TEXT,
    Summary,
    plain_id,
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


def privacy_settings(dataset: Dataset, reporting_columns=None, min_group_size: int | None = None) -> PrivacySettings:
    """The analyst's choice saved with the dataset (a round), else the defaults; explicit values win."""
    saved = dataset.source.get("privacy")
    settings = PrivacySettings.from_dict(saved) if saved else default_settings(dataset.metadata)
    if reporting_columns is not None:
        columns = tuple(dict.fromkeys(find_group_column(dataset, c) for c in reporting_columns))
        settings = replace(settings, reporting_columns=columns)
    if min_group_size is not None:
        settings = replace(settings, min_group_size=int(min_group_size))
    return settings


def summarize(dataset: Dataset, team_column: str | None = None, threshold: float | None = None,
              min_group_size: int | None = None, reporting_columns=None,
              filters: dict[str, list[str]] | None = None) -> Summary:
    """Every figure over whole cells of the privacy partition (see analysis.scoring.privacy).

    THRESHOLD defaults to the instrument kind's (3,0 on the scale, 50% on a checklist).
    REPORTING_COLUMNS and MIN_GROUP_SIZE default to what was saved with the dataset, else to every
    grouping column and the deployment's minimum; a team column is always a reporting column.
    """
    settings = privacy_settings(dataset, reporting_columns, min_group_size)
    if threshold is None:
        threshold = dataset.instrument.kind.default_threshold
    groups = None
    if team_column:
        team_column = find_group_column(dataset, team_column)
        groups = dataset.metadata[team_column]
        if team_column not in settings.reporting_columns:
            settings = replace(settings, reporting_columns=(*settings.reporting_columns, team_column))
    partition = build_partition(dataset.metadata, settings.reporting_columns, settings.min_group_size)
    selection = None
    if filters and any(filters.values()):
        problem = selection_problem(dataset, filters, partition)
        if problem:
            raise SelectionError(problem)
        selection = selection_mask(dataset, filters)
    summary = summarize_codes(dataset.codes, dataset.instrument, groups, team_column, threshold,
                              settings.min_group_size, partition.shown_rows, selection)
    summary.reporting_columns = partition.columns
    summary.pooled_respondents = partition.pooled_respondents
    summary.min_group_size_note = min_group_size_note(settings.min_group_size)
    return summary


def _round(value) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 2)


def statements_json(statements: pd.DataFrame, kind: Kind = KINDS["scale"]) -> list[dict]:
    """Per statement (or item) the brief's fields, named as the instrument's kind names them."""
    rows = []
    for r in statements.to_dict("records"):
        row = {"id": plain_id(r["id"]), kind.json_group_field: r["theme"],
               **{key: int(r[column]) for key, column in kind.json_counts},
               "n_unknown": int(r["n_unknown"]), "n_missing": int(r["n_missing"]), "score": _round(r["score"])}
        if kind.has_levels:
            row["level"] = r["level"]
        rows.append(row)
    return rows


def themes_json(themes: pd.DataFrame, kind: Kind = KINDS["scale"]) -> list[dict]:
    rows = []
    for r in themes.itertuples():
        row = {kind.json_group_field: r.theme, "score": _round(r.score)}
        if kind.has_levels:
            row["level"] = r.level
        rows.append(row)
    return rows



def summary_to_dict(summary: Summary) -> dict:
    """The command line's JSON: the brief's shape for the instrument's kind."""
    kind = summary.instrument.kind
    result = {"instrument": summary.instrument.id, "respondents": summary.respondents,
              kind.json_items: statements_json(summary.statements, kind),
              kind.json_groups: themes_json(summary.themes, kind),
              kind.json_weak: [plain_id(i) for i in summary.weak]}
    if summary.group_column is not None:
        result["teams"] = [
            {"team": g.name, "respondents": g.respondents, "suppressed": g.suppressed,
             kind.json_items: [] if g.suppressed else statements_json(g.statements, kind),
             kind.json_groups: [] if g.suppressed else themes_json(g.themes, kind)}
            for g in summary.groups]
    return result


def format_score(score) -> str:
    value = _round(score)
    return NO_SCORE_TEXT if value is None else f"{value:.2f}".replace(".", ",")


class SelectionError(ValueError):
    """The filters select only respondents in cells too small to show; the message says so in Dutch."""


def _partly_shown(group) -> str:
    if group.shown_respondents is None or group.shown_respondents >= group.respondents:
        return ""
    return f"  (cijfers over {group.shown_respondents} van {group.respondents})"


def privacy_lines(summary: Summary) -> list[str]:
    """What the privacy model did, in words, for the table output and the exports."""
    lines = [f"Groepskenmerken: {', '.join(summary.reporting_columns) or 'geen'}."]
    if summary.pooled_respondents:
        lines.append(f"{summary.pooled_respondents} respondent(en) in kleine combinaties van groepskenmerken tellen "
                     "alleen mee in het totaal, niet in groepscijfers.")
    if summary.min_group_size_note:
        lines.append(summary.min_group_size_note)
    return lines


def summary_to_table(summary: Summary) -> str:
    """A plain-text report for people at a terminal, in the instrument kind's words."""
    kind, instrument = summary.instrument.kind, summary.instrument
    width = max(len(t) for t in instrument.themes) + 1
    level = f"{'Niveau':<13} " if kind.has_levels else ""
    lines = [f"{instrument.title}", f"Respondenten: {summary.respondents}", "",
             f"{'Nr':>4}  {kind.group.capitalize():<{width}} {'Score':>12}  {level}{'bekend':>6} {'onbekend':>8} "
             f"{'leeg':>5}"]
    for r in summary.statements.itertuples():
        level = f"{r.level or '':<13} " if kind.has_levels else ""
        lines.append(f"{r.id:>4}  {r.theme:<{width}} {score_cell(r.score, kind):>12}  {level}"
                     f"{r.n_known:>6} {r.n_unknown:>8} {r.n_missing:>5}")
    lines += ["", f"{kind.groups.capitalize()}:"]
    lines += [f"  {r.theme:<{width}} {score_cell(r.score, kind):>12}  {r.level or ''}".rstrip()
              for r in summary.themes.itertuples()]
    weak = ", ".join(map(str, summary.weak)) or "geen"
    lines += ["", f"Zwakke {kind.items} (score onder {kind.threshold_text(summary.threshold)}): {weak}"]
    if summary.group_column is not None:
        lines += ["", f"Groepen ({summary.group_column}, minimaal {summary.min_group_size} respondenten):"]
        for g in summary.groups:
            if g.suppressed:
                lines.append(f"  {g.name:<24} n={g.respondents:<5} {g.status_text(summary.min_group_size)}")
                continue
            themes = "  ".join(f"{t.theme[:5]}: {score_cell(t.score, kind)}" for t in g.themes.itertuples())
            lines.append(f"  {g.name:<24} n={g.respondents:<5} {themes}{_partly_shown(g)}")
        lines += privacy_lines(summary)
    elif summary.min_group_size_note:
        lines += ["", summary.min_group_size_note]
    return "\n".join(lines)


def score_cell(score, kind: Kind) -> str:
    """A score in a table: 2,80 on a scale, 62% on a checklist."""
    if kind.percent and _round(score) is not None:
        return f"{round(float(score) * 100):d}%"
    return format_score(score)


GROUP_WORDS = ("team", "afdeling", "unit", "locatie", "vestiging", "regio", "wijk", "organisatieonderdeel")


def suggest_group_column(dataset: Dataset) -> str | None:
    """The metadata column that most likely names a team or department, if any."""
    for word in GROUP_WORDS:
        for column in dataset.metadata.columns:
            values = dataset.metadata[column]
            if is_system_column(column):
                continue  # a survey tool's bookkeeping column never groups people
            if word in column.lower() and 1 < values.nunique() < max(2, dataset.n_respondents):
                return column
    return None
