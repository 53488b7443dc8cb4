"""Live sessions in the database: many phones, each answer its own small transaction as it is given.

What the store guarantees: an answer lands (or the call fails loudly), a second answer to the same
item replaces the first, a closed or expired session takes nothing more, a session takes at most
``MAX_PARTICIPANTS`` people and ``MAX_ANSWERS_PER_MINUTE`` answers a minute, and counting is a
consistent read, with dozens of writers at once on SQLite and PostgreSQL alike. The rules that need
no database (codes, the Dataset of a closed session, the tally) are in ``analysis.meeting.live``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.errors import RoundError
from analysis.meeting.live_codes import (
    JOIN_LENGTH,
    MAX_ANSWERS_PER_MINUTE,
    MAX_PARTICIPANTS,
    RESUME_LENGTH,
    SESSION_HOURS,
    VOTES_PER_PARTICIPANT,
    new_code,
    normal_code,
)
from analysis.store.database import Database, open_database
from analysis.store.schema import live_answers, live_participants, live_polls, live_sessions, live_votes


class LiveError(RoundError):
    """A Dutch, single-line message for a participant or facilitator of a live session."""


class LiveBusy(LiveError):
    """A refusal that passes by itself (too many answers this minute, a write that lost a race): the same request
    a little later may succeed, so a phone tries again on its own instead of waiting for a tap."""


CLOSED = "Deze sessie is gesloten of verlopen; antwoorden worden niet meer aangenomen."


@dataclass(frozen=True)
class LiveSession:
    session_id: str
    join_code: str
    organisation: str
    instrument_id: str
    groups: tuple[str, ...]
    status: str
    created_at: str
    expires_at: str
    round_id: str | None

    def is_open(self, now: str | None = None) -> bool:
        return self.status == "open" and (now or _now()) < self.expires_at


@dataclass(frozen=True)
class Participant:
    participant: str
    resume_code: str
    group: str
    submitted: bool


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _later(hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat(timespec="milliseconds")


def _session(row) -> LiveSession:
    settings = json.loads(row.settings or "{}")
    return LiveSession(row.id, row.join_code, row.organisation, row.instrument_id, tuple(settings.get("groups", ())),
                       row.status, row.created_at, row.expires_at, row.round_id)


def _upsert(database: Database, table, key: dict, values: dict):
    """INSERT .. ON CONFLICT DO UPDATE: atomic on both backends, even for a double tap on one phone."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = sqlite if database.is_sqlite else postgresql
    return dialect.insert(table).values(**key, **values).on_conflict_do_update(index_elements=list(key), set_=values)


# The answer, guarded by the rules a closed session, a submitted participant and the rate cap impose; plain SQL
# that SQLite and PostgreSQL both speak (INSERT .. SELECT .. WHERE needs its WHERE for SQLite's parser anyway).
# The casts give PostgreSQL one type per parameter; SQLite reads them as the columns' own affinities.
RECORD_ANSWER = sa.text("""
    INSERT INTO live_answers (session_id, participant, item_id, code, answered_at, device, sequence)
    SELECT CAST(:session_id AS VARCHAR), CAST(:participant AS VARCHAR), CAST(:item_id AS VARCHAR),
           CAST(:code AS SMALLINT), CAST(:now AS VARCHAR), CAST(:device AS VARCHAR), CAST(:sequence AS BIGINT)
    WHERE EXISTS (SELECT 1 FROM live_sessions
                  WHERE id = CAST(:session_id AS VARCHAR) AND status = 'open' AND expires_at > CAST(:now AS VARCHAR))
      AND EXISTS (SELECT 1 FROM live_participants
                  WHERE session_id = CAST(:session_id AS VARCHAR) AND participant = CAST(:participant AS VARCHAR)
                    AND submitted_at IS NULL)
      AND (SELECT count(*) FROM live_answers
           WHERE session_id = CAST(:session_id AS VARCHAR) AND answered_at >= CAST(:since AS VARCHAR)) < :cap
    ON CONFLICT (session_id, participant, item_id)
    DO UPDATE SET code = excluded.code, answered_at = excluded.answered_at, device = excluded.device,
                  sequence = excluded.sequence
    WHERE live_answers.device IS NULL OR excluded.device IS NULL OR live_answers.device <> excluded.device
       OR live_answers.sequence IS NULL OR excluded.sequence IS NULL OR live_answers.sequence <= excluded.sequence
""")


