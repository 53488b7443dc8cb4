"""What the overview, the next-steps page and the exports say about a summary, as plain data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.kinds import KINDS
from analysis.scoring.privacy import size_text
from analysis.scoring.scores import (
    Summary,
    answer_counts,
    level_number,
    level_of,
    lowest_statements,
    statement_table,
    strongest_statements,
)


@dataclass
class Overview:
    respondents: int
    share_answered: float
    overall_score: float | None
    overall_level: str | None
    strongest: list[dict]
    weakest: list[dict]
    overall_text: str = ""
    phases: list[tuple[str, str]] = None  # (block, where it stands) for blocks passed in phases


def phase_reached(summary: Summary) -> list[tuple[str, str]]:
    """Per phased block, the phase it is in: the first phase with an item not met (share met below the
    threshold, or no judgement); past the last phase when every item is met."""
    scores = summary.statements.set_index("id")["score"]
    reached = []
    for block, phases in summary.instrument.phases:
        current = next((name for name, ids in phases
                        if any(not scores.get(i, float("nan")) >= summary.threshold for i in ids)), None)
        reached.append((block, f"fase {current}" if current else f"alle fasen voldaan (tot en met {phases[-1][0]})"))
    return reached


def statement_focus(summary: Summary, statement_id) -> dict:
    """A statement (or checklist item) with where it stands and the material for its next step.

    On a scale the next step is the description of the next level; on a checklist it is the tips,
    examples and reading of the section the item points to.
    """
    instrument = summary.instrument
    row = summary.statements.set_index("id").loc[statement_id]
    statement = instrument.statement(statement_id)
    focus = {"id": statement_id, "theme": statement.theme, "text": statement.text, "score": row["score"],
             "score_text": instrument.score_text(row["score"]), "reading": list(statement.reading),
             "tips": [], "examples": [], "section": None}
    step = _level_step if instrument.kind.has_levels else _section_step
    return focus | step(instrument, statement, row)


def _level_step(instrument, statement, row) -> dict:
    level = level_number(row["score"], instrument.max_level)
    has_next = level is not None and level < instrument.max_level
    return {"level": row["level"] or "geen oordeel",
            "current_description": statement.level_description(level) if level else "geen oordeel",
            "next_level": instrument.level_label(level + 1) if has_next else None,
            "next_description": statement.level_description(level + 1) if has_next else None}


def _section_step(instrument, statement, row) -> dict:
    material = instrument.step_material(statement)
    section = material.section
    known = int(row["n_known"])
    said = (f"{int(row['n_2'])} van de {known} respondenten met een oordeel zeggen dat het team hieraan voldoet."
            if known else "Niemand gaf een oordeel (ja of nee).")
    return {"level": instrument.kind.score_text(row["score"]), "current_description": said,
            "next_level": section.title if section else None, "next_description": None,
            "section": section, "tips": list(material.tips), "examples": list(material.examples),
            "reading": list(material.reading)}


def overall_score(themes: pd.DataFrame) -> float | None:
    """The organisation's (or a group's) total: the mean of the theme scores that exist."""
    scores = themes["score"].dropna()
    return float(scores.mean()) if len(scores) else None


def overview(summary: Summary, n: int = 3) -> Overview:
    statements = summary.statements
    cells = len(statements) * summary.respondents
    answered = statements["n_known"].sum() / cells if cells else 0.0
    overall = overall_score(summary.themes)
    return Overview(
        respondents=summary.respondents, share_answered=float(answered), overall_score=overall,
        overall_level=level_of(overall, summary.instrument),
        strongest=[statement_focus(summary, i) for i in strongest_statements(statements, n)],
        weakest=[statement_focus(summary, i) for i in lowest_statements(statements, n)],
        overall_text=summary.instrument.score_text(overall), phases=phase_reached(summary))


def next_steps(summary: Summary) -> tuple[list[dict], bool]:
    """Weak statements with their next step; when none are weak, the three lowest as focus points."""
    ids = summary.weak
    if ids:
        return [statement_focus(summary, i) for i in ids], True
    return [statement_focus(summary, i) for i in lowest_statements(summary.statements, 3)], False


def group_scores(summary: Summary) -> pd.DataFrame:
    """Tidy group x statement scores with the difference from the whole organisation.

    Suppressed groups have no score and no difference, only their respondent count and the flag.
    """
    overall = summary.statements.set_index("id")["score"]
    frames = []
    for group in summary.groups:
        scores = (pd.Series(float("nan"), index=overall.index) if group.suppressed
                  else group.statements.set_index("id")["score"])
        frames.append(pd.DataFrame({"group": group.name, "respondents": group.respondents,
                                    "size": size_text(group.respondents, group.reason, summary.min_group_size),
                                    "suppressed": group.suppressed,
                                    "status": group.status_text(summary.min_group_size), "id": overall.index,
                                    "score": scores.to_numpy(), "difference": (scores - overall).to_numpy()}))
    columns = ["group", "respondents", "size", "suppressed", "status", "id", "score", "difference"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def difference_table(scores: pd.DataFrame, instrument=None) -> pd.DataFrame:
    """Statements x groups, the difference from the organisation as text; suppressed groups say why.

    With INSTRUMENT the rows follow its order (item 1.2 before 1.10) and speak its words and units.
    """
    kind = instrument.kind if instrument is not None else KINDS["scale"]
    groups = list(dict.fromkeys(scores["group"]))
    pivot = scores.pivot_table(index="id", columns="group", values="difference", aggfunc="first", dropna=False)
    if instrument is not None:
        pivot = pivot.reindex([i for i in instrument.statement_ids if i in pivot.index])
    def signed(value) -> str:
        return "" if pd.isna(value) else kind.change_text(value)
    table = pivot.reindex(columns=groups).apply(lambda column: column.map(signed))
    status = scores.groupby("group", sort=False)["status"].first()
    for name in groups:
        if status[name]:
            table[name] = status[name]
    table.index = [f"{kind.item.capitalize()} {i}" for i in table.index]
    table.columns.name = None
    return table


def group_sizes(summary: Summary) -> pd.DataFrame:
    """Per group its size and whether (and why not) it is shown; a group partly in the pool says so."""
    minimum = summary.min_group_size
    return pd.DataFrame({"Groep": [g.name for g in summary.groups],
                         "Respondenten": [size_text(g.respondents, g.reason, minimum) for g in summary.groups],
                         "Status": [g.status_text(minimum) or shown_text(g) for g in summary.groups]})


def shown_text(group) -> str:
    """A shown group's status; when part of it is pooled, over how many of its members the figures go."""
    if group.shown_respondents is not None and group.shown_respondents < group.respondents:
        return f"getoond (cijfers over {group.shown_respondents} van {group.respondents})"
    return "getoond"


def group_download(scores: pd.DataFrame, kind=KINDS["scale"]) -> pd.DataFrame:
    """Group scores as handed out, every group: suppressed groups carry the reason instead of numbers."""
    return pd.DataFrame({
        "groep": scores["group"], "respondenten": scores["size"], kind.item: scores["id"],
        "score": scores["score"].round(2), "verschil met organisatie": scores["difference"].round(2),
        "status": scores["status"]})


def group_csv(scores: pd.DataFrame, kind) -> pd.DataFrame:
    """``group_download`` for a csv, which has no number formats: a checklist's shares as the whole percentages
    its pages show (62, not 0,62), in columns that say so."""
    table = group_download(scores, kind)
    if not kind.percent:
        return table
    return table.assign(score=(scores["score"] * 100).round(), **{
        "verschil met organisatie": (scores["difference"] * 100).round()}).rename(columns={
            "score": "% voldaan", "verschil met organisatie": "verschil met organisatie (procentpunt)"})


def completeness(codes, instrument) -> pd.DataFrame:
    """Per statement how many respondents gave a level, answered Onbekend, or left it empty."""
    table = statement_table(answer_counts(codes, instrument.max_level), instrument)
    return table[["id", "theme", "n_known", "n_unknown", "n_missing"]]
