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
from analysis.scoring.privacy import REASON_PROTECTS, REASON_TOO_SMALL
from analysis.scoring.scores import GroupResult, Summary, theme_table
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
    each figure grows in whole steps of the minimum group size: a statement's figure for the room counts its
    first answerers in the order they submitted, in multiples of the minimum; a group's figure likewise, among
    those. Between two refreshes a figure is the same or differs by at least the minimum number of people.
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
    order = [p for p in dict.fromkeys(submitted or []) if p in dict(participants)]
    room = released(answers, order, min_group_size)
    respondents = len({a[0] for a in answers})
    empty = pd.DataFrame(columns=["id", "theme", "n_unknown"])
    waiting = len(instrument.statement_ids)
    if not room:
        return LiveView(len(participants), respondents, len(answers), min_group_size, None, [], empty, waiting,
                        len(order))
    summary = summarize(answers_dataset(instrument, participants, room, {"filename": LIVE_LAYOUT}), None,
                        threshold, min_group_size)
    groups = _groups_shown(summary.statements, _group_results(instrument, participants, room, order,
                                                              min_group_size, threshold), instrument, min_group_size)
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


def _group_results(instrument: Instrument, participants: list[tuple[str, str]], room: list, order: list[str],
                   minimum: int, threshold: float | None) -> list[GroupResult]:
    """Per group its figures over its released share of the room's released answers (so the groups' answers are
    always part of the room's); a group without any is hidden, with its number of participants."""
    group_of = dict(participants)
    results = []
    for name in sorted({g for g in group_of.values() if g}):
        members = [p for p in order if group_of[p] == name]
        size = sum(1 for g in group_of.values() if g == name)
        mine = released([a for a in room if group_of[a[0]] == name], members, minimum)
        if not mine:
            results.append(GroupResult(name, size, True, reason=REASON_TOO_SMALL, shown_respondents=0))
            continue
        group = summarize(answers_dataset(instrument, participants, mine, {"filename": LIVE_LAYOUT}), None,
                          threshold, minimum)
        results.append(GroupResult(name, size, False, group.statements, group.themes,
                                   shown_respondents=len({a[0] for a in mine})))
    return results


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


def _groups_shown(room: pd.DataFrame, groups: list, instrument: Instrument, minimum: int) -> list:
    """Each group's statements only where the answers the groups on the wall leave out of the room's figure are
    none or the minimum: else the room minus the groups would give the answers of the few left out (one person of
    group A on statement 2, group B shown)."""
    shown = [g for g in groups if not g.suppressed]
    covered = sum((_answered(g.statements) for g in shown), np.zeros(len(room), dtype=np.int64))
    rest = _answered(room) - covered
    risky = (rest > 0) & (rest < minimum)
    result = []
    for group in groups:
        if group.suppressed:
            result.append(group)
            continue
        statements = _hidden(group.statements, risky)
        if (_answered(statements) == 0).all():
            result.append(GroupResult(group.name, group.respondents, True, reason=REASON_PROTECTS,
                                      shown_respondents=0))
            continue
        result.append(replace(group, statements=statements, themes=theme_table(statements, instrument)))
    return result


def priorities(votes: list[tuple[str, str]], items: list, instrument: Instrument, top: int) -> list:
    """The TOP items with at least one vote, as the instrument's own ids (7, "1.3"), most votes first."""
    ids = {str(i): i for i in instrument.statement_ids}
    table = tally(votes, items)
    return [ids[str(i)] for i in table[table["votes"] > 0]["id"].head(max(int(top), 0)) if str(i) in ids]