class LiveStore:
    def __init__(self, database: Database | str | None = None):
        self.database = database if isinstance(database, Database) else open_database(database)

    # -- the facilitator ---------------------------------------------------------------------
    def create_session(self, organisation: str, instrument_id: str, groups=(), hours: float = SESSION_HOURS,
                       join_code: str | None = None) -> LiveSession:
        organisation = " ".join(str(organisation or "").split())
        if not organisation:
            raise LiveError("Vul de organisatie van de sessie in.")
        groups = tuple(dict.fromkeys(g for g in (" ".join(str(g).split()) for g in groups) if g))
        for _ in range(5):  # a clash of two random codes is as good as impossible; retried all the same
            session_id, code = uuid.uuid4().hex, normal_code(join_code) if join_code else new_code(JOIN_LENGTH)
            try:
                with self.database.write() as connection:
                    connection.execute(sa.insert(live_sessions).values(
                        id=session_id, join_code=code, organisation=organisation[:200], instrument_id=instrument_id,
                        settings=json.dumps({"groups": list(groups)}, ensure_ascii=False), status="open",
                        created_at=_now(), expires_at=_later(hours)))
                return self.session(session_id)
            except RoundError as exc:
                if not isinstance(exc.__cause__, sa_exc.IntegrityError) or join_code:
                    raise
        raise LiveError("Er kon geen unieke code worden gemaakt; probeer het opnieuw.")

    def session(self, session_id: str) -> LiveSession:
        with self.database.read() as connection:
            row = connection.execute(sa.select(live_sessions).where(live_sessions.c.id == session_id)).first()
        if row is None:
            raise LiveError("Deze sessie bestaat niet.")
        return _session(row)

    def open_sessions(self) -> list[LiveSession]:
        with self.database.read() as connection:
            rows = connection.execute(sa.select(live_sessions).where(live_sessions.c.status == "open")
                                      .order_by(live_sessions.c.created_at)).all()
        now = _now()
        return [s for s in map(_session, rows) if s.is_open(now)]

    def close(self, session_id: str, round_id: str | None = None) -> LiveSession:
        with self.database.write() as connection:
            connection.execute(sa.update(live_sessions).where(live_sessions.c.id == session_id)
                               .values(status="closed", closed_at=_now(), round_id=round_id))
            connection.execute(sa.update(live_polls).where(live_polls.c.session_id == session_id)
                               .values(status="closed"))
        return self.session(session_id)

    # -- a participant -----------------------------------------------------------------------
    def by_code(self, code: str) -> LiveSession:
        """The open session this join code opens; a closed, expired or unknown code gets one Dutch line."""
        code = normal_code(code)
        with self.database.read() as connection:
            row = connection.execute(sa.select(live_sessions).where(live_sessions.c.join_code == code)).first()
        if row is None or not _session(row).is_open():
            raise LiveError("Deze code hoort niet bij een open sessie. Controleer de code op het scherm.")
        return _session(row)

    def join(self, session_id: str, group: str = "") -> Participant:
        """A new participant; its resume code brings a reloaded phone back to its own answers."""
        for _ in range(5):
            participant, resume = uuid.uuid4().hex, new_code(RESUME_LENGTH)
            try:
                with self.database.write() as connection:
                    session = self._open(connection, session_id)
                    if group and group not in session.groups:
                        raise LiveError("Kies een groep uit de lijst.")
                    count = connection.execute(sa.select(sa.func.count()).select_from(live_participants)
                                               .where(live_participants.c.session_id == session_id)).scalar_one()
                    if count >= MAX_PARTICIPANTS:
                        raise LiveError("Deze sessie is vol; vraag de begeleider om een nieuwe sessie.")
                    connection.execute(sa.insert(live_participants).values(
                        session_id=session_id, participant=participant, resume_code=resume, group_label=group,
                        joined_at=_now()))
                return Participant(participant, resume, group, False)
            except RoundError as exc:
                if not isinstance(exc.__cause__, sa_exc.IntegrityError):
                    raise
        raise LiveError("Aanmelden lukte niet; probeer het opnieuw.")

    def resume(self, session_id: str, resume_code: str) -> Participant:
        with self.database.read() as connection:
            row = connection.execute(sa.select(live_participants).where(
                live_participants.c.session_id == session_id,
                live_participants.c.resume_code == normal_code(resume_code))).first()
        if row is None:
            raise LiveError("Deze hervatcode is onbekend in deze sessie.")
        return Participant(row.participant, row.resume_code, row.group_label, row.submitted_at is not None)

    def participant(self, session_id: str, participant: str) -> Participant:
        with self.database.read() as connection:
            row = connection.execute(sa.select(live_participants).where(
                live_participants.c.session_id == session_id, live_participants.c.participant == participant)).first()
        if row is None:
            raise LiveError("U bent niet (meer) aangemeld bij deze sessie.")
        return Participant(row.participant, row.resume_code, row.group_label, row.submitted_at is not None)

    @staticmethod
    def _open(connection, session_id: str) -> LiveSession:
        row = connection.execute(sa.select(live_sessions).where(live_sessions.c.id == session_id)).first()
        if row is None or not _session(row).is_open():
            raise LiveError(CLOSED)
        return _session(row)

    def record_answer(self, session_id: str, participant: str, item_id, code: int, device: str | None = None,
                      sequence: int | None = None) -> None:
        """One answer, replacing the participant's earlier answer to the same item, unless that one came from the
        same DEVICE with a higher SEQUENCE (the device's own number, growing with every tap): an answer that arrives
        late stays superseded. From another device the last one to arrive counts, as without these numbers.

        One statement does it all (dozens of phones answer each second): the answer is written only where the
        session is open, the participant has not submitted and the session is under its rate cap. Only when
        nothing was written are the rules checked one by one, to say which of them refused it."""
        now = _now()
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat(timespec="milliseconds")
        values = {"session_id": session_id, "participant": participant, "item_id": str(item_id),
                  "code": int(code), "now": now, "since": since, "cap": MAX_ANSWERS_PER_MINUTE,
                  "device": device, "sequence": None if sequence is None else int(sequence)}
        with self.database.statement() as connection:
            written = connection.execute(RECORD_ANSWER, values).rowcount
        if written != 1:
            with self.database.read() as connection:
                self._open(connection, session_id)
                self._check_participant(connection, session_id, participant)
                self._check_rate(connection, session_id)
                if self._superseded(connection, values):
                    return  # a newer answer of this phone is already there: nothing to do, nothing wrong
            raise LiveBusy("Het antwoord is niet opgeslagen; probeer het opnieuw.")

    @staticmethod
    def _superseded(connection, values: dict) -> bool:
        if values["device"] is None or values["sequence"] is None:
            return False
        stored = connection.execute(sa.select(live_answers.c.device, live_answers.c.sequence).where(
            live_answers.c.session_id == values["session_id"], live_answers.c.participant == values["participant"],
            live_answers.c.item_id == values["item_id"])).first()
        return (stored is not None and stored.device == values["device"] and stored.sequence is not None
                and stored.sequence > values["sequence"])

    @staticmethod
    def _check_participant(connection, session_id: str, participant: str) -> None:
        row = connection.execute(sa.select(live_participants.c.submitted_at).where(
            live_participants.c.session_id == session_id, live_participants.c.participant == participant)).first()
        if row is None:
            raise LiveError("U bent niet aangemeld bij deze sessie.")
        if row.submitted_at is not None:
            raise LiveError("Uw antwoorden zijn al ingestuurd; ze kunnen niet meer worden gewijzigd.")

    @staticmethod
    def _check_rate(connection, session_id: str) -> None:
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat(timespec="milliseconds")
        recent = connection.execute(sa.select(sa.func.count()).select_from(live_answers).where(
            live_answers.c.session_id == session_id, live_answers.c.answered_at >= since)).scalar_one()
        if recent >= MAX_ANSWERS_PER_MINUTE:
            raise LiveBusy("Er komen nu te veel antwoorden tegelijk binnen; probeer het over een minuut opnieuw.")

    def submit(self, session_id: str, participant: str) -> None:
        """Submit once: the participant's answers are final."""
        with self.database.write() as connection:
            self._open(connection, session_id)
            self._check_participant(connection, session_id, participant)
            connection.execute(sa.update(live_participants).where(
                live_participants.c.session_id == session_id, live_participants.c.participant == participant)
                # To the microsecond: the order of submitting decides what the wall counts (analysis.meeting.live).
                .values(submitted_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")))

    def own_answers(self, session_id: str, participant: str) -> dict[str, int]:
        with self.database.read() as connection:
            rows = connection.execute(sa.select(live_answers.c.item_id, live_answers.c.code).where(
                live_answers.c.session_id == session_id, live_answers.c.participant == participant)).all()
        return {item: code for item, code in rows}

    # -- counting ----------------------------------------------------------------------------
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

    def participants(self, session_id: str) -> list[tuple[str, str]]:
        """(participant, group) in joining order."""
        with self.database.read() as connection:
            rows = connection.execute(sa.select(live_participants.c.participant, live_participants.c.group_label)
                                      .where(live_participants.c.session_id == session_id)
                                      .order_by(live_participants.c.joined_at, live_participants.c.participant)).all()
        return [tuple(row) for row in rows]

    def submitted(self, session_id: str) -> list[str]:
        """The participants who submitted, in the order they did."""
        with self.database.read() as connection:
            rows = connection.execute(sa.select(live_participants.c.participant)
                                      .where(live_participants.c.session_id == session_id,
                                             live_participants.c.submitted_at.is_not(None))
                                      .order_by(live_participants.c.submitted_at, live_participants.c.participant)
                                      ).all()
        return [row.participant for row in rows]

    # -- the dot vote ------------------------------------------------------------------------
    def open_vote(self, session_id: str, items: list) -> None:
        items = [str(i) for i in dict.fromkeys(items)]
        if not items:
            raise LiveError("Kies de stellingen of items waarover gestemd wordt.")
        with self.database.write() as connection:
            self._open(connection, session_id)
            connection.execute(sa.delete(live_votes).where(live_votes.c.session_id == session_id))
            connection.execute(_upsert(self.database, live_polls, {"session_id": session_id},
                                       {"items": json.dumps(items), "status": "open", "opened_at": _now()}))

    def close_vote(self, session_id: str) -> None:
        with self.database.write() as connection:
            connection.execute(sa.update(live_polls).where(live_polls.c.session_id == session_id)
                               .values(status="closed"))

    def poll(self, session_id: str) -> tuple[list[str], str] | None:
        """(items on offer, 'open' or 'closed'), or None before a vote was opened."""
        with self.database.read() as connection:
            row = connection.execute(sa.select(live_polls).where(live_polls.c.session_id == session_id)).first()
        return None if row is None else (json.loads(row.items), row.status)

    def vote(self, session_id: str, participant: str, items: list) -> None:
        """The participant's dots (at most three, on items on offer); a new vote replaces the old."""
        items = [str(i) for i in dict.fromkeys(items)]
        if len(items) > VOTES_PER_PARTICIPANT:
            raise LiveError(f"U hebt {VOTES_PER_PARTICIPANT} stemmen; kies er niet meer.")
        with self.database.write() as connection:
            self._open(connection, session_id)
            poll = connection.execute(sa.select(live_polls).where(live_polls.c.session_id == session_id)).first()
            if poll is None or poll.status != "open":
                raise LiveError("Er is nu geen stemming open.")
            if any(i not in json.loads(poll.items) for i in items):
                raise LiveError("Stem alleen op de getoonde stellingen of items.")
            if connection.execute(sa.select(live_participants.c.participant).where(
                    live_participants.c.session_id == session_id,
                    live_participants.c.participant == participant)).first() is None:
                raise LiveError("U bent niet aangemeld bij deze sessie.")
            connection.execute(sa.delete(live_votes).where(live_votes.c.session_id == session_id,
                                                           live_votes.c.participant == participant))
            for item in items:
                connection.execute(sa.insert(live_votes).values(session_id=session_id, participant=participant,
                                                                item_id=item, voted_at=_now()))

    def votes(self, session_id: str) -> list[tuple[str, str]]:
        with self.database.read() as connection:
            rows = connection.execute(sa.select(live_votes.c.participant, live_votes.c.item_id)
                                      .where(live_votes.c.session_id == session_id)).all()
        return [tuple(row) for row in rows]

    def own_votes(self, session_id: str, participant: str) -> list[str]:
        return [item for who, item in self.votes(session_id) if who == participant]


def close_into_round(live: LiveStore, session_id: str, organisation: str, name: str, date, top: int = 3,
                     min_group_size: int | None = None, user: str = ""):
    """Close the session into a saved round (its answers, like an upload) with the TOP voted items as the focus
    points of that round's verbeterplan. Returns (RoundInfo, focus item ids). The round is saved first, so a
    refused name or date leaves the session open to try again."""
    from analysis.instrument import get_instrument
    from analysis.meeting.live import GROUP_COLUMN, LIVE_LAYOUT, answers_dataset, priorities
    from analysis.meeting.plan import Focus, empty_plan
    from analysis.scoring.privacy import deployment_min_group_size
    from analysis.store.plans import PlanStore
    from analysis.store.rounds import RoundStore

    session = live.session(session_id)
    instrument = get_instrument(session.instrument_id)
    label = f"{LIVE_LAYOUT} {session.join_code[:4]}"
    dataset = answers_dataset(instrument, live.participants(session_id), live.answers(session_id),
                              {"filename": label})
    if dataset.n_respondents == 0:
        raise LiveError("Er zijn nog geen antwoorden; een lege sessie wordt geen meetronde.")
    minimum = deployment_min_group_size() if min_group_size is None else int(min_group_size)
    privacy = {"reporting_columns": [GROUP_COLUMN] if GROUP_COLUMN in dataset.metadata else [],
               "min_group_size": minimum}
    info = RoundStore(live.database).save(dataset, organisation, name, date, source_name=label, privacy=privacy)
    live.close(session_id, info.round_id)
    poll = live.poll(session_id)
    chosen = priorities(live.votes(session_id), poll[0], instrument, top) if poll else []
    if chosen:
        plans = PlanStore(live.database)
        plan = plans.get(info.round_id)
        plans.save(dataclasses.replace(plan or empty_plan(info.round_id, instrument.id),
                                       focuses=tuple(Focus(item) for item in chosen)), user)
    return info, chosen
