"""Live sessions as data: join codes, the answers of the room as a round's Dataset, the dot vote's tally.

A live session lets people in one room fill in the instrument on their phones. The store keeps each
answer as it is given (``analysis.store.live``); this module holds the rules that need no database:
codes that cannot be guessed, how the answers become a Dataset exactly like an upload's (so every
page, export and comparison works on a closed session), and how votes are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.ingest.dataset import ISSUE_COLUMNS, ColumnInfo, Dataset
from analysis.ingest.matching import MISSING, UNKNOWN
from analysis.instrument import Instrument
from analysis.meeting.live_codes import (  # noqa: F401 - the rules of a session, re-exported with the rest
    ALPHABET,
    JOIN_LENGTH,
    MAX_ANSWERS_PER_MINUTE,
    MAX_PARTICIPANTS,
    RESUME_LENGTH,
    SESSION_HOURS,
    VOTES_PER_PARTICIPANT,
    new_code,
    normal_code,
    shown_code,
)
from analysis.scoring.scores import Summary, theme_table, weak_statements
from analysis.scoring.summary import summarize

GROUP_COLUMN = "Groep"
LIVE_LAYOUT = "Live sessie"


def answer_options(instrument: Instrument) -> list[tuple[int, str]]:
    """(code, label) a participant chooses from: the instrument's levels, then Onbekend."""
    return [(level, instrument.level_label(level)) for level in range(1, instrument.max_level + 1)] + \
        [(UNKNOWN, instrument.unknown_label)]


def answers_dataset(instrument: Instrument, participants: list[tuple[str, str]],
                    answers: list[tuple[str, str, int]], source: dict) -> Dataset:
    """The room's answers as a Dataset: one respondent per participant who answered anything.

    PARTICIPANTS is (participant, group) in joining order; ANSWERS (participant, item id, code). Items
    nobody was asked stay missing, like an empty cell of an upload; a participant who left halfway counts
    for what they answered.
    """
    index = {str(statement_id): j for j, statement_id in enumerate(instrument.statement_ids)}
    answered = [p for p, _ in participants if any(a[0] == p for a in answers)]
    rows = {p: i for i, p in enumerate(answered)}
    codes = np.full((len(answered), len(instrument.statement_ids)), MISSING, dtype=np.int8, order="F")
    for participant, item_id, code in answers:
        if participant in rows and str(item_id) in index:
            codes[rows[participant], index[str(item_id)]] = code
    groups = dict(participants)
    metadata = pd.DataFrame({GROUP_COLUMN: [groups[p] or "" for p in answered]}) if any(groups.values()) \
        else pd.DataFrame(index=pd.RangeIndex(len(answered)))
    columns = [ColumnInfo(0, GROUP_COLUMN, [GROUP_COLUMN], "metadata")] if GROUP_COLUMN in metadata else []
    return Dataset(instrument=instrument, layout=LIVE_LAYOUT, layout_kind="live", source=source, codes=codes,
                   respondent_ids=[f"deelnemer {i + 1}" for i in range(len(answered))], metadata=metadata,
                   columns=columns, issues=pd.DataFrame(columns=ISSUE_COLUMNS).astype({"blokkerend": bool}),
                   found=list(instrument.statement_ids))


def tally(votes: list[tuple[str, str]], items: list) -> pd.DataFrame:
    """Votes per item (participant, item id), most first, ties in the order the items were offered."""
    counts = pd.Series([str(item) for _, item in votes], dtype="object").value_counts()
    table = pd.DataFrame({"id": items, "votes": [int(counts.get(str(item), 0)) for item in items]})
    table["order"] = range(len(table))
    return table.sort_values(["votes", "order"], ascending=[False, True]).drop(columns="order").reset_index(drop=True)


MOST_UNKNOWN = 5  # statements with most Onbekend shown on the facilitator's screen


