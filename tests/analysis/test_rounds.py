"""The round store: round trips, atomic saves under failure and kill, concurrent saves, deletes."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis import rounds as rounds_module
from analysis.ingest import Overrides, ingest_bytes, ingest_file
from analysis.rounds import RoundError, RoundStore, default_data_dir, mark_sample, round_of
from analysis.summary import summarize, summary_to_dict
from tests.conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "quickscan_voorbeeld.xlsx"
GROUP = "In welk team werkt u?"


def csv_bytes(matrix, teams, odd_value: str | None = None) -> bytes:
    header = "Team," + ",".join(f"Stelling {i}" for i in range(1, 25))
    rows = [header]
    for r, (codes, team) in enumerate(zip(matrix, teams)):
        cells = ["" if c == -1 else ("Onbekend" if c == 0 else str(c)) for c in codes]
        if odd_value and r == 0:
            cells[0] = odd_value
        rows.append(team + "," + ",".join(cells))
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def store(tmp_path):
    return RoundStore(tmp_path / "rondes")


@pytest.fixture(scope="module")
def sample():
    return ingest_file(SAMPLE)


def test_round_trip_gives_identical_scores_and_survives_a_restart(store, sample):
    info = store.save(sample, "Gemeente Voorbeeld", "Najaar 2025", "2025-11-01", source_name=SAMPLE.name)
    reopened = RoundStore(store.directory)  # a restarted app: nothing kept in memory
    assert [r.round_id for r in reopened.list()] == [info.round_id]
    loaded = reopened.load(info.round_id)
    assert summary_to_dict(summarize(loaded, GROUP)) == summary_to_dict(summarize(sample, GROUP))
    assert np.array_equal(loaded.codes, sample.codes)
    assert loaded.respondent_ids == [str(r) for r in sample.respondent_ids]
    assert list(loaded.metadata.columns) == list(sample.metadata.columns)
    assert loaded.metadata[GROUP].tolist() == sample.metadata[GROUP].tolist()
    assert round_of(loaded) == info and info.respondents == 43 and info.source_name == SAMPLE.name


def test_value_fixes_are_frozen_into_the_round(store):
    raw = csv_bytes(CANONICAL, TEAMS, odd_value="Redelijk")
    assert not ingest_bytes(raw, "x.csv").blocking_issues.empty
    overrides = Overrides(values={"Redelijk": 4})
    fixed = ingest_bytes(raw, "x.csv", overrides=overrides)
    info = store.save(fixed, "Org", "Ronde 1", "2025-01-15", overrides.to_dict())
    loaded = store.load(info.round_id)
    assert loaded.codes[0, 0] == 4
    assert summary_to_dict(summarize(loaded)) == summary_to_dict(summarize(fixed))
    assert store.list()[0].overrides == {"columns": {}, "values": {"Redelijk": 4}}


def test_a_dataset_with_open_issues_is_refused(store):
    dataset = ingest_bytes(csv_bytes(CANONICAL, TEAMS, odd_value="Redelijk"), "x.csv")
    with pytest.raises(RoundError, match="onopgeloste punten"):
        store.save(dataset, "Org", "Ronde", "2025-01-01")
    assert store.list() == []


@pytest.mark.parametrize("organisation,name,date,message", [
    ("", "R", "2025-01-01", "organisatie"), ("Org", "  ", "2025-01-01", "naam"),
    ("Org", "R", "1-2-2025", "geen geldige datum"), ("Org", "R", "2025-02-30", "geen geldige datum")])
def test_bad_round_descriptions_get_a_dutch_message(store, sample, organisation, name, date, message):
    with pytest.raises(RoundError, match=message):
        store.save(sample, organisation, name, date)


def test_list_is_sorted_by_measurement_date_and_find_accepts_name_or_prefix(store, sample):
    late = store.save(sample, "Org", "Najaar", "2025-11-01")
    early = store.save(sample, "Org", "Voorjaar", "2025-04-01")
    assert [r.name for r in store.list()] == ["Voorjaar", "Najaar"]
    assert store.find("voorjaar") == early
    assert store.find(late.round_id[:6]) == late
    with pytest.raises(RoundError, match="niet gevonden"):
        store.find("Zomer")
    store.save(sample, "Org", "Najaar", "2026-11-01")
    with pytest.raises(RoundError, match="meer dan één"):
        store.find("Najaar")


def test_rename_keeps_the_numbers(store, sample):
    info = store.save(sample, "Org", "Ronde 1", "2025-04-01")
    renamed = store.rename(info.round_id, "Nulmeting")
    assert renamed.round_id == info.round_id and renamed.date == info.date
    assert [r.name for r in RoundStore(store.directory).list()] == ["Nulmeting"]
    assert np.array_equal(store.load(info.round_id).codes, sample.codes)


def test_delete_is_permanent(store, sample):
    keep = store.save(sample, "Org", "Blijft", "2025-04-01")
    gone = store.save(sample, "Org", "Weg", "2025-11-01")
    store.delete(gone.round_id)
    assert [r.round_id for r in RoundStore(store.directory).list()] == [keep.round_id]
    assert not store.path_of(gone.round_id).exists()
    with pytest.raises(RoundError):
        store.load(gone.round_id)
    with pytest.raises(RoundError, match="niet gevonden"):
        store.delete(gone.round_id)


def test_a_damaged_file_is_reported_not_listed(store, sample):
    store.save(sample, "Org", "Goed", "2025-04-01")
    (store.directory / ("f" * 32 + ".parquet")).write_bytes(b"PAR1 half geschreven")
    assert [r.name for r in store.list()] == ["Goed"]
    assert store.unreadable_files() == ["f" * 32 + ".parquet"]
    with pytest.raises(RoundError, match="beschadigd"):
        store.load("f" * 32)


def test_ids_cannot_escape_the_data_directory(store):
    with pytest.raises(RoundError, match="geen geldig id"):
        store.path_of("../../etc/passwd")


def test_default_data_dir_follows_the_environment(tmp_path):
    assert default_data_dir({"QUICKSCAN_DATA_DIR": str(tmp_path)}) == tmp_path
    assert default_data_dir({"XDG_DATA_HOME": "/x/data", "HOME": "/h"}) == Path("/x/data/quickscan-dashboard")
    assert default_data_dir({"HOME": "/h"}) == Path("/h/.local/share/quickscan-dashboard")


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def _failing_write(table, handle, **kwargs):
    handle.write(b"PAR1" + b"\0" * 1000)  # half a file on disk, then the process dies
    raise Crash


def _fault():
    def fail(*args, **kwargs):
        raise Crash
    return fail


FAULTS = {
    "mkdir": ("mkdir", None), "write": ("write_table", _failing_write), "fsync": ("fsync", None),
    "replace": ("replace", None), "directory-fsync": ("_fsync_directory", None),
}


@pytest.mark.parametrize("step", sorted(FAULTS))
@pytest.mark.parametrize("operation", ["save", "rename"])
def test_an_interrupted_write_leaves_the_store_consistent(store, sample, monkeypatch, step, operation):
    first = store.save(sample, "Org", "Eerste", "2025-04-01")
    before = {r.round_id: r for r in store.list()}
    target, replacement = FAULTS[step]
    owner = {"write_table": rounds_module.pq, "fsync": rounds_module.os, "replace": rounds_module.os,
             "_fsync_directory": rounds_module, "mkdir": type(store.directory)}[target]
    monkeypatch.setattr(owner, target, replacement or _fault())
    with pytest.raises(Crash):
        if operation == "save":
            store.save(sample, "Org", "Tweede", "2025-11-01")
        else:
            store.rename(first.round_id, "Nieuwe naam")
    monkeypatch.undo()
    after = {r.round_id: r for r in RoundStore(store.directory).list()}
    landed = step == "directory-fsync"  # the rename into place already happened: the write is whole
    if operation == "save":
        assert set(before) <= set(after) and len(after) == len(before) + landed
    else:
        assert set(after) == set(before)
        assert after[first.round_id].name == ("Nieuwe naam" if landed else "Eerste")
    for info in after.values():
        assert np.array_equal(store.load(info.round_id).codes, sample.codes)
    assert store.unreadable_files() == []


SAVER = """
import sys
from analysis.ingest import ingest_file
from analysis.rounds import RoundStore
from pathlib import Path

