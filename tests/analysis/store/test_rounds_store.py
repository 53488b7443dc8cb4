"""The round store on both backends: round trips, frozen fixes, duplicates, rename and delete."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.ingest.dataset import Overrides, ingest_bytes, ingest_file
from analysis.rounds import RoundError, mark_sample, round_of
from analysis.scoring.summary import summarize, summary_to_dict
from analysis.store import RoundStore, default_data_dir, open_database
from analysis.store.database import forget_open_databases
from tests.conftest import SAMPLES

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
def store(backend):
    return RoundStore(backend.database)


def reopened(backend) -> RoundStore:
    """The store as a restarted app sees it: no engine, pool or cache kept from before."""
    forget_open_databases()
    return RoundStore(open_database(environ=backend.environ))


@pytest.fixture(scope="module")
def sample():
    return ingest_file(SAMPLE)


def test_round_trip_gives_identical_scores_and_survives_a_restart(backend, store, sample):
    info = store.save(sample, "Gemeente Voorbeeld", "Najaar 2025", "2025-11-01", source_name=SAMPLE.name)
    again = reopened(backend)
    assert [r.round_id for r in again.list()] == [info.round_id]
    loaded = again.load(info.round_id)
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


def test_rename_keeps_the_numbers_and_changes_the_version(backend, store, sample):
    info = store.save(sample, "Org", "Ronde 1", "2025-04-01")
    version = store.version(info.round_id)
    renamed = store.rename(info.round_id, "Nulmeting")
    assert renamed.round_id == info.round_id and renamed.date == info.date
    assert store.version(info.round_id) == version + 1
    assert [r.name for r in reopened(backend).list()] == ["Nulmeting"]
    assert round_of(store.load(info.round_id)).name == "Nulmeting"
    assert np.array_equal(store.load(info.round_id).codes, sample.codes)


def test_delete_is_permanent(backend, store, sample):
    keep = store.save(sample, "Org", "Blijft", "2025-04-01")
    gone = store.save(sample, "Org", "Weg", "2025-11-01")
    store.delete(gone.round_id)
    assert [r.round_id for r in reopened(backend).list()] == [keep.round_id]
    with pytest.raises(RoundError):
        store.load(gone.round_id)
    with pytest.raises(RoundError, match="niet gevonden"):
        store.delete(gone.round_id)


def test_ids_are_checked_before_any_query(store):
    with pytest.raises(RoundError, match="geen geldig id"):
        store.load("../../etc/passwd")


def test_default_data_dir_follows_the_environment(tmp_path):
    assert default_data_dir({"QUICKSCAN_DATA_DIR": str(tmp_path)}) == tmp_path
    assert default_data_dir({"XDG_DATA_HOME": "/x/data", "HOME": "/h"}) == Path("/x/data/quickscan-dashboard")
    assert default_data_dir({"HOME": "/h"}) == Path("/h/.local/share/quickscan-dashboard")


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
    with pytest.raises(RoundError, match="bestaat niet"):
        store.load(first.round_id)
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
