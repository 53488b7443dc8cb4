"""Progress between measurement rounds, as plain tables for the Voortgang page, the CLI and exports.

Every function takes summaries that were already made with the scoring rules, one per round,
in the order the rounds were measured; the minimum group size is therefore applied per round.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.overview import overall_score
from analysis.privacy import size_text
from analysis.scoring import Summary, level_of
from analysis.summary import format_score

TOTAL = "Totaal"


def _check_same_instrument(rounds: dict[str, Summary]) -> None:
    ids = {summary.instrument.id for summary in rounds.values()}
    if len(ids) > 1:
        names = ", ".join(sorted(ids))
        raise ValueError(f"Meetrondes van verschillende instrumenten zijn niet te vergelijken: {names}.")


def theme_progress(rounds: dict[str, Summary]) -> pd.DataFrame:
    """Tidy [round, theme, score, level] for overlaid radars and tables."""
    _check_same_instrument(rounds)
    frames = [summary.themes.assign(round=label)[["round", "theme", "score", "level"]]
              for label, summary in rounds.items()]
    return pd.concat(frames, ignore_index=True)


def statement_progress(rounds: dict[str, Summary]) -> pd.DataFrame:
    """Tidy [round, id, theme, score] for every round, for the dumbbell chart."""
    _check_same_instrument(rounds)
    frames = [summary.statements.assign(round=label)[["round", "id", "theme", "score"]]
              for label, summary in rounds.items()]
    return pd.concat(frames, ignore_index=True)


def statement_change(first: Summary, last: Summary) -> pd.DataFrame:
    """Per statement the score in the first and the last round and the change, largest rise first.

    A statement without a score in either round has no change and goes last.
    """
    _check_same_instrument({"a": first, "b": last})
    before = first.statements.set_index("id")
    after = last.statements.set_index("id")
    table = pd.DataFrame({
        "id": before.index, "theme": before["theme"].to_numpy(),
        "text": [first.instrument.statement(i).text for i in before.index],
        "score_first": before["score"].to_numpy(dtype=float), "level_first": before["level"].to_numpy(),
        "score_last": after.loc[before.index, "score"].to_numpy(dtype=float),
        "level_last": after.loc[before.index, "level"].to_numpy()})
    table["change"] = table["score_last"] - table["score_first"]
    return table.sort_values(["change", "id"], ascending=[False, True], na_position="last").reset_index(drop=True)


def largest_changes(change: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The N largest improvements (change > 0) and the N largest declines (change < 0)."""
    scored = change.dropna(subset=["change"])
    improvements = scored[scored["change"] > 0].sort_values(["change", "id"], ascending=[False, True]).head(n)
    declines = scored[scored["change"] < 0].sort_values(["change", "id"], ascending=[True, True]).head(n)
    return improvements.reset_index(drop=True), declines.reset_index(drop=True)


def group_trends(rounds: dict[str, Summary]) -> pd.DataFrame:
    """Tidy [group, round, respondents, suppressed, theme, score]: every theme plus the total.

    A group that is suppressed in a round has no scores in that round, only its size; a group
    that is absent in a round has no row for it.
    """
    _check_same_instrument(rounds)
    rows = []
    for label, summary in rounds.items():
        themes = list(summary.instrument.themes) + [TOTAL]
        for group in summary.groups:
            scores = {} if group.suppressed else dict(zip(group.themes["theme"], group.themes["score"]))
            if not group.suppressed:
                scores[TOTAL] = overall_score(group.themes)
            for theme in themes:
                score = scores.get(theme)
                rows.append({"group": group.name, "round": label, "respondents": group.respondents,
                             "size": size_text(group.respondents, group.reason, summary.min_group_size),
                             "suppressed": group.suppressed, "status": group.status_text(summary.min_group_size),
                             "theme": theme,
                             "score": math.nan if score is None else float(score)})
    columns = ["group", "round", "respondents", "size", "suppressed", "status", "theme", "score"]
    return pd.DataFrame(rows, columns=columns)


def _trend_cell(row) -> str:
    if row["suppressed"]:
        return row["status"]
    return f"{format_score(row['score'])} (n={row['size']})"


