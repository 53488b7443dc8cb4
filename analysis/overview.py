"""What the overview, the next-steps page and the exports say about a summary, as plain data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.scoring import Summary, level_number, level_of, lowest_statements, strongest_statements


@dataclass
class Overview:
    respondents: int
    share_answered: float
    overall_score: float | None
    overall_level: str | None
    strongest: list[dict]
    weakest: list[dict]


def statement_focus(summary: Summary, statement_id: int) -> dict:
    """A statement with its current level description and the description of the next level."""
    instrument = summary.instrument
    row = summary.statements.set_index("id").loc[statement_id]
    statement = instrument.statement(statement_id)
    level = level_number(row["score"], instrument.max_level)
    has_next = level is not None and level < instrument.max_level
    return {
        "id": statement_id, "theme": statement.theme, "text": statement.text, "score": row["score"],
        "level": row["level"] or "geen oordeel",
        "current_description": statement.level_description(level) if level else "geen oordeel",
        "next_level": instrument.level_label(level + 1) if has_next else None,
        "next_description": statement.level_description(level + 1) if has_next else None,
        "reading": list(statement.reading),
    }


def overview(summary: Summary, n: int = 3) -> Overview:
    statements = summary.statements
    cells = len(statements) * summary.respondents
    answered = statements["n_known"].sum() / cells if cells else 0.0
    theme_scores = summary.themes["score"].dropna()
    overall = float(theme_scores.mean()) if len(theme_scores) else None
    return Overview(
        respondents=summary.respondents, share_answered=float(answered), overall_score=overall,
        overall_level=level_of(overall, summary.instrument),
        strongest=[statement_focus(summary, i) for i in strongest_statements(statements, n)],
        weakest=[statement_focus(summary, i) for i in lowest_statements(statements, n)])


def next_steps(summary: Summary) -> tuple[list[dict], bool]:
    """Weak statements with their next step; when none are weak, the three lowest as focus points."""
    ids = summary.weak
    if ids:
        return [statement_focus(summary, i) for i in ids], True
    return [statement_focus(summary, i) for i in lowest_statements(summary.statements, 3)], False


def group_scores(summary: Summary) -> pd.DataFrame:
    """Tidy group x statement scores; suppressed groups have no score and are flagged."""
    rows = []
    for group in summary.groups:
        for statement_id in summary.instrument.statement_ids:
            score = None
            if not group.suppressed:
                score = float(group.statements.set_index("id").loc[statement_id, "score"])
            rows.append({"group": group.name, "respondents": group.respondents, "suppressed": group.suppressed,
                         "id": statement_id, "score": score})
    return pd.DataFrame(rows, columns=["group", "respondents", "suppressed", "id", "score"])


def group_download(scores: pd.DataFrame, overall: pd.Series) -> pd.DataFrame:
    """Group scores as handed out: suppressed groups carry the reason instead of numbers."""
    from analysis.scoring import SUPPRESSED_TEXT

    table = scores.assign(difference=scores["score"] - scores["id"].map(overall))
    return pd.DataFrame({
        "groep": table["group"], "respondenten": table["respondents"], "stelling": table["id"],
        "score": table["score"].round(2), "verschil met organisatie": table["difference"].round(2),
        "status": table["suppressed"].map({True: SUPPRESSED_TEXT, False: ""})})
