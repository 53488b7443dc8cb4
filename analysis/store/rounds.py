"""Saved rounds in the database: list, find, open, save, rename, delete; each one transaction.

The description of a round is columns of ``rounds``; its answers one Parquet document in
``round_data`` (``analysis.rounds`` converts). Every method reads the database afresh, so app
sessions, replicas and command-line processes share it; the unique key on organisation, name and
date makes a duplicate impossible however two saves interleave.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.errors import RoundMissing
from analysis.ingest.dataset import Dataset
from analysis.rounds import (
    PARQUET_FORMAT,
    RoundError,
    RoundInfo,
    check_savable,
    clean_name,
    dataset_from_table,
    identity_of,
    is_round_id,
    new_round_info,
    read_document,
    round_document,
)
from analysis.scoring.privacy import default_settings
from analysis.store.database import Database, open_database
from analysis.store.plans import put_plans, take_plans
from analysis.store.schema import round_data, rounds

_LISTED = [rounds.c.id, rounds.c.organisation, rounds.c.name, rounds.c.measured_on, rounds.c.instrument_id,
           rounds.c.respondents, rounds.c.source_name, rounds.c.saved_at, rounds.c.overrides, rounds.c.version]


def _info(row) -> RoundInfo:
    return RoundInfo(round_id=row.id, organisation=row.organisation, name=row.name, date=row.measured_on,
                     instrument_id=row.instrument_id, respondents=row.respondents, source_name=row.source_name,
                     saved_at=row.saved_at, overrides=json.loads(row.overrides or "{}"))


def _values(info: RoundInfo) -> dict:
    return {"id": info.round_id, "organisation": info.organisation, "organisation_key": info.organisation.casefold(),
            "name": info.name, "name_key": info.name.casefold(), "measured_on": info.date,
            "instrument_id": info.instrument_id, "respondents": info.respondents, "source_name": info.source_name,
            "saved_at": info.saved_at, "overrides": json.dumps(info.overrides, ensure_ascii=False)}


def _duplicate(label: str, what: str = "kies een andere naam of datum, of vervang de bestaande") -> RoundError:
    return RoundError(f"Er is al een meetronde '{label}'; {what}.")


def insert_round(connection, info: RoundInfo, document: bytes) -> None:
    """Within a write transaction: the description and the document (IntegrityError for a duplicate)."""
    connection.execute(sa.insert(rounds).values(_values(info)))
    connection.execute(sa.insert(round_data).values(round_id=info.round_id, format=PARQUET_FORMAT, content=document))


class RoundStore:
    """The rounds of one database. ``RoundStore(path)`` is SQLite in that data directory."""

    def __init__(self, database: Database | str | None = None):
        self.database = database if isinstance(database, Database) else open_database(database)

    @property
    def location(self) -> str:
        return self.database.location

    # -- reading ---------------------------------------------------------------------------
    def list(self) -> list[RoundInfo]:
        """Every round, by organisation, then measurement date."""
        with self.database.read() as connection:
            rows = connection.execute(sa.select(*_LISTED)).all()
        return sorted(map(_info, rows), key=lambda r: (r.organisation.lower(), r.date, r.name.lower(), r.round_id))

    def get(self, round_id: str) -> RoundInfo:
        with self.database.read() as connection:
            row = connection.execute(sa.select(*_LISTED).where(rounds.c.id == round_id)).first()
        if row is None:
            raise RoundMissing(f"Meetronde {str(round_id)[:8]} bestaat niet (meer).")
        return _info(row)

    def version(self, round_id: str) -> int:
        """Changes when the round is renamed or replaced: a cache key for opened rounds."""
        with self.database.read() as connection:
            version = connection.execute(sa.select(rounds.c.version).where(rounds.c.id == round_id)).scalar()
        if version is None:
            raise RoundMissing("Deze meetronde bestaat niet meer; misschien is hij net verwijderd.")
        return version

    def find(self, reference: str) -> RoundInfo:
        """A round by id, unique id prefix (at least 4 characters) or exact name."""
        reference = str(reference).strip()
        found = self.list()
        exact = [r for r in found if r.round_id == reference]
        if exact:
            return exact[0]
        matches = [r for r in found if len(reference) >= 4 and r.round_id.startswith(reference)]
        matches = matches or [r for r in found if r.name.lower() == reference.lower()]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise RoundError(f"Meetronde '{reference}' niet gevonden in {self.location}.")
        ids = ", ".join(r.round_id[:8] for r in matches)
        raise RoundError(f"'{reference}' past op meer dan één meetronde ({ids}); gebruik het id.")

    def load(self, round_id: str) -> Dataset:
        if not is_round_id(round_id):
            raise RoundError(f"'{round_id}' is geen geldig id van een meetronde.")
        with self.database.read("geopend") as connection:
            row = connection.execute(sa.select(*_LISTED, round_data.c.content)
                                     .join(round_data, round_data.c.round_id == rounds.c.id)
                                     .where(rounds.c.id == round_id)).first()
        if row is None:
            raise RoundMissing(f"Meetronde {round_id[:8]} bestaat niet (meer).")
        return dataset_from_table(read_document(row.content), _info(row))

    def existing(self, organisation: str, name: str, date) -> list[RoundInfo]:
        """Saved rounds a new round with this organisation, name and date would duplicate."""
        organisation_key, name_key, date = identity_of(organisation, name, date)
        with self.database.read() as connection:
            rows = connection.execute(sa.select(*_LISTED).where(
                rounds.c.organisation_key == organisation_key, rounds.c.name_key == name_key,
                rounds.c.measured_on == date)).all()
        return [_info(row) for row in rows]

    # -- writing ---------------------------------------------------------------------------
    def save(self, dataset: Dataset, organisation: str, name: str, date, overrides: dict | None = None,
             source_name: str = "", privacy: dict | None = None, replace: bool = False) -> RoundInfo:
        """Store DATASET as a new round with the analyst's privacy settings (reporting columns, minimum).

        Refuses sample data, a dataset the report still blocks, and a second round with the same organisation,
        name and date (a double click, or the same export saved twice) unless REPLACE says to put the new one
        in place of the old, in the same transaction. Without PRIVACY the defaults of ``analysis.scoring.privacy`` are
        frozen in, so the round's figures never depend on a later default.
        """
        check_savable(dataset)
        info = new_round_info(dataset, organisation, name, date, overrides, source_name)
        privacy = privacy or default_settings(dataset.metadata).to_dict()
        return self.insert(info, round_document(dataset, info, privacy), replace=replace)

    def insert(self, info: RoundInfo, document: bytes, replace: bool = False) -> RoundInfo:
        """Put a described round document in the store (a save, an import); one transaction."""
        try:
            with self.database.write() as connection:
                taken = self._remove_same(connection, info) if replace else None
                insert_round(connection, info, document)
                if taken:
                    put_plans(connection, taken, info.round_id)
        except RoundError as exc:
            if isinstance(exc.__cause__, sa_exc.IntegrityError):
                raise self._duplicate_of(info, exc.__cause__) from exc.__cause__
            raise
        return info

    @staticmethod
    def _remove_same(connection, info: RoundInfo) -> dict:
        """The round INFO replaces goes (its answers and plan with it); its plan is handed back to keep."""
        same = (rounds.c.organisation_key == info.organisation.casefold(), rounds.c.name_key == info.name.casefold(),
                rounds.c.measured_on == info.date)
        old_ids = list(connection.execute(sa.select(rounds.c.id).where(*same)).scalars())
        taken = take_plans(connection, old_ids)
        connection.execute(sa.delete(round_data).where(round_data.c.round_id.in_(old_ids)))
        connection.execute(sa.delete(rounds).where(*same))
        return taken

    def _duplicate_of(self, info: RoundInfo, cause: Exception) -> RoundError:
        same = self.existing(info.organisation, info.name, info.date)
        if same:
            return _duplicate(same[0].label)
        return RoundError(f"Meetronde {info.round_id[:8]} bestaat al.")

    def rename(self, round_id: str, new_name: str) -> RoundInfo:
        info = self.find(round_id)
        name = clean_name(new_name)
        try:
            with self.database.write() as connection:
                changed = connection.execute(
                    sa.update(rounds).where(rounds.c.id == info.round_id)
                    .values(name=name, name_key=name.casefold(), version=rounds.c.version + 1)).rowcount
        except RoundError as exc:
            if isinstance(exc.__cause__, sa_exc.IntegrityError):
                same = self.existing(info.organisation, name, info.date)
                raise _duplicate(same[0].label if same else name, "kies een andere naam") from exc.__cause__
            raise
        if not changed:
            raise RoundError(f"Meetronde {info.round_id[:8]} bestaat niet meer; misschien is hij net verwijderd.")
        return self.get(info.round_id)

    def delete(self, round_id: str) -> RoundInfo:
        """Permanent: the round and its answers are removed in one transaction; there is no bin."""
        info = self.find(round_id)
        with self.database.write("verwijderd") as connection:
            connection.execute(sa.delete(round_data).where(round_data.c.round_id == info.round_id))
            removed = connection.execute(sa.delete(rounds).where(rounds.c.id == info.round_id)).rowcount
        if not removed:
            raise RoundError(f"Meetronde {info.round_id[:8]} was al verwijderd.")
        return info

    def document(self, round_id: str) -> bytes:
        """The stored Parquet document of a round (backup)."""
        with self.database.read() as connection:
            content = connection.execute(sa.select(round_data.c.content)
                                         .where(round_data.c.round_id == round_id)).scalar()
        if content is None:
            raise RoundMissing(f"Meetronde {round_id[:8]} bestaat niet (meer).")
        return bytes(content)

    def problems(self) -> list[str]:
        """Files of an older data directory that could not be taken in (said on every listing)."""
        from analysis.store.legacy import legacy_problems

        return legacy_problems(self.database)
