"""Live sessions' answers: many phones, each answer its own small transaction as it is given.

The issue "Live bijeenkomst" builds the session pages on this; here is what the store guarantees:
an answer lands (or the call fails loudly), a second answer to the same item replaces the first,
and counting is a consistent read, with dozens of writers at once on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import sqlalchemy as sa

from analysis.errors import RoundError
from analysis.store.database import Database, open_database
from analysis.store.schema import live_answers, live_sessions


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _upsert(database: Database, key: dict, values: dict):
    """INSERT .. ON CONFLICT DO UPDATE: atomic on both backends, even for a double tap on one phone."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = sqlite if database.is_sqlite else postgresql
    return (dialect.insert(live_answers).values(**key, **values)
            .on_conflict_do_update(index_elements=list(key), set_=values))


class LiveStore:
    def __init__(self, database: Database | str | None = None):
        self.database = database if isinstance(database, Database) else open_database(database)

    def create_session(self, organisation: str, instrument_id: str, join_code: str,
                       settings: dict | None = None) -> str:
        session_id = uuid.uuid4().hex
        with self.database.write() as connection:
            connection.execute(sa.insert(live_sessions).values(
                id=session_id, join_code=join_code, organisation=organisation, instrument_id=instrument_id,
                settings=json.dumps(settings or {}, ensure_ascii=False), status="open", created_at=_now()))
        return session_id

    def record_answer(self, session_id: str, participant: str, item_id: str, code: int) -> None:
        """One answer, replacing the participant's earlier answer to the same item."""
        key = {"session_id": session_id, "participant": participant, "item_id": str(item_id)}
        with self.database.write() as connection:
            status = connection.execute(sa.select(live_sessions.c.status)
                                        .where(live_sessions.c.id == session_id)).scalar()
            if status != "open":
                raise RoundError("Deze sessie is gesloten of bestaat niet; antwoorden worden niet meer aangenomen.")
            connection.execute(_upsert(self.database, key, {"code": int(code), "answered_at": _now()}))

    def answer_count(self, session_id: str) -> int:
        with self.database.read() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(live_answers)
                                      .where(live_answers.c.session_id == session_id)).scalar_one()

    def answers(self, session_id: str) -> list[tuple[str, str, int]]:
        with self.database.read() as connection:
            rows = connection.execute(sa.select(live_answers.c.participant, live_answers.c.item_id,
                                                live_answers.c.code)
                                      .where(live_answers.c.session_id == session_id)).all()
        return [tuple(row) for row in rows]
