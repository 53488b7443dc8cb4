"""Bring a database to the newest schema and, once, take in the Parquet rounds of an older version.

Runs when a process first opens the database (``open_database``) and on ``python -m analysis db
upgrade``. Several processes may start at once: the check is a cheap read, and the upgrade itself
runs in one write transaction that holds the database's writer lock (SQLite) or an advisory lock
(PostgreSQL), so only one process migrates and the others find the work done.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from analysis.store.errors import StoreError, os_reason, translated

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision, written out so a process whose database is up to date never loads Alembic (a test
# keeps it equal to the newest file in migrations/versions).
HEAD = "0004"


def _config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(database) -> str | None:
    with database.read("geopend") as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(database) -> bool:
    """Migrate to the newest revision; True when something changed."""
    if current_revision(database) == HEAD:
        return False
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with database.write("bijgewerkt") as connection:
        database.lock_for_maintenance(connection)
        if MigrationContext.configure(connection).get_current_revision() == head_revision():
            return False
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True


def prepare(database) -> None:
    """Everything a process needs before its first query: the folder, the schema, the old rounds."""
    from analysis.store.legacy import import_legacy_directory

    if database.is_sqlite:
        with translated(database.location, "geopend"):
            try:
                database.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"De map voor meetrondes {database.data_dir} kan niet worden aangemaakt: "
                                 f"{os_reason(exc)}.") from exc
    upgrade(database)
    if database.is_sqlite:
        import_legacy_directory(database, database.data_dir)