@dataclass(frozen=True)
class LiveView:
    """What the facilitator's screen may show now. Below the minimum group size only counts: no scores; and a
    statement (item) only once that many people answered it, or the first answers to a statement would be
    individual answers on the wall (six people in the room, one of them on statement 4: 'n=1, Inactief')."""

    participants: int
    respondents: int            # participants who answered anything
    answers: int
    min_group_size: int
    summary: Summary | None     # None until ``respondents`` reaches the minimum group size
    groups: list                # GroupResults of groups that reach the minimum (and are not suppressed)
    most_unknown: pd.DataFrame  # id, theme, n_unknown: most Onbekend first, only ids with any
    items_waiting: int = 0      # statements (items) not shown yet: fewer than the minimum answered them


def live_view(instrument: Instrument, participants: list[tuple[str, str]], answers: list[tuple[str, str, int]],
              min_group_size: int, threshold: float | None = None) -> LiveView:
    dataset = answers_dataset(instrument, participants, answers, {"filename": LIVE_LAYOUT})
    respondents = dataset.n_respondents
    empty = pd.DataFrame(columns=["id", "theme", "n_unknown"])
    if respondents < min_group_size:
        return LiveView(len(participants), respondents, len(answers), min_group_size, None, [], empty,
                        len(instrument.statement_ids))
    group = GROUP_COLUMN if GROUP_COLUMN in dataset.metadata else None
    summary = summarize(dataset, group, threshold, min_group_size)
    statements = _hidden(summary.statements, _answered(summary.statements) < min_group_size)
    groups = _groups_shown(statements, summary.groups, instrument, min_group_size)
    summary = replace(summary, statements=statements, themes=theme_table(statements, instrument),
                      weak=weak_statements(statements, summary.threshold), groups=groups)
    unknown = statements[statements["n_unknown"] > 0].sort_values("n_unknown", ascending=False, kind="stable")
    return LiveView(len(participants), respondents, len(answers), min_group_size, summary,
                    [g for g in groups if _group_on_wall(g, min_group_size)],
                    unknown[["id", "theme", "n_unknown"]].head(MOST_UNKNOWN).reset_index(drop=True),
                    int((_answered(statements) == 0).sum()))


def _answered(statements: pd.DataFrame) -> np.ndarray:
    return (statements["n_known"] + statements["n_unknown"]).to_numpy()


def _hidden(statements: pd.DataFrame, hide: np.ndarray) -> pd.DataFrame:
    """STATEMENTS with every figure of the rows in HIDE taken out: counted as if nobody answered them yet."""
    hide = hide & (_answered(statements) > 0)
    if not hide.any():
        return statements
    shown = statements.copy()
    counts = [c for c in statements.columns if c.startswith("n_") and c != "n_missing"]
    shown.loc[hide, "n_missing"] = shown.loc[hide, "n_missing"] + _answered(statements)[hide]
    shown.loc[hide, counts] = 0
    shown.loc[hide, "score"] = float("nan")
    shown["level"] = shown["level"].astype(object).where(~hide, None)
    return shown


def _group_on_wall(group, minimum: int) -> bool:
    return not group.suppressed and group.respondents >= minimum and group.statements is not None


def _groups_shown(room: pd.DataFrame, groups: list, instrument: Instrument, minimum: int) -> list:
    """Each group's statements only where the group has the minimum of answers, and only where the answers the
    groups on the wall leave out of the room's figure are none or the minimum: else the room minus the groups
    would give the answers of the few left out (one person of group A on statement 2, group B shown)."""
    shown = {}
    for group in groups:
        if _group_on_wall(group, minimum):
            shown[group.name] = _hidden(group.statements, _answered(group.statements) < minimum)
    covered = sum((_answered(s) for s in shown.values()), np.zeros(len(room), dtype=np.int64))
    rest = _answered(room) - covered
    risky = (rest > 0) & (rest < minimum)
    result = []
    for group in groups:
        if group.name not in shown:
            result.append(group)
            continue
        statements = _hidden(shown[group.name], risky)
        result.append(replace(group, statements=statements, themes=theme_table(statements, instrument)))
    return result


def priorities(votes: list[tuple[str, str]], items: list, instrument: Instrument, top: int) -> list:
    """The TOP items with at least one vote, as the instrument's own ids (7, "1.3"), most votes first."""
    ids = {str(i): i for i in instrument.statement_ids}
    table = tally(votes, items)
    return [ids[str(i)] for i in table[table["votes"] > 0]["id"].head(max(int(top), 0)) if str(i) in ids]
