"""A database that is broken, unreachable or not ours to write gives one Dutch line, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.store import RoundStore, StoreError, open_database
from analysis.store.database import SQLITE_FILE, forget_open_databases
from tests.conftest import ROOT, SAMPLES
from tests.pg_server import _free_port

SAMPLE = SAMPLES / "quickscan_voorbeeld.xlsx"


def run_cli(*args, environ: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **environ}, timeout=120)


def one_dutch_line(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("Fout: De meetrondes in ")
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.fixture(autouse=True)
def fresh():
    yield
    forget_open_databases()


def test_an_unreachable_server(tmp_path):
    environ = {"QUICKSCAN_DATABASE_URL": f"postgresql://quickscan:geheim@127.0.0.1:{_free_port()}/qs"}
    with pytest.raises(StoreError, match="niet bereikbaar"):
        open_database(environ=environ)
    done = run_cli("rounds", "list", environ=environ)
    one_dutch_line(done, "niet bereikbaar")
    assert "geheim" not in done.stderr  # the password is never printed


def test_a_url_that_is_no_database_url():
    with pytest.raises(StoreError, match="geen geldige database-URL"):
        open_database(environ={"QUICKSCAN_DATABASE_URL": "dit is geen url"})
    with pytest.raises(StoreError, match="alleen PostgreSQL"):
        open_database(environ={"QUICKSCAN_DATABASE_URL": "mysql://x@localhost/db"})


def test_a_missing_database_on_a_running_server(postgres_server):
    environ = {"QUICKSCAN_DATABASE_URL": postgres_server.url("bestaat_niet")}
    one_dutch_line(run_cli("rounds", "list", environ=environ), "bestaat niet op de server")


def test_a_damaged_database_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / SQLITE_FILE).write_bytes(b"dit is geen database" * 100)
    with pytest.raises(StoreError, match="beschadigd"):
        RoundStore(str(data))
    one_dutch_line(run_cli("rounds", "list", environ={"QUICKSCAN_DATA_DIR": str(data)}), "beschadigd")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere; run as a normal user to see this")
def test_a_read_only_data_directory_as_a_normal_user(tmp_path):  # pragma: no cover - CI runs as root
    data = tmp_path / "data"
    RoundStore(str(data)).save(ingest_file(SAMPLE), "Org", "R", "2025-01-01")
    forget_open_databases()
    data.chmod(0o555)
    (data / SQLITE_FILE).chmod(0o444)
    try:
        one_dutch_line(run_cli("rounds", "delete", "R", "--yes", environ={"QUICKSCAN_DATA_DIR": str(data)}))
    finally:
        data.chmod(0o755)


READ_ONLY = """
import os, sys
# Everything imported first: the interpreter lives under /root, which nobody may read.
import sqlite3, psycopg, sqlalchemy.dialects.sqlite, sqlalchemy.dialects.sqlite.pysqlite
import alembic.command, alembic.runtime.migration, alembic.script
import analysis.store.migrate, analysis.store.legacy, analysis.store.rounds, analysis.store.koppelingen
import analysis.scoring.summary, analysis.scoring.progress, analysis.ingest.dataset
from analysis.cli import main
os.setgid(65534); os.setuid(65534)  # nobody: the directory and its database are not ours to write
sys.exit(main(sys.argv[1:]))
"""


def _as_nobody(*args, data) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", READ_ONLY, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "QUICKSCAN_DATA_DIR": str(data), "HOME": "/tmp"}, timeout=120)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the command as another user")
def test_a_data_directory_that_is_not_ours_to_write():
    base = Path(tempfile.mkdtemp())  # pytest's own folders are closed to other users
    data = base / "data"
    RoundStore(str(data)).save(ingest_file(SAMPLE), "Org", "R", "2025-01-01")
    forget_open_databases()
    base.chmod(0o755)
    for path in (data, *data.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    done = _as_nobody("rounds", "delete", "R", "--yes", data=data)
    one_dutch_line(done, "alleen-lezen")
    data.chmod(0o700)  # and one it may not even read
    for args in (["rounds", "list"], ["compare", "R", "R"],
                 ["rounds", "save", str(SAMPLE), "--organisation", "O", "--name", "N", "--date", "2025-01-01"]):
        done = _as_nobody(*args, data=data)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith(("Fout: De meetrondes in ", "Fout: De map voor meetrondes")), done.stderr
        assert "geen rechten" in done.stderr or "kan niet worden geopend" in done.stderr, done.stderr
    data.chmod(0o755)
    assert [r.name for r in RoundStore(str(data)).list()] == ["R"]
    shutil.rmtree(base)
