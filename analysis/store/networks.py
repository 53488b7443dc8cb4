"""Leernetwerken in the database: create, rename, members in and out, the names choice, delete.

A network belongs to one instrument and holds organisations by the name on their saved rounds
(case and spacing aside). Each change is one transaction; two facilitators adding members at the
same moment both land, and a rename onto another network's name is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.errors import RoundError
from analysis.scoring.network import new_name_key
from analysis.store.database import Database, open_database
from analysis.store.schema import network_members, networks

MAX_NAME = 120


class NetworkError(RoundError):
    """A Dutch, single-line message about a leernetwerk."""


@dataclass(frozen=True)
class NetworkInfo:
    network_id: str
    name: str
    instrument_id: str
    organisations: tuple[str, ...]
    show_names: bool
    name_secret: str
    created_at: str
    version: int


def _clean(text: str, what: str) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        raise NetworkError(f"Vul de {what} in.")
    if len(text) > MAX_NAME:
        raise NetworkError(f"De {what} is te lang (meer dan {MAX_NAME} tekens).")
    return text


class NetworkStore:
    def __init__(self, database: Database | str | None = None):
        self.database = database if isinstance(database, Database) else open_database(database)

    def list(self, instrument_id: str | None = None) -> list[NetworkInfo]:
        with self.database.read() as connection:
            query = sa.select(networks)
            if instrument_id:
                query = query.where(networks.c.instrument_id == instrument_id)
            rows = connection.execute(query).all()
            members = connection.execute(sa.select(network_members.c.network_id, network_members.c.organisation)
                                         ).all()
        by_network: dict[str, list[str]] = {}
        for network_id, organisation in members:
            by_network.setdefault(network_id, []).append(organisation)
        found = [NetworkInfo(row.id, row.name, row.instrument_id,
                             tuple(sorted(by_network.get(row.id, []), key=str.casefold)), bool(row.show_names),
                             row.name_secret, row.created_at, row.version) for row in rows]
        return sorted(found, key=lambda n: (n.name.casefold(), n.instrument_id))

    def get(self, network_id: str) -> NetworkInfo:
        for network in self.list():
            if network.network_id == network_id:
                return network
        raise NetworkError("Dit leernetwerk bestaat niet (meer).")

    def find(self, reference: str) -> NetworkInfo:
        """By id, or by name (case aside) when that names one network."""
        reference = " ".join(str(reference).split())
        found = self.list()
        matches = [n for n in found if n.network_id == reference] or \
                  [n for n in found if n.name.casefold() == reference.casefold()]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NetworkError(f"Leernetwerk '{reference}' niet gevonden.")
        raise NetworkError(f"'{reference}' past op meer dan één leernetwerk; gebruik het id.")

    def create(self, name: str, instrument_id: str, organisations=()) -> NetworkInfo:
        name = _clean(name, "naam van het leernetwerk")
        network_id = uuid.uuid4().hex
        try:
            with self.database.write() as connection:
                connection.execute(sa.insert(networks).values(
                    id=network_id, name=name, name_key=name.casefold(), instrument_id=instrument_id,
                    show_names=False, name_secret=new_name_key(),
                    created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
                for organisation in organisations:
                    self._add(connection, network_id, organisation)
        except RoundError as exc:
            if isinstance(exc.__cause__, sa_exc.IntegrityError):
                raise NetworkError(f"Er is al een leernetwerk '{name}' voor dit instrument.") from exc.__cause__
            raise
        return self.get(network_id)

    @staticmethod
    def _add(connection, network_id: str, organisation: str) -> None:
        organisation = _clean(organisation, "organisatie")
        exists = connection.execute(sa.select(network_members.c.organisation).where(
            network_members.c.network_id == network_id,
            network_members.c.organisation_key == organisation.casefold())).first()
        if not exists:
            connection.execute(sa.insert(network_members).values(
                network_id=network_id, organisation_key=organisation.casefold(), organisation=organisation))

    def _change(self, network_id: str, change) -> NetworkInfo:
        with self.database.write() as connection:
            bumped = connection.execute(sa.update(networks).where(networks.c.id == network_id)
                                        .values(version=networks.c.version + 1)).rowcount
            if not bumped:
                raise NetworkError("Dit leernetwerk bestaat niet (meer).")
            change(connection)
        return self.get(network_id)

    def add_organisation(self, network_id: str, organisation: str) -> NetworkInfo:
        return self._change(network_id, lambda c: self._add(c, network_id, organisation))

    def remove_organisation(self, network_id: str, organisation: str) -> NetworkInfo:
        key = " ".join(str(organisation).split()).casefold()
        return self._change(network_id, lambda c: c.execute(sa.delete(network_members).where(
            network_members.c.network_id == network_id, network_members.c.organisation_key == key)))

    def set_show_names(self, network_id: str, show: bool) -> NetworkInfo:
        """Only when every member organisation agreed to be shown by name (a documented choice)."""
        return self._change(network_id, lambda c: c.execute(
            sa.update(networks).where(networks.c.id == network_id).values(show_names=bool(show))))

    def rename(self, network_id: str, name: str) -> NetworkInfo:
        name = _clean(name, "naam van het leernetwerk")
        try:
            return self._change(network_id, lambda c: c.execute(
                sa.update(networks).where(networks.c.id == network_id).values(name=name, name_key=name.casefold())))
        except RoundError as exc:
            if isinstance(exc.__cause__, sa_exc.IntegrityError):
                raise NetworkError(f"Er is al een leernetwerk '{name}' voor dit instrument.") from exc.__cause__
            raise

    def delete(self, network_id: str) -> NetworkInfo:
        network = self.get(network_id)
        with self.database.write("verwijderd") as connection:
            connection.execute(sa.delete(network_members).where(network_members.c.network_id == network_id))
            connection.execute(sa.delete(networks).where(networks.c.id == network_id))
        return network
