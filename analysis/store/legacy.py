"""The one-time import of a data directory written by the Parquet version of the app.

That version kept each round as ``<data dir>/<id>.parquet`` and each koppeling as
``<data dir>/koppelingen/<hash>.json``. The first time a process opens the SQLite database in such
a directory, every file is read, checked exactly as a loaded round is, and inserted with its own id
and description, so the figures are identical; the files are left where they are. Each file's
outcome is recorded in ``legacy_files``: the import never runs twice for a file, a round deleted
later is not brought back, and a file that could not be read is reported on every listing.

Only regular files are opened (a FIFO or device named ``*.parquet`` would block a reader), and a
file too large to be a round is skipped with a reason, never read.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from analysis.errors import RoundError
from analysis.store.schema import legacy_files, store_settings

ROUND_SUFFIX = ".parquet"
KOPPELING_FOLDER = "koppelingen"
DONE_KEY = "legacy_import_done"
MAX_ROUND_BYTES = 512 * 1024 * 1024
MAX_KOPPELING_BYTES = 2_000_000


def _regular_files(folder: Path, suffix: str) -> list[Path]:
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []
    found = []
    for path in entries:
        if path.suffix != suffix or path.name.startswith("."):
            continue  # ".tmp-" left-overs of killed saves are never rounds
        try:
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path)
        except OSError:
            continue
    return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _read_round(path: Path) -> tuple:
    """(info, Parquet bytes) of a legacy round file, checked as a stored round is; RoundError if it is not one."""
    from analysis.rounds import dataset_from_table, info_from_payload, read_document  # pandas: only when needed

    if path.stat().st_size > MAX_ROUND_BYTES:
        raise RoundError("te groot om een meetronde te zijn")
    content = path.read_bytes()
    table = read_document(content)
    try:
        info = info_from_payload(table)
    except (KeyError, TypeError, ValueError) as exc:
        raise RoundError("geen beschrijving van een meetronde") from exc
    dataset_from_table(table, info)  # the same checks as opening it: all statements, known codes
    return info, content


def _read_koppeling(path: Path):
    from analysis.ingest.koppelingen import Koppeling

    if path.stat().st_size > MAX_KOPPELING_BYTES:
        raise RoundError("te groot om een koppeling te zijn")
    try:
        return Koppeling.from_dict(json.loads(path.read_text("utf-8")))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise RoundError("geen leesbare koppeling") from exc


def import_legacy_directory(database, directory: Path) -> dict:
    """Take in the directory's Parquet rounds and JSON koppelingen once (recorded in legacy_files)."""
    with database.read() as connection:
        if connection.execute(sa.select(store_settings.c.value).where(store_settings.c.key == DONE_KEY)).scalar():
            return {}
    with database.write("overgenomen") as connection:
        database.lock_for_maintenance(connection)
        if connection.execute(sa.select(store_settings.c.value).where(store_settings.c.key == DONE_KEY)).scalar():
            return {}
        report = _import_files(connection, directory, record=True)
        connection.execute(sa.insert(store_settings).values(key=DONE_KEY, value=_now()))
    return report


def import_legacy_files(database, directory: Path) -> dict:
    """``db import`` of an older data directory: the same reading, on request, not recorded."""
    with database.write("overgenomen") as connection:
        return _import_files(connection, directory, record=False)


def _import_files(connection, directory: Path, record: bool) -> dict:
    report = {"imported": 0, "present": 0, "refused": [], "koppelingen": 0}
    for path in _regular_files(directory, ROUND_SUFFIX):
        _import_one(connection, path, "round", _insert_round, report, record)
    for path in _regular_files(directory / KOPPELING_FOLDER, ".json"):
        _import_one(connection, path, "koppeling", _insert_koppeling, report, record)
    return report


def _import_one(connection, path: Path, kind: str, insert, report: dict, record: bool) -> None:
    name = f"{KOPPELING_FOLDER}/{path.name}" if kind == "koppeling" else path.name
    try:
        with connection.begin_nested():  # a refused file undoes only itself (PostgreSQL aborts the whole otherwise)
            insert(connection, path)
        outcome, detail = "imported", ""
    except sa_exc.IntegrityError:
        outcome, detail = "duplicate", "er is al een meetronde of koppeling met hetzelfde id, dezelfde naam of datum"
    except (RoundError, OSError) as exc:
        outcome, detail = "unreadable", str(exc) if isinstance(exc, RoundError) else (exc.strerror or str(exc))
    if outcome == "imported":
        report["imported" if kind == "round" else "koppelingen"] += 1
    elif outcome == "duplicate" and kind == "round" and _id_present(connection, path.stem):
        report["present"] += 1
    else:
        report["refused"].append(f"{name}: {detail}")
    if record:
        connection.execute(sa.insert(legacy_files).values(file_name=name, kind=kind, outcome=outcome,
                                                          detail=detail, imported_at=_now()))


def _id_present(connection, round_id: str) -> bool:
    return connection.execute(sa.text("SELECT 1 FROM rounds WHERE id = :id"), {"id": round_id}).first() is not None


def _insert_round(connection, path: Path) -> None:
    from analysis.store.rounds import insert_round

    info, content = _read_round(path)
    insert_round(connection, info, content)


def _insert_koppeling(connection, path: Path) -> None:
    from analysis.store.koppelingen import insert_koppeling

    insert_koppeling(connection, _read_koppeling(path), replace=False)


def legacy_problems(database) -> list[str]:
    """One Dutch line per older file that could not be taken in."""
    with database.read() as connection:
        rows = connection.execute(sa.select(legacy_files.c.file_name, legacy_files.c.detail)
                                  .where(legacy_files.c.outcome != "imported")
                                  .order_by(legacy_files.c.file_name)).all()
    return [f"{row.file_name} is niet overgenomen ({row.detail})" for row in rows]