def group_trend_table(trends: pd.DataFrame, theme: str = TOTAL) -> pd.DataFrame:
    """Groups x rounds as text for one theme (or the total); an absent group says so."""
    rounds = list(dict.fromkeys(trends["round"]))
    subset = trends[trends["theme"] == theme]
    if subset.empty:
        return pd.DataFrame(columns=rounds)
    cells = subset.assign(cell=subset.apply(_trend_cell, axis=1))
    table = cells.pivot(index="group", columns="round", values="cell").reindex(columns=rounds)
    table = table.fillna("niet in deze ronde")
    table.index.name = None
    table.columns.name = None
    return table


def target_gaps(summary: Summary, targets: dict[str, float | None]) -> pd.DataFrame:
    """Per theme the latest score, the target level (if any) and how far the score is below it."""
    rows = []
    for theme, score in zip(summary.themes["theme"], summary.themes["score"]):
        target = targets.get(theme)
        has_both = target is not None and not pd.isna(score)
        gap = max(0.0, float(target) - float(score)) if has_both else math.nan
        rows.append({"theme": theme, "score": score, "level": level_of(score, summary.instrument),
                     "target": math.nan if target is None else float(target), "gap": gap,
                     "reached": bool(has_both and score >= target)})
    return pd.DataFrame(rows, columns=["theme", "score", "level", "target", "gap", "reached"])


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def comparison_to_dict(first_label: str, first: Summary, last_label: str, last: Summary) -> dict:
    """The command line's JSON for ``compare``: themes and statements of both rounds and the change."""
    themes = theme_progress({first_label: first, last_label: last})
    pivot = themes.pivot(index="theme", columns="round", values="score").reindex(list(first.instrument.themes))
    change = statement_change(first, last)
    improvements, declines = largest_changes(change)
    return {
        "rounds": [first_label, last_label],
        "respondents": [first.respondents, last.respondents],
        "themes": [{"theme": theme, "score_a": _number(row[first_label]), "score_b": _number(row[last_label]),
                    "change": _number(row[last_label] - row[first_label])} for theme, row in pivot.iterrows()],
        "statements": [{"id": int(r.id), "theme": r.theme, "score_a": _number(r.score_first),
                        "score_b": _number(r.score_last), "change": _number(r.change)}
                       for r in change.sort_values("id").itertuples()],
        "largest_improvements": [int(i) for i in improvements["id"]],
        "largest_declines": [int(i) for i in declines["id"]],
    }


def comparison_to_table(data: dict) -> str:
    first, last = data["rounds"]
    lines = [f"Vergelijking: {first} -> {last}",
             f"Respondenten: {data['respondents'][0]} -> {data['respondents'][1]}", "",
             f"{'Thema':<18}{'A':>7}{'B':>7}{'verschil':>10}"]
    lines += [f"{t['theme']:<18}{_text(t['score_a']):>7}{_text(t['score_b']):>7}{_signed(t['change']):>10}"
              for t in data["themes"]]
    lines += ["", f"{'Stelling':<10}{'thema':<18}{'A':>7}{'B':>7}{'verschil':>10}"]
    lines += [f"{s['id']:<10}{s['theme']:<18}{_text(s['score_a']):>7}{_text(s['score_b']):>7}"
              f"{_signed(s['change']):>10}" for s in data["statements"]]
    lines += ["", "Grootste vooruitgang: " + (", ".join(map(str, data["largest_improvements"])) or "geen"),
              "Grootste achteruitgang: " + (", ".join(map(str, data["largest_declines"])) or "geen")]
    return "\n".join(lines)


def _text(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _signed(value) -> str:
    return "-" if value is None else f"{value:+.2f}"


def round_labels(infos: list) -> list[str]:
    """Short, unique labels for rounds in charts: name and date, with the id when those repeat."""
    labels = [f"{info.name} ({info.date})" for info in infos]
    return [f"{label} [{info.round_id[:6]}]" if labels.count(label) > 1 else label
            for label, info in zip(labels, infos)]
