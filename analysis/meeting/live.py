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
from analysis.scoring.privacy import REASON_TOO_SMALL
from analysis.scoring.scores import GroupResult, Summary
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
    """What the facilitator's screen may show now.

    The wall refreshes every few seconds, so any figure that changed by one answer would show that answer to a
    room that saw who just tapped. So the wall counts submitted answers only (final: they cannot change), and
    grows in whole steps of the minimum group size, per statement and per part of the room: each group, and the
    people without a group, count their first answerers in the order they submitted, in multiples of the
    minimum; the room is the sum of those parts. Every figure on the wall, and every difference of figures, now
    or between two refreshes, is then a sum of whole steps: at least the minimum number of people, or none. A
    group still below the minimum is not on the wall at all (nor in the room's figure) until it reaches it.
    Below the minimum there are only counts."""

    participants: int
    respondents: int            # participants who answered anything
    answers: int
    min_group_size: int
    summary: Summary | None     # None until the minimum submitted answers to any statement
    groups: list                # GroupResults of groups with a figure on the wall
    most_unknown: pd.DataFrame  # id, theme, n_unknown: most Onbekend first, only ids with any
    items_waiting: int = 0      # statements (items) with no figure yet
    submitted: int = 0          # participants who submitted
    counted: int = 0            # submitted participants counted in some figure on the wall


def live_view(instrument: Instrument, participants: list[tuple[str, str]], answers: list[tuple[str, str, int]],
              min_group_size: int, threshold: float | None = None, submitted: list[str] | None = None) -> LiveView:
    """SUBMITTED: the participants who submitted, in the order they did (without it: nobody)."""
    group_of = {participant: group or "" for participant, group in participants}
    order = [p for p in dict.fromkeys(submitted or []) if p in group_of]
    parts = {name: released([a for a in answers if group_of.get(a[0]) == name],
                            [p for p in order if group_of[p] == name], min_group_size)
             for name in dict.fromkeys(sorted(group_of.values()))}
    room = [answer for part in parts.values() for answer in part]
    respondents = len({a[0] for a in answers})
    empty = pd.DataFrame(columns=["id", "theme", "n_unknown"])
    if not room:
        return LiveView(len(participants), respondents, len(answers), min_group_size, None, [], empty,
                        len(instrument.statement_ids), len(order))
    summary = summarize(answers_dataset(instrument, participants, room, {"filename": LIVE_LAYOUT}), None,
                        threshold, min_group_size)
    groups = [_group_result(instrument, participants, name, part, min_group_size, threshold)
              for name, part in parts.items() if name]
    summary = replace(summary, groups=groups)
    statements = summary.statements
    unknown = statements[statements["n_unknown"] > 0].sort_values("n_unknown", ascending=False, kind="stable")
    return LiveView(len(participants), respondents, len(answers), min_group_size, summary,
                    [g for g in groups if not g.suppressed],
                    unknown[["id", "theme", "n_unknown"]].head(MOST_UNKNOWN).reset_index(drop=True),
                    int((_answered(statements) == 0).sum()), len(order), len({a[0] for a in room}))


def released(answers: list[tuple[str, str, int]], order: list[str], step: int) -> list[tuple[str, str, int]]:
    """Of ANSWERS, those of participants in ORDER: per item its first answerers in that order, in whole STEPs."""
    rank = {p: i for i, p in enumerate(order)}
    per_item: dict[str, list[tuple[int, tuple]]] = {}
    for answer in answers:
        if answer[0] in rank:
            per_item.setdefault(str(answer[1]), []).append((rank[answer[0]], answer))
    kept = []
    for given in per_item.values():
        given.sort(key=lambda ranked: ranked[0])
        kept += [answer for _, answer in given[:len(given) // step * step]]
    return kept


def _group_result(instrument: Instrument, participants: list[tuple[str, str]], name: str, part: list,
                  minimum: int, threshold: float | None) -> GroupResult:
    """A group's figures over its released answers; without any it is hidden, with its number of participants."""
    size = sum(1 for _, group in participants if (group or "") == name)
    if not part:
        return GroupResult(name, size, True, reason=REASON_TOO_SMALL, shown_respondents=0)
    group = summarize(answers_dataset(instrument, participants, part, {"filename": LIVE_LAYOUT}), None, threshold,
                      minimum)
    return GroupResult(name, size, False, group.statements, group.themes,
                       shown_respondents=len({a[0] for a in part}))


def _answered(statements: pd.DataFrame) -> np.ndarray:
    return (statements["n_known"] + statements["n_unknown"]).to_numpy()


def priorities(votes: list[tuple[str, str]], items: list, instrument: Instrument, top: int) -> list:
    """The TOP items with at least one vote, as the instrument's own ids (7, "1.3"), most votes first."""
    ids = {str(i): i for i in instrument.statement_ids}
    table = tally(votes, items)
    return [ids[str(i)] for i in table[table["votes"] > 0]["id"].head(max(int(top), 0)) if str(i) in ids]
