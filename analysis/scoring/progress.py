"""Progress between measurement rounds, as plain tables for the Voortgang page, the CLI and exports.

Every function takes summaries that were already made with the scoring rules, one per round,
in the order the rounds were measured; the minimum group size is therefore applied per round.

A change only counts as progress or decline when it is larger than the respondents' spread makes
likely by chance. The interval is the normal approximation of a 95% interval for the difference of
two independent means, diff ± 1.96·√(s₁²/n₁ + s₂²/n₂), with s the sample standard deviation (n − 1)
of the known answers and n their number. The rounds are treated as independent samples: answers are
anonymous and cannot be paired per person, and a round often has other respondents than the last.
A statement with fewer than two known answers in either round has no interval and no verdict.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.dutch import format_date, format_number
from analysis.scoring.overview import overall_score
from analysis.scoring.privacy import size_text
from analysis.scoring.scores import Summary, level_of, plain_id
from analysis.scoring.summary import format_score, score_cell

TOTAL = "Totaal"
Z95 = 1.959964  # two-sided 95% of the normal distribution
NO_CLEAR_CHANGE = "geen duidelijke verandering"


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


def _moments(counts, values) -> tuple[int, float, float]:
    """Number, mean and sample variance of the known answers given as counts per level."""
    counts = np.asarray(counts, dtype=float)
    values = np.asarray(values, dtype=float)
    n = int(counts.sum())
    if n == 0:
        return 0, math.nan, math.nan
    mean = float((counts * values).sum() / n)
    variance = float((counts * (values - mean) ** 2).sum() / (n - 1)) if n > 1 else math.nan
    return n, mean, variance


def _values(counts, values) -> tuple[float, ...]:
    return tuple(values) if values is not None else tuple(float(i) for i in range(1, len(counts) + 1))


def score_interval(counts, values=None, z: float = Z95) -> tuple[float, float] | None:
    """A 95% interval for a statement score from its answer counts per level (level 1 first).

    mean ± 1.96·s/√n (normal approximation, s the sample standard deviation of the known answers),
    kept within the scale; None with fewer than two known answers. VALUES are what each level is
    worth (1..5 by default; a checklist's Nee/Ja are 0 and 1).
    """
    values = _values(counts, values)
    n, mean, variance = _moments(counts, values)
    if n < 2:
        return None
    half = z * math.sqrt(variance / n)
    return max(min(values), mean - half), min(max(values), mean + half)


def change_interval(counts_first, counts_last, values=None, z: float = Z95) -> tuple[float, float, float] | None:
    """The change of a score between two rounds and its 95% interval: (change, low, high), or None.

    diff ± 1.96·√(s₁²/n₁ + s₂²/n₂) over two independent samples, kept within what a change can be
    (± the width of the scale: ±4 levels, ±100 percentage points); None with fewer than two known
    answers in either round.
    """
    values = _values(counts_first, values)
    n1, mean1, var1 = _moments(counts_first, values)
    n2, mean2, var2 = _moments(counts_last, values)
    if n1 < 2 or n2 < 2:
        return None
    change = mean2 - mean1
    half = z * math.sqrt(var1 / n1 + var2 / n2)
    span = max(values) - min(values)
    return change, max(-span, change - half), min(span, change + half)


def _level_counts(summary: Summary) -> pd.DataFrame:
    levels = [f"n_{level}" for level in range(1, summary.instrument.max_level + 1)]
    return summary.statements.set_index("id")[levels]


def statement_change(first: Summary, last: Summary) -> pd.DataFrame:
    """Per statement the score in the first and the last round, the change and its 95% interval, largest rise first.

    ``significant`` is True when the interval excludes 0: only then is the change called progress or
    decline. A statement without a score in either round has no change and goes last.
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
    counts_first, counts_last = _level_counts(first), _level_counts(last).loc[before.index]
    values = first.instrument.level_values
    intervals = [change_interval(a, b, values) for a, b in zip(counts_first.to_numpy(), counts_last.to_numpy())]
    table["change_low"] = [math.nan if i is None else i[1] for i in intervals]
    table["change_high"] = [math.nan if i is None else i[2] for i in intervals]
    table["significant"] = (table["change_low"] > 0) | (table["change_high"] < 0)
    return table.sort_values(["change", "id"], ascending=[False, True], na_position="last").reset_index(drop=True)


def largest_changes(change: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The N largest clear improvements and the N largest clear declines: changes whose interval excludes 0."""
    clear = change[change["significant"]] if "significant" in change else change.dropna(subset=["change"])
    improvements = clear[clear["change"] > 0].sort_values(["change", "id"], ascending=[False, True]).head(n)
    declines = clear[clear["change"] < 0].sort_values(["change", "id"], ascending=[True, True]).head(n)
    return improvements.reset_index(drop=True), declines.reset_index(drop=True)


def verdict(row) -> str:
    """In words, for a manager: 'vooruitgang', 'achteruitgang' or 'geen duidelijke verandering'."""
    if not row["significant"]:
        return NO_CLEAR_CHANGE
    return "vooruitgang" if row["change"] > 0 else "achteruitgang"


def interval_text(low, high, kind=None) -> str:
    """'+0,12 tot +0,58' (decimal commas); on a checklist (KIND with percent scores) in percentage points,
    as its change is: '-23 tot +35 procentpunt'. No interval is '–'."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    if kind is not None and kind.percent:
        return f"{round(float(low) * 100):+d} tot {round(float(high) * 100):+d} procentpunt"
    return f"{format_number(low, signed=True)} tot {format_number(high, signed=True)}"


def change_text(change, kind=None) -> str:
    """A change in the kind's words ('+0,45'; '+12 procentpunt' on a checklist); no change is '–'."""
    if change is None or pd.isna(change):
        return "–"
    return kind.change_text(change) if kind is not None else format_number(change, signed=True)


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


def _trend_cell(row, kind=None) -> str:
    if row["suppressed"]:
        return row["status"]
    score = row["score"]
    shown = _text(score, kind) if kind is not None and kind.percent and not pd.isna(score) else format_score(score)
    return f"{shown} (n={row['size']})"


def group_trend_table(trends: pd.DataFrame, theme: str = TOTAL, kind=None) -> pd.DataFrame:
    """Groups x rounds as text for one theme (or the total); an absent group says so. KIND: the instrument's
    kind, so a checklist's share reads "61%" (not "0,61")."""
    rounds = list(dict.fromkeys(trends["round"]))
    subset = trends[trends["theme"] == theme]
    if subset.empty:
        return pd.DataFrame(columns=rounds)
    cells = subset.assign(cell=subset.apply(_trend_cell, axis=1, kind=kind))
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


def _in_instrument_order(change: pd.DataFrame, summary: Summary) -> pd.DataFrame:
    """CHANGE's rows in the instrument's order (item 1.2 before 1.10; statement 2 before 10)."""
    return change.set_index("id").loc[summary.instrument.statement_ids].reset_index()


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
        "statements": [{"id": plain_id(r.id), "theme": r.theme, "score_a": _number(r.score_first),
                        "score_b": _number(r.score_last), "change": _number(r.change),
                        "change_low": _number(r.change_low), "change_high": _number(r.change_high),
                        "significant": bool(r.significant)}
                       for r in _in_instrument_order(change, first).itertuples()],
        "largest_improvements": [plain_id(i) for i in improvements["id"]],
        "largest_declines": [plain_id(i) for i in declines["id"]],
    }


def comparison_to_table(data: dict, kind=None) -> str:
    """The comparison as the command line prints it, in the instrument KIND's words (a checklist's items,
    bouwstenen and shares met in percent and procentpunt); without a kind, the QuickScan's."""
    first, last = data["rounds"]
    group, item = (kind.group, kind.item) if kind is not None else ("thema", "stelling")
    lines = [f"Vergelijking: {first} -> {last}",
             f"Respondenten: {data['respondents'][0]} -> {data['respondents'][1]}", "",
             f"{group.capitalize():<18}{'A':>7}{'B':>7}{'verschil':>17}"]
    lines += [f"{t['theme']:<18}{_text(t['score_a'], kind):>7}{_text(t['score_b'], kind):>7}"
              f"{change_text(t['change'], kind):>17}" for t in data["themes"]]
    lines += ["", f"{item.capitalize():<10}{group:<18}{'A':>7}{'B':>7}{'verschil':>17}  {'95%-interval':<28}oordeel"]
    lines += [f"{s['id']:<10}{s['theme']:<18}{_text(s['score_a'], kind):>7}{_text(s['score_b'], kind):>7}"
              f"{change_text(s['change'], kind):>17}  {_interval(s, kind):<28}{_verdict(s)}"
              for s in data["statements"]]
    lines += ["", "Grootste vooruitgang: " + (", ".join(map(str, data["largest_improvements"])) or NO_CLEAR_CHANGE),
              "Grootste achteruitgang: " + (", ".join(map(str, data["largest_declines"])) or NO_CLEAR_CHANGE),
              "Een verandering telt alleen als het 95%-interval (uit de spreiding van de antwoorden) 0 niet bevat."]
    return "\n".join(lines)


def _text(value, kind=None) -> str:
    if value is None:
        return "-"
    return f"{round(float(value) * 100):d}%" if kind is not None and kind.percent else format_number(value)


def _interval(item: dict, kind=None) -> str:
    return interval_text(item["change_low"], item["change_high"], kind) if item["change_low"] is not None else "-"


def _verdict(item: dict) -> str:
    if item["change"] is None:
        return "-"
    return verdict(item)


def round_labels(infos: list) -> list[str]:
    """Short, unique labels for rounds in charts: name and date, with the id when those repeat."""
    labels = [f"{info.name} ({format_date(info.date)})" for info in infos]
    return [f"{label} [{info.round_id[:6]}]" if labels.count(label) > 1 else label
            for label, info in zip(labels, infos)]


def earlier_rounds(rounds: list, current) -> list:
    """The rounds CURRENT can be compared with: measured before it, of the same instrument.

    The same organisation's rounds come first, then other organisations' (a leernetwerk compares too); within
    each, the latest first, so the default choice is "the previous round". Never CURRENT itself or a later round.
    """
    candidates = [r for r in rounds if r.round_id != current.round_id and r.instrument_id == current.instrument_id
                  and r.date < current.date]
    candidates.sort(key=lambda r: (r.date, r.saved_at), reverse=True)
    return sorted(candidates, key=lambda r: r.organisation != current.organisation)


def score_with_interval(summary: Summary) -> dict:
    """Per statement '3,25 (2,90–3,60)': the score and its 95% interval, so 4 answers read differently from 40."""
    counts = _level_counts(summary)
    values = summary.instrument.level_values
    texts = {}
    for statement_id, score in zip(summary.statements["id"], summary.statements["score"]):
        interval = score_interval(counts.loc[statement_id].to_numpy(), values)
        scale = summary.instrument.score_scale
        bounds = "" if interval is None else f" ({scale.short(interval[0])}–{scale.short(interval[1])})"
        texts[plain_id(statement_id)] = score_cell(score, summary.instrument.kind) + bounds
    return texts


def change_table(first: Summary, last: Summary) -> pd.DataFrame:
    """The Voortgang table in Dutch text: per statement both scores with their interval, the change, its
    interval and the verdict; statement order."""
    # In the instrument's order (1.2 before 1.10), not by change.
    change = _in_instrument_order(statement_change(first, last), first)
    before, after = score_with_interval(first), score_with_interval(last)
    kind = first.instrument.kind
    return pd.DataFrame({
        kind.item.capitalize(): change["id"].to_numpy(), kind.group.capitalize(): change["theme"].to_numpy(),
        "Eerste ronde (95%)": [before[i] for i in change["id"]],
        "Laatste ronde (95%)": [after[i] for i in change["id"]],
        "Verandering": [change_text(c, kind) for c in change["change"]],
        "95%-interval verandering": [interval_text(lo, hi, kind) for lo, hi in zip(change["change_low"],
                                                                                   change["change_high"])],
        "Oordeel": ["–" if pd.isna(row["change"]) else verdict(row) for _, row in change.iterrows()]})


def target_options(instrument) -> list[float | None]:
    """What a target can be: no target, or a level (half levels too) on a level scale; a share on a checklist."""
    if instrument.kind.has_levels:
        return [None, *[step / 2 for step in range(2, 2 * instrument.max_level + 1)]]
    return [None, *[step / 10 for step in range(1, 11)]]


def target_label(value: float | None, instrument) -> str:
    """'geen doel', '4 · Gevorderd', '3,5' or '70%' — how a target reads in the selectbox."""
    if value is None:
        return "geen doel"
    if not instrument.kind.has_levels:
        return f"{value:.0%}"
    if float(value).is_integer():
        return f"{int(value)} · {instrument.level_labels[int(value) - 1]}"
    return format_number(value, decimals=1)


def _share(value, suffix: str = "%") -> str:
    return "–" if value is None or pd.isna(value) else f"{round(float(value) * 100):d}{suffix}"


def gaps_table(gaps: pd.DataFrame, instrument=None) -> pd.DataFrame:
    """``target_gaps`` in Dutch text for a table: decimal commas, 'ja'/'nee'. For a checklist (INSTRUMENT's kind
    with percent scores) in its own words: per bouwsteen, shares ("62%"), the gap in procentpunt, no level."""
    kind = instrument.kind if instrument is not None else None
    if kind is not None and kind.percent:
        return pd.DataFrame({kind.group.capitalize(): gaps["theme"], "Score": [_share(s) for s in gaps["score"]],
                             "Doel": [_share(t) for t in gaps["target"]],
                             "Afstand tot doel": [_share(g, " procentpunt") for g in gaps["gap"]],
                             "Gehaald": ["ja" if r else "nee" for r in gaps["reached"]]})
    return pd.DataFrame({"Thema": gaps["theme"], "Score": [format_number(s) for s in gaps["score"]],
                         "Niveau": gaps["level"].fillna("geen oordeel"),
                         "Doel": [format_number(t, decimals=1) for t in gaps["target"]],
                         "Afstand tot doel": [format_number(g) for g in gaps["gap"]],
                         "Gehaald": ["ja" if r else "nee" for r in gaps["reached"]]})


def _number_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def plan_follow_up(plan, change: pd.DataFrame, instrument) -> list[dict]:
    """The return day: per focus of the earlier round's plan, its actions beside the change since.

    CHANGE is ``statement_change(earlier, later)``; each row says the scores then and now, the change
    with its 95% interval and ``verdict`` (progress or decline only when larger than chance), and the
    actions as agreed (wat, wie, wanneer), with their status now. Both kinds: a statement 7 or an item
    "1.3"; a checklist's change and interval are in percentage points.
    """
    kind = instrument.kind
    by_id = change.set_index(change["id"].map(str))
    rows = []
    for focus in plan.focuses:
        key = str(focus.item_id)
        row = by_id.loc[key] if key in by_id.index else None
        known = row is not None and not pd.isna(row["change"])
        rows.append({
            "id": focus.item_id, "text": instrument.statement(focus.item_id).text,
            "score_first": None if row is None else _number_or_none(row["score_first"]),
            "score_last": None if row is None else _number_or_none(row["score_last"]),
            "change": row["change"] if known else None,
            "change_text": kind.change_text(row["change"]) if known else "–",
            "interval": interval_text(row["change_low"], row["change_high"], kind) if known else "–",
            "verdict": verdict(row) if known else "geen vergelijking mogelijk",
            "actions": [(a.what, a.who, format_date(a.when) if a.when else "", a.status_label)
                        for a in focus.actions]})
    return rows


def follow_up_lines(row: dict, instrument) -> tuple[str, tuple[str, ...]]:
    """One focus of the return day in words: the headline, and one line per action with its status."""
    kind = instrument.kind
    scores = f"{kind.score_text(row['score_first'])} → {kind.score_text(row['score_last'])}"
    head = f"{kind.item.capitalize()} {row['id']}: {scores} ({row['change_text']}; {row['verdict']})"
    actions = tuple(" · ".join(part for part in action if part) for action in row["actions"])
    return head, actions or ("er was geen actie afgesproken",)
