"""Saved koppelingen in the database: one row per name (case aside), the koppeling as a JSON document."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.ingest.dataset import Dataset, Overrides
from analysis.ingest.koppelingen import Koppeling, KoppelingError, best_match, new_koppeling
from analysis.rounds import RoundError
from analysis.store.database import Database, open_database
from analysis.store.schema import koppelingen


def insert_koppeling(connection, koppeling: Koppeling, replace: bool) -> None:
    """Within a write transaction (IntegrityError when the name is taken and REPLACE is off)."""
    key = koppeling.name.casefold()
    if replace:
        connection.execute(sa.delete(koppelingen).where(koppelingen.c.name_key == key))
    connection.execute(sa.insert(koppelingen).values(
        name_key=key, name=koppeling.name, fingerprint=koppeling.fingerprint, instrument_id=koppeling.instrument_id,
        saved_at=koppeling.saved_at, body=json.dumps(koppeling.to_dict(), ensure_ascii=False)))


class KoppelingStore:
    """The koppelingen of one database. ``KoppelingStore(path)`` is SQLite in that data directory."""

    def __init__(self, database: Database | str | None = None):
        self.database = database if isinstance(database, Database) else open_database(database)

    @property
    def location(self) -> str:
        return self.database.location

    def list(self) -> list[Koppeling]:
        """Every koppeling, by name."""
        with self.database.read() as connection:
            bodies = connection.execute(sa.select(koppelingen.c.body)).scalars().all()
        return sorted((Koppeling.from_dict(json.loads(body)) for body in bodies), key=lambda k: k.name.casefold())

    def get(self, name: str) -> Koppeling:
        wanted = " ".join(str(name).split()).casefold()
        for koppeling in self.list():
            if koppeling.name.casefold() == wanted:
                return koppeling
        known = ", ".join(f"'{k.name}'" for k in self.list()) or "geen"
        raise KoppelingError(f"Koppeling '{name}' bestaat niet (opgeslagen: {known}).")

    def find(self, dataset_or_headers: Dataset | Sequence[str]) -> Koppeling | None:
        """The koppeling made on a file with these headers (the newest if several), or None."""
        return best_match(self.list(), dataset_or_headers)

    def save(self, name: str, overrides: Overrides, dataset_or_headers: Dataset | Sequence[str],
             source_name: str = "", replace: bool = False) -> Koppeling:
        """Save OVERRIDES, made on a file with these headers, under NAME (one name, one koppeling)."""
        koppeling = new_koppeling(name, overrides, dataset_or_headers, source_name)
        try:
            with self.database.write() as connection:
                insert_koppeling(connection, koppeling, replace)
        except RoundError as exc:
            if isinstance(exc.__cause__, sa_exc.IntegrityError):
                raise KoppelingError(f"Er bestaat al een koppeling '{self.get(koppeling.name).name}'; kies een "
                                     "andere naam of vervang hem.") from exc.__cause__
            raise
        return koppeling

    def delete(self, name: str) -> Koppeling:
        koppeling = self.get(name)
        with self.database.write("verwijderd") as connection:
            removed = connection.execute(sa.delete(koppelingen)
                                         .where(koppelingen.c.name_key == koppeling.name.casefold())).rowcount
        if not removed:
            raise KoppelingError(f"Koppeling '{koppeling.name}' was al verwijderd.")
        return koppeling
