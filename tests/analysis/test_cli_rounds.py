"""``python -m analysis rounds ...`` and ``compare``: the contract analysts script against."""

from __future__ import annotations

import json

import pytest
from make_fixtures import CANONICAL, TEAMS

from tests.analysis.scoring.test_progress import MATRIX_B, TEAMS_B, reference_changes
from tests.analysis.store.test_rounds_store import csv_bytes
from tests.analysis.test_cli import run


@pytest.fixture
def exports(tmp_path):
    first, second = tmp_path / "voorjaar.csv", tmp_path / "najaar.csv"
    first.write_bytes(csv_bytes(CANONICAL, TEAMS))
    second.write_bytes(csv_bytes(MATRIX_B, TEAMS_B))
    return first, second


def save(data_dir, path, name, date):
    result = run("rounds", "save", path, "--organisation", "Gemeente Test", "--name", name, "--date", date,
                 "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    return result


def listed(data_dir):
    result = run("rounds", "list", "--format", "json", "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_save_list_compare(tmp_path, exports):
    data_dir = tmp_path / "store"
    save(data_dir, exports[1], "Najaar", "2025-11-01")
    save(data_dir, exports[0], "Voorjaar", "2025-04-01")
    rounds = listed(data_dir)
    assert [(r["name"], r["respondents"], r["source"]) for r in rounds] == [
        ("Voorjaar", 12, "voorjaar.csv"), ("Najaar", 12, "najaar.csv")]
    result = run("compare", "Voorjaar", rounds[1]["id"][:8], "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = reference_changes()
    for item in data["statements"]:
        want = expected[item["id"]]
        assert item["change"] == (None if want is None else pytest.approx(want, abs=0.006))
    # Changed for issue 11: 12 respondents with this spread show no change larger than chance.
    assert data["largest_declines"] == [] and not any(s["significant"] for s in data["statements"])
    table = run("compare", "Voorjaar", "Najaar", "--format", "table", "--data-dir", data_dir)
    assert "Grootste achteruitgang: geen duidelijke verandering" in table.stdout


def test_compare_names_clear_changes_with_their_interval(tmp_path):
    """Ten times the respondents, the same changes: now they are larger than chance."""
    first, second = tmp_path / "voorjaar.csv", tmp_path / "najaar.csv"
    first.write_bytes(csv_bytes(CANONICAL * 10, TEAMS * 10))
    second.write_bytes(csv_bytes(MATRIX_B * 10, TEAMS_B * 10))
    data_dir = tmp_path / "store"
    save(data_dir, first, "Voorjaar", "2025-04-01")
    save(data_dir, second, "Najaar", "2025-11-01")
    data = json.loads(run("compare", "Voorjaar", "Najaar", "--data-dir", data_dir).stdout)
    assert set(data["largest_declines"]) == {3, 7}
    [seven] = [s for s in data["statements"] if s["id"] == 7]
    assert seven["significant"] and seven["change_low"] < seven["change"] < seven["change_high"] < 0
    table = run("compare", "Voorjaar", "Najaar", "--format", "table", "--data-dir", data_dir).stdout
    assert "Grootste achteruitgang: 7, 3" in table
    assert "achteruitgang" in next(line for line in table.splitlines() if line.startswith("7 "))


def test_data_dir_from_the_environment(tmp_path, exports, monkeypatch):
    monkeypatch.setenv("QUICKSCAN_DATA_DIR", str(tmp_path / "env-store"))
    result = run("rounds", "save", exports[0], "--organisation", "Org", "--name", "R1", "--date", "2025-01-01")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env-store" / "quickscan.sqlite3").is_file()
    assert "1 meetronde(s)" in run("rounds", "list").stdout


def test_rename_and_confirmed_delete(tmp_path, exports):
    data_dir = tmp_path / "store"
    save(data_dir, exports[0], "Ronde 1", "2025-04-01")
    assert run("rounds", "rename", "Ronde 1", "Nulmeting", "--data-dir", data_dir).returncode == 0
    assert [r["name"] for r in listed(data_dir)] == ["Nulmeting"]
    refused = run("rounds", "delete", "Nulmeting", "--data-dir", data_dir)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert len(listed(data_dir)) == 1
    assert run("rounds", "delete", "Nulmeting", "--yes", "--data-dir", data_dir).returncode == 0
    assert listed(data_dir) == []


@pytest.mark.parametrize("args,message", [
    (["compare", "A", "B"], "niet gevonden"),
    (["rounds", "rename", "X", "Y"], "niet gevonden"),
    (["rounds", "save", "ontbreekt.csv", "--organisation", "O", "--name", "N", "--date", "2025-01-01"],
     "niet gevonden"),
])
def test_errors_are_one_dutch_line(tmp_path, args, message):
    result = run(*args, "--data-dir", tmp_path / "store")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_save_refuses_unfixed_values_and_accepts_an_overrides_file(tmp_path):
    export = tmp_path / "raar.csv"
    export.write_bytes(csv_bytes(CANONICAL, TEAMS, odd_value="Redelijk"))
    result = run("rounds", "save", export, "--organisation", "O", "--name", "N", "--date", "2025-01-01",
                 "--data-dir", tmp_path / "store")
    assert result.returncode == 2 and "Redelijk" in result.stderr
    fixes = tmp_path / "fixes.json"
    fixes.write_text(json.dumps({"values": {"Redelijk": 4}}))
    result = run("rounds", "save", export, "--organisation", "O", "--name", "N", "--date", "2025-01-01",
                 "--overrides", fixes, "--data-dir", tmp_path / "store")
    assert result.returncode == 0, result.stderr


def test_saving_the_same_round_twice_exits_2_with_one_dutch_line(tmp_path, exports):
    data_dir = tmp_path / "store"
    save(data_dir, exports[0], "Voorjaar", "2025-04-01")
    result = run("rounds", "save", exports[1], "--organisation", "gemeente test", "--name", "voorjaar",
                 "--date", "2025-04-01", "--data-dir", data_dir)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "Er is al een meetronde 'Gemeente Test · Voorjaar (1 april 2025)'; kies een andere naam of datum" in line
    assert len(listed(data_dir)) == 1
