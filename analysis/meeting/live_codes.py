"""The rules of a live session that every phone's request needs: codes and caps, without pandas.

Kept apart from ``analysis.meeting.live`` so the store's live module (one small transaction per answer) loads in a
fraction of a second in any process that only records answers.
"""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: a code read from a projector and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 10          # 31**10, about 8e14: not guessable within any rate limit
RESUME_LENGTH = 6         # within one session only, behind its join code
VOTES_PER_PARTICIPANT = 3
MAX_PARTICIPANTS = 400    # per session
MAX_ANSWERS_PER_MINUTE = 4000  # per session: 60 phones answering every second, with room to spare
SESSION_HOURS = 12        # a session not closed by hand expires after a (long) meeting day

def new_code(length: int = JOIN_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normal_code(text: str) -> str:
    """What a person typed, as the code it means: case, spaces and dashes aside; O read as 0 is no letter here."""
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())


def shown_code(code: str) -> str:
    """In groups of five for reading aloud: 'ABCDE-FGHJK'."""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))
