"""An older Parquet data directory is taken in once, with every figure the same; backups go both ways.

``tests/fixtures/legacy_data_dir`` was written by the Parquet version of the app itself (its
``RoundStore`` and ``KoppelingStore``): two rounds, one per instrument, and one koppeling.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.rounds import dataset_from_table
from analysis.scoring.summary import summarize, summary_to_dict
from analysis.store import KoppelingStore, RoundStore
from analysis.store.backup import export_store, import_store
from analysis.store.database import forget_open_databases
from analysis.store.migrate import head_revision
from tests.conftest import FIXTURES, ROOT

LEGACY = FIXTURES / "legacy_data_dir"
LEGACY_IDS = sorted(p.stem for p in LEGACY.glob("*.parquet"))


def figures_in_files(directory) -> dict:
    """Every round's full summary, read straight from the Parquet files as the old version read them."""
    return {path.stem: summary_to_dict(summarize(dataset_from_table(pq.read_table(path))))
            for path in sorted(directory.glob("*.parquet"))}


def figures_in_store(store: RoundStore) -> dict:
    return {info.round_id: summary_to_dict(summarize(store.load(info.round_id))) for info in store.list()}


@pytest.fixture
def old_dir(tmp_path):
    target = tmp_path / "old"
    shutil.copytree(LEGACY, target)
    return target


def test_an_old_data_directory_opens_with_every_round_and_koppeling_intact(old_dir):
    before = figures_in_files(old_dir)
    files = sorted(p.relative_to(old_dir) for p in old_dir.rglob("*") if p.is_file())
    store = RoundStore(str(old_dir))
    assert len(before) == 2 and figures_in_store(store) == before
    assert sorted(r.round_id for r in store.list()) == LEGACY_IDS
    first = store.find("Voorjaar 2025")
    assert (first.organisation, first.date, first.source_name) == ("Gemeente Voorbeeld", "2025-04-01",
                                                                   "quickscan_voorbeeld.xlsx")
    saved_privacy = store.load(first.round_id).source["privacy"]
    assert saved_privacy == {"reporting_columns": ["In welk team werkt u?"], "min_group_size": 5}
    assert [k.name for k in KoppelingStore(str(old_dir)).list()] == ["Forms wijkteams"]
    assert store.problems() == []
    # The old files stay where they were, untouched; the database is one file more.
    after = sorted(p.relative_to(old_dir) for p in old_dir.rglob("*") if p.is_file() and "sqlite3" not in p.name)
    assert after == files and figures_in_files(old_dir) == before


def test_the_import_runs_once_so_a_deleted_round_stays_deleted(old_dir):
    store = RoundStore(str(old_dir))
    store.delete(store.find("Voorjaar 2025").round_id)
    forget_open_databases()  # a restart
    assert [r.name for r in RoundStore(str(old_dir)).list()] == ["Najaar 2025"]


def test_what_an_attacker_left_in_the_old_directory_is_reported_and_never_breaks_a_page(old_dir):
    table = pq.read_table(old_dir / f"{LEGACY_IDS[0]}.parquet")
    metadata = table.schema.metadata
    missing = table.drop_columns(["stelling_7"]).replace_schema_metadata(metadata)
    pq.write_table(missing, old_dir / ("a" * 32 + ".parquet"))
    index = table.column_names.index("stelling_3")
    codes = pa.array([100] + table.column("stelling_3").to_pylist()[1:], pa.int8())
    pq.write_table(table.set_column(index, "stelling_3", codes).replace_schema_metadata(metadata),
                   old_dir / ("b" * 32 + ".parquet"))
    (old_dir / ("c" * 32 + ".parquet")).write_bytes(b"PAR1 half geschreven")
    os.mkfifo(old_dir / ("d" * 32 + ".parquet"))  # opening it for reading would block for ever
    (old_dir / ".tmp-0123.parquet").write_bytes(b"x" * 1_000_000)  # a killed rename's left-over
    store = RoundStore(str(old_dir))
    assert sorted(r.round_id for r in store.list()) == LEGACY_IDS  # the two real rounds, nothing else
    problems = store.problems()
    assert len(problems) == 3
    assert any("a" * 32 in line and "stelling 7 ontbreekt" in line for line in problems)
    assert any("b" * 32 in line and "codes buiten -1..5" in line for line in problems)
    assert any("c" * 32 in line and "beschadigd" in line for line in problems)


def test_a_damaged_round_document_is_refused_on_open_with_a_dutch_line(backend):
    table = pq.read_table(LEGACY / f"{LEGACY_IDS[0]}.parquet")
    metadata = table.schema.metadata
    index = table.column_names.index("stelling_3")
    codes = pa.array([100] + table.column("stelling_3").to_pylist()[1:], pa.int8())
    from analysis.rounds import RoundError, info_from_payload
    from analysis.store.rounds import insert_round

    bad = table.set_column(index, "stelling_3", codes).replace_schema_metadata(metadata)
    sink = pa.BufferOutputStream()
    pq.write_table(bad, sink)
    info = info_from_payload(bad)
    with backend.database.write() as connection:  # as if written by a buggy or hostile writer
        insert_round(connection, info, sink.getvalue().to_pybytes())
    with pytest.raises(RoundError, match="stelling 3 bevat codes buiten"):
        RoundStore(backend.database).load(info.round_id)


