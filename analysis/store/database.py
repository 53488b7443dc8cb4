"""Where the store lives and how to talk to it: SQLite in the data directory, or PostgreSQL by URL.

SQLite is the embedded default (one file, nothing to install or start): WAL so readers never wait
for a writer, a busy timeout so concurrent writers queue instead of failing, and every write
transaction started with ``BEGIN IMMEDIATE`` so two writers never deadlock upgrading a read lock.
``QUICKSCAN_DATABASE_URL`` points the app at PostgreSQL instead, which is how several app replicas
share one store. Either way the schema is brought up to date by Alembic the first time a process
opens the database (and by ``python -m analysis db upgrade``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from analysis.store.errors import StoreError, translated

DATA_DIR_VARIABLE = "QUICKSCAN_DATA_DIR"
DATABASE_URL_VARIABLE = "QUICKSCAN_DATABASE_URL"
SQLITE_FILE = "quickscan.sqlite3"
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 5
# Any constant: PostgreSQL's advisory lock that lets one process at a time migrate or import.
MIGRATION_LOCK_KEY = 72_731_774


def default_data_dir(environ: dict | None = None) -> Path:
    """QUICKSCAN_DATA_DIR, else the user's data folder (XDG), so rounds outlive a checkout."""
    environ = os.environ if environ is None else environ
    if environ.get(DATA_DIR_VARIABLE):
        return Path(environ[DATA_DIR_VARIABLE]).expanduser()
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "share")
    return Path(base).expanduser() / "quickscan-dashboard"


def database_url(data_dir: str | Path | None = None, environ: dict | None = None) -> URL:
    """An explicit data directory means SQLite there; otherwise QUICKSCAN_DATABASE_URL, else SQLite in the
    default data directory."""
    environ = os.environ if environ is None else environ
    if data_dir is None and environ.get(DATABASE_URL_VARIABLE):
        return _postgres_driver(environ[DATABASE_URL_VARIABLE].strip())
    directory = Path(data_dir).expanduser() if data_dir is not None else default_data_dir(environ)
    return URL.create("sqlite", database=str(directory / SQLITE_FILE))


def _postgres_driver(text: str) -> URL:
    try:
        url = make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"{DATABASE_URL_VARIABLE} is geen geldige database-URL "
                         "(verwacht: postgresql://gebruiker:wachtwoord@server:5432/database).") from exc
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        raise StoreError(f"{DATABASE_URL_VARIABLE} noemt database '{url.get_backend_name()}'; "
                         "alleen PostgreSQL (of SQLite) wordt ondersteund.")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return url


class Database:
    """One engine per database, its schema migrated; ``read()`` and ``write()`` hand out transactions."""

    def __init__(self, url: URL):
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        self.location = url.database if self.is_sqlite else url.render_as_string(hide_password=True)
        self.data_dir = Path(url.database).parent if self.is_sqlite else None
        self.engine = self._engine()

    def _engine(self) -> Engine:
        if not self.is_sqlite:
            return sa.create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                                    connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
        engine = sa.create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine

    @contextlib.contextmanager
    def read(self, action: str = "gelezen"):
        """A read-only transaction: a consistent snapshot, never blocking a writer (WAL / MVCC)."""
        with translated(self.location, action), self.engine.connect() as connection, connection.begin():
            yield connection

    @contextlib.contextmanager
    def write(self, action: str = "opgeslagen"):
        """A write transaction: all of it lands or none of it does."""
        with translated(self.location, action), self.engine.connect() as connection:
            connection = connection.execution_options(quickscan_write=True)
            with connection.begin():
                yield connection

    @contextlib.contextmanager
    def statement(self, action: str = "opgeslagen"):
        """For one self-contained write statement: atomic on its own, so PostgreSQL runs it without the
        BEGIN and COMMIT round trips of a transaction; SQLite takes the write lock for it as write() does."""
        if self.is_sqlite:
            with self.write(action) as connection:
                yield connection
            return
        with translated(self.location, action), self.engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")

    def lock_for_maintenance(self, connection: Connection) -> None:
        """Within a write transaction: make other processes wait until it ends (migration, one-time import)."""
        if not self.is_sqlite:
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we say BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode: a killed process never loses or corrupts a commit; only a power cut may undo the
    # last few (never half of one). FULL would fsync every live answer and halve the writes a second.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get("quickscan_write")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def open_database(data_dir: str | Path | None = None, environ: dict | None = None) -> Database:
    """The process's Database for this place, migrated and with any old Parquet rounds imported.

    Opened once per process and URL: the engine keeps a pool, and the migration check runs once.
    """
    from analysis.store.migrate import prepare

    url = database_url(data_dir, environ)
    key = url.render_as_string(hide_password=False)
    with _OPEN_LOCK:
        database = _OPEN.get(key)
        if database is None:
            database = Database(url)
            prepare(database)
            _OPEN[key] = database
    return database


def forget_open_databases() -> None:
    """Close every pooled connection (tests; a server whose database moved)."""
    with _OPEN_LOCK:
        for database in _OPEN.values():
            database.dispose()
        _OPEN.clear()
