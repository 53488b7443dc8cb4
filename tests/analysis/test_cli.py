"""The command-line contract: JSON shape, numbers, and exit 2 with one clear line on bad input."""

import json
import subprocess
import sys

import pytest
from make_fixtures import CANONICAL, TEAM_COLUMN, TEAMS

from tests.conftest import FIXTURES, ROOT, SAMPLES, reference_summary, rounded


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("name", sorted(TEAM_COLUMN))
def test_summarize_json_matches_reference(name):
    result = run("summarize", FIXTURES / name, "--team-column", TEAM_COLUMN[name])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = rounded(reference_summary(CANONICAL))
    assert {k: data[k] for k in expected} == expected
    teams = {t["team"]: t for t in data["teams"]}
    assert {t: teams[t]["respondents"] for t in teams} == {t: TEAMS.count(t) for t in set(TEAMS)}
    assert teams["Cliëntenraad"]["suppressed"] and teams["Team Zuid"]["suppressed"]
    assert teams["Team Zuid"]["statements"] == [] and teams["Team Zuid"]["themes"] == []
    noord = rounded(reference_summary([r for r, t in zip(CANONICAL, TEAMS) if t == "Team Noord"]))
    assert teams["Team Noord"]["statements"] == noord["statements"]
    assert teams["Team Noord"]["themes"] == noord["themes"]


def test_threshold_and_min_group_size_options():
    result = run("summarize", FIXTURES / "msforms.xlsx", "--team-column", "Team", "--threshold", "2.5",
                 "--min-group-size", "1")
    data = json.loads(result.stdout)
    assert data["weak_statements"] == reference_summary(CANONICAL, 2.5)["weak_statements"]
    assert not any(t["suppressed"] for t in data["teams"])


def test_no_teams_key_without_team_column():
    data = json.loads(run("summarize", SAMPLES / "quickscan_voorbeeld.xlsx").stdout)
    assert "teams" not in data and data["respondents"] == 43 and len(data["statements"]) == 24


def test_table_format_for_people():
    result = run("summarize", FIXTURES / "qualtrics.csv", "--format", "table", "--team-column", "Q1")
    assert result.returncode == 0, result.stderr
    assert "geen oordeel" in result.stdout and "te weinig respondenten" in result.stdout
    assert "Zwakke stellingen" in result.stdout


def test_runs_from_any_directory(tmp_path):
    result = run("summarize", FIXTURES / "long.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


BAD_INPUTS = {
    "leeg.csv": (b"", "leeg"),
    "junk.csv": (bytes(range(256)) * 40, "geen tabel"),
    "headers.csv": (b"Team,Afdeling\n", "Geen enkele stelling herkend"),
    "geen_stelling.csv": (b"Naam,Leeftijd\nPiet,40\n", "Geen enkele stelling herkend"),
    "label.csv": (b"Team,Stelling 1\nA,Misschien\n", "Antwoord niet herkend in kolom 'Stelling 1', rij 2: 'Misschien'"),
    "range.csv": (b"Team,Stelling 1\nA,3\nB,9\n", "Getal buiten bereik in kolom 'Stelling 1', rij 3: '9'"),
    "dubbel.csv": (b"Stelling 1,Vraag 1\n3,4\n", "Stelling dubbel"),
    "kapot.xlsx": (b"PK\x03\x04\x00\x00garbage", "kan niet worden geopend"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line(tmp_path, name):
    data, message = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run("summarize", path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_bad_options(tmp_path):
    missing = run("summarize", tmp_path / "bestaat-niet.csv")
    assert missing.returncode == 2 and "niet gevonden" in missing.stderr
    bad_team = run("summarize", FIXTURES / "msforms.xlsx", "--team-column", "Regio")
    assert bad_team.returncode == 2 and "Groepskolom 'Regio' niet gevonden" in bad_team.stderr
    bad_option = run("summarize", FIXTURES / "msforms.xlsx", "--threshold", "hoog")
    assert bad_option.returncode == 2 and len(bad_option.stderr.strip().splitlines()) == 1


def test_sheet_option_and_table_output_name_sheet_header_rows_and_left_out_statement(tmp_path):
    default = run("summarize", FIXTURES / "multisheet_title.xlsx", "--format", "table")
    assert default.returncode == 0, default.stderr
    assert "Werkblad: 'Resultaten'" in default.stdout and "Overgeslagen titelregel(s): rij 1" in default.stdout
    explanation = run("summarize", FIXTURES / "multisheet_title.xlsx", "--sheet", "1")
    assert explanation.returncode == 2 and len(explanation.stderr.strip().splitlines()) == 1
    rows = ["Team," + ",".join(f"Stelling {i}" for i in range(1, 25) if i != 12)]
    rows += ["A," + ",".join(["3"] * 23), "B," + ",".join(["4"] * 23)]
    path = tmp_path / "zonder12.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = run("summarize", path, "--format", "table")
    assert table.returncode == 0 and "Stelling 12 komt in dit bestand niet voor." in table.stdout
    assert "Stelling 11 komt" not in table.stdout


def test_sheet_option_on_rounds_save_and_report(tmp_path):
    saved = run("rounds", "save", FIXTURES / "multisheet_title.xlsx", "--sheet", "Resultaten", "--organisation",
                "Org", "--name", "R1", "--date", "2025-01-01", "--data-dir", tmp_path)
    assert saved.returncode == 0, saved.stderr
    wrong = run("report", FIXTURES / "multisheet_title.xlsx", "--sheet", "Blad9", "--out", tmp_path / "r.html")
    assert wrong.returncode == 2 and "Werkblad 'Blad9' bestaat niet" in wrong.stderr