def test_export_then_import_into_an_empty_database_gives_identical_figures(backend, old_dir, tmp_path):
    source = RoundStore(str(old_dir))
    before = figures_in_store(source)
    written = export_store(source.database, tmp_path / "backup")
    assert written == {"rounds": 2, "koppelingen": 1, "plannen": 0, "leernetwerken": 0}
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text("utf-8"))
    assert sorted(entry["file"] for entry in manifest["rounds"]) == [f"{i}.parquet" for i in LEGACY_IDS]
    report = import_store(backend.database, tmp_path / "backup")
    assert (report["imported"], report["present"], report["refused"], report["koppelingen"]) == (2, 0, [], 1)
    target = RoundStore(backend.database)
    assert figures_in_store(target) == before
    assert [r.label for r in target.list()] == [r.label for r in source.list()]
    assert [k.name for k in KoppelingStore(backend.database).list()] == ["Forms wijkteams"]
    again = import_store(backend.database, tmp_path / "backup")
    assert (again["imported"], again["present"]) == (0, 2)


def test_a_changed_backup_file_is_refused_and_the_rest_imported(backend, old_dir, tmp_path):
    export_store(RoundStore(str(old_dir)).database, tmp_path / "backup")
    victim = tmp_path / "backup" / f"{LEGACY_IDS[0]}.parquet"
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
    report = import_store(backend.database, tmp_path / "backup")
    assert report["imported"] == 1 and len(report["refused"]) == 1 and "controlegetal" in report["refused"][0]


def test_export_refuses_a_folder_that_is_not_empty(old_dir, tmp_path):
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "iets.txt").write_text("x")
    from analysis.rounds import RoundError

    with pytest.raises(RoundError, match="niet leeg"):
        export_store(RoundStore(str(old_dir)).database, tmp_path / "vol")


def run_cli(*args, environ: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **environ}, timeout=120)


def test_db_commands_export_import_status_and_upgrade(backend, old_dir, tmp_path):
    old = {"QUICKSCAN_DATA_DIR": str(old_dir)}
    done = run_cli("db", "export", str(tmp_path / "b"), environ=old)
    assert done.returncode == 0, done.stderr
    assert "2 meetronde(s), 1 koppeling(en), 0 verbeterplan(nen), 0 leernetwerk(en)" in done.stdout
    done = run_cli("db", "import", str(tmp_path / "b"), environ=backend.environ)
    assert done.returncode == 0 and "2 meetronde(s) nieuw, 0 al aanwezig, 1 koppeling(en)" in done.stdout
    status = run_cli("db", "status", environ=backend.environ)
    assert "Meetrondes: 2" in status.stdout and f"Schemaversie: {head_revision()}" in status.stdout
    upgrade = run_cli("db", "upgrade", environ=backend.environ)
    assert upgrade.returncode == 0 and "al bij" in upgrade.stdout
    listing = run_cli("rounds", "list", "--format", "json", environ=backend.environ)
    assert sorted(r["id"] for r in json.loads(listing.stdout)) == LEGACY_IDS


def test_plans_and_networks_go_along_with_a_backup(backend, old_dir, tmp_path):
    import dataclasses

    from analysis.meeting.plan import Action, Focus
    from analysis.store.networks import NetworkStore
    from analysis.store.plans import PlanStore

    source = RoundStore(str(old_dir))
    first = source.find("Voorjaar 2025")
    plans = PlanStore(source.database)
    plan = plans.save(dataclasses.replace(plans.get(first.round_id), focuses=(Focus(7, (Action("Intervisie"),)),)),
                      user="ana")
    plans.save(dataclasses.replace(plan, notes="Les"), user="bo")
    network = NetworkStore(source.database).create("Oost", "quickscan-dsb", ["Gemeente Voorbeeld", "Wijkteam Oost"])
    written = export_store(source.database, tmp_path / "b")
    assert (written["plannen"], written["leernetwerken"]) == (1, 1)
    report = import_store(backend.database, tmp_path / "b")
    assert (report["plannen"], report["leernetwerken"], report["refused"]) == (1, 1, [])
    restored = PlanStore(backend.database).get(first.round_id)
    assert (restored.version, restored.notes, restored.updated_by) == (2, "Les", "bo")
    assert [v for v, _, _ in PlanStore(backend.database).history(first.round_id)] == [1, 2]
    [copy] = NetworkStore(backend.database).list()
    assert (copy.name, copy.organisations, copy.name_secret) == ("Oost", network.organisations, network.name_secret)


def test_the_written_out_head_is_the_newest_migration():
    from analysis.store.migrate import HEAD

    assert HEAD == head_revision()