import numpy as np
dataset = ingest_file(sys.argv[2])
reps = int(sys.argv[4])
dataset.codes = np.asfortranarray(np.tile(dataset.codes, (reps, 1)))
dataset.respondent_ids = list(range(dataset.codes.shape[0]))
dataset.metadata = dataset.metadata.iloc[np.tile(np.arange(len(dataset.metadata)), reps)].reset_index(drop=True)
store = RoundStore(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.save(dataset, "Org", f"{sys.argv[5]} {i}", "2025-06-01")
    print("saved", flush=True)
"""


def _saver(directory, count, reps, prefix):
    return subprocess.Popen([sys.executable, "-c", SAVER, str(directory), str(SAMPLE), str(count), str(reps), prefix],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_killed_saving_process_never_leaves_a_half_round(store, sample):
    base = store.save(sample, "Org", "Basis", "2025-01-01")
    # At least five kills, and more (up to twenty) until one has landed mid-write: a kill between two saves
    # proves nothing, and how often that happens depends on how busy the machine is.
    delays = [0.0, 0.05, 0.1, 0.2, 0.3] * 4
    for attempt, delay in enumerate(delays):
        if attempt >= 5 and list(store.directory.glob(".tmp-*")):
            break
        process = _saver(store.directory, 1000, 1000, f"poging{attempt}")
        # Kill only once the saver is saving back to back (after its first round), so the kill lands in a
        # save however slow the machine is to start Python; a fixed delay from the start did not.
        assert process.stdout.readline().strip() == "saved", process.stderr.read()
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        listed = RoundStore(store.directory).list()
        assert base.round_id in {r.round_id for r in listed}
        assert store.unreadable_files() == []
        for info in listed:
            assert store.load(info.round_id).n_respondents == info.respondents
    # The kills really landed mid-write: their temporary files are there, and were never listed.
    assert list(store.directory.glob(".tmp-*"))


def test_two_sessions_saving_at_once_both_land(store):
    savers = [_saver(store.directory, 4, 20, name) for name in ("Sessie A", "Sessie B")]
    for process in savers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    names = sorted(r.name for r in store.list())
    assert names == sorted(f"Sessie {s} {i}" for s in "AB" for i in range(4))
    assert all(r.respondents == 43 * 20 for r in store.list())


def test_stale_temporaries_are_cleaned_on_the_next_save(store, sample):
    store.directory.mkdir(parents=True)
    old = store.directory / ".tmp-oud.parquet"
    young = store.directory / ".tmp-jong.parquet"
    old.write_bytes(b"x")
    young.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    store.save(sample, "Org", "R", "2025-01-01")
    assert not old.exists() and young.exists()


DYING_SAVER = """
import os, signal, sys
from analysis import rounds
from analysis.ingest import ingest_file

write_table = rounds.pq.write_table


class Dying:
    # A file that takes the whole process down once KILL_AFTER bytes of the round are on disk.
    def __init__(self, handle):
        self.handle, self.written = handle, 0

    def write(self, data):
        count = self.handle.write(data)
        self.written += len(data)
        if self.written > int(sys.argv[3]):
            self.handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return count

    def __getattr__(self, name):
        return getattr(self.handle, name)


rounds.pq.write_table = lambda table, handle, **kwargs: write_table(table, Dying(handle), **kwargs)
rounds.RoundStore(sys.argv[1]).save(ingest_file(sys.argv[2]), "Org", "Half", "2025-06-01")
"""


@pytest.mark.parametrize("kill_after", [0, 2000, 8000])
def test_a_process_killed_at_a_chosen_byte_of_the_write_leaves_no_half_round(store, sample, kill_after):
    """The deterministic twin of the test above: the kill lands in the middle of writing, every time."""
    base = store.save(sample, "Org", "Basis", "2025-01-01")
    process = subprocess.run([sys.executable, "-c", DYING_SAVER, str(store.directory), str(SAMPLE), str(kill_after)],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr
    [temporary] = store.directory.glob(".tmp-*")
    assert temporary.stat().st_size > kill_after  # part of the round was written, and stayed a temporary
    assert [r.round_id for r in RoundStore(store.directory).list()] == [base.round_id]
    assert store.unreadable_files() == []


def test_the_same_round_twice_is_refused_with_a_dutch_line(store, sample):
    first = store.save(sample, "Gemeente X", "Voorjaar 2025", "2025-04-07")
    with pytest.raises(RoundError, match=r"Er is al een meetronde 'Gemeente X · Voorjaar 2025 \(7 april 2025\)'"):
        store.save(sample, " gemeente  x ", "VOORJAAR 2025", "2025-04-07")
    assert [r.round_id for r in store.list()] == [first.round_id]
    # Another date, name or organisation is another round.
    store.save(sample, "Gemeente X", "Voorjaar 2025", "2025-04-08")
    store.save(sample, "Gemeente Y", "Voorjaar 2025", "2025-04-07")
    assert len(store.list()) == 3
    assert [r.round_id for r in store.existing("GEMEENTE X", "voorjaar 2025", "2025-04-07")] == [first.round_id]


def test_replacing_a_round_keeps_one_with_the_new_answers(store, sample):
    first = store.save(sample, "Org", "Ronde", "2025-04-07")
    other = ingest_bytes(csv_bytes(CANONICAL, TEAMS), "ander.csv")
    replacement = store.save(other, "Org", "Ronde", "2025-04-07", replace=True)
    assert [r.round_id for r in store.list()] == [replacement.round_id]
    assert not store.path_of(first.round_id).exists()
    assert np.array_equal(store.load(replacement.round_id).codes, other.codes)


def test_renaming_onto_an_existing_round_is_refused(store, sample):
    store.save(sample, "Org", "Voorjaar", "2025-04-07")
    second = store.save(sample, "Org", "Tijdelijk", "2025-04-07")
    with pytest.raises(RoundError, match="Er is al een meetronde"):
        store.rename(second.round_id, "voorjaar")
    assert store.find(second.round_id).name == "Tijdelijk"


def test_sample_data_is_never_saved(store, sample):
    with pytest.raises(RoundError, match="voorbeelddata"):
        store.save(mark_sample(dataclasses.replace(sample, source=dict(sample.source))), "Org", "Voorbeeld",
                   "2025-04-07")
    assert store.list() == []
