"""Every store test runs twice: on SQLite in a temporary data directory and on a real PostgreSQL server."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from analysis.store import Database, open_database
from analysis.store.database import forget_open_databases


@dataclass
class Backend:
    name: str
    environ: dict  # what a subprocess needs to open the same database
    database: Database


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    if request.param == "sqlite":
        environ = {"QUICKSCAN_DATA_DIR": str(tmp_path / "data")}
        yield Backend("sqlite", environ, open_database(environ=environ))
        forget_open_databases()
        return
    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    environ = {"QUICKSCAN_DATABASE_URL": url, "QUICKSCAN_DATA_DIR": str(tmp_path / "data")}
    yield Backend("postgresql", environ, open_database(environ=environ))
    forget_open_databases()
    server.drop_database(url)


@pytest.fixture
def database(backend) -> Database:
    return backend.database
