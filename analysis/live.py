"""Live sessions as data: join codes, the answers of the room as a round's Dataset, the dot vote's tally.

A live session lets people in one room fill in the instrument on their phones. The store keeps each
answer as it is given (``analysis.store.live``); this module holds the rules that need no database:
codes that cannot be guessed, how the answers become a Dataset exactly like an upload's (so every
page, export and comparison works on a closed session), and how votes are counted.
"""

from __future__ import annotations

import secrets

import numpy as np
import pandas as pd

from analysis.ingest import ISSUE_COLUMNS, ColumnInfo, Dataset
from analysis.instrument import Instrument
from analysis.matching import MISSING, UNKNOWN

# No 0/O, 1/I/L: a code read from a projector and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 10          # 31**10, about 8e14: not guessable within any rate limit
RESUME_LENGTH = 6         # within one session only, behind its join code
VOTES_PER_PARTICIPANT = 3
MAX_PARTICIPANTS = 400    # per session
MAX_ANSWERS_PER_MINUTE = 4000  # per session: 60 phones answering every second, with room to spare
SESSION_HOURS = 12        # a session not closed by hand expires after a (long) meeting day
GROUP_COLUMN = "Groep"
LIVE_LAYOUT = "Live sessie"


def new_code(length: int = JOIN_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normal_code(text: str) -> str:
    """What a person typed, as the code it means: case, spaces and dashes aside; O read as 0 is no letter here."""
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())


def shown_code(code: str) -> str:
    """In groups of five for reading aloud: 'ABCDE-FGHJK'."""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


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
