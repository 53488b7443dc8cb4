"""The Diversiteitskader checklist end to end in analysis: both export shapes, detection, scores and JSON.

Expected values are worked out by hand from the small files written here (ja = met, nee = not met),
following the brief's checklist rules: item score = share of Ja among Ja + Nee; block score = mean of
its scored items; weak items below 0.5, lowest first, ties in item order.
"""

from __future__ import annotations

import csv
import io

import pytest

from analysis.errors import IngestError
from analysis.ingest.dataset import ISSUE_UNKNOWN_VALUE, ingest_bytes
from analysis.instrument import get_instrument
from analysis.scoring.summary import summarize, summary_to_dict

CHECKLIST = "diversiteitskader-wijkteams"


@pytest.fixture(scope="module")
def checklist():
    return get_instrument(CHECKLIST)


def text(checklist, item_id: str) -> str:
    return checklist.statement(item_id).text


def write_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


def items(result: dict) -> dict:
    return {i["id"]: i for i in result["items"]}


def test_one_column_per_item_with_every_spelling(checklist):
    retyped = text(checklist, "1.3").upper().replace("GELIJKWAARDIGE", "gelykwaardige")
    data = write_csv([
        ["Team", "1.1", "Item 1.2", retyped, f"4.2 {text(checklist, '4.2')}"],
        ["A", "Ja", "nee", "x", "Onbekend"],
        ["A", "✓", "0", "waar", ""],
        ["B", "yes", "Nee", "FALSE", "ja"],
        ["B", "1", "onwaar", "", "weet niet"],
    ])
    dataset = ingest_bytes(data, "items.csv")
    assert dataset.instrument.id == CHECKLIST
    assert dataset.blocking_issues.empty
    result = summary_to_dict(summarize(dataset))
    assert result["instrument"] == CHECKLIST and result["respondents"] == 4
    got = items(result)
    assert got["1.1"] == {"id": "1.1", "block": "Werkwijze", "n_yes": 4, "n_no": 0, "n_unknown": 0, "n_missing": 0,
                          "score": 1.0}
    assert (got["1.2"]["n_yes"], got["1.2"]["n_no"], got["1.2"]["score"]) == (0, 4, 0.0)
    assert (got["1.3"]["n_yes"], got["1.3"]["n_no"], got["1.3"]["n_missing"], got["1.3"]["score"]) == (2, 1, 1, 0.67)
    assert (got["4.2"]["n_yes"], got["4.2"]["n_unknown"], got["4.2"]["n_missing"], got["4.2"]["score"]) == \
        (1, 2, 1, 1.0)
    assert got["2.1"]["score"] is None and got["2.1"]["n_missing"] == 4
    blocks = {b["block"]: b["score"] for b in result["blocks"]}
    # Werkwijze: mean of 1.0, 0.0 and 2/3 (the other nine items have no answers).
    assert blocks["Werkwijze"] == round((1 + 0 + 2 / 3) / 3, 2)
    assert blocks["Diversiteit team"] == 1.0 and blocks["Competenties"] is None
    assert result["weak_items"] == ["1.2"]
    assert set(result) == {"instrument", "respondents", "items", "blocks", "weak_items"}


def test_google_forms_multi_select_finds_item_texts_with_commas(checklist):
    question = "Werkwijze: waar voldoet uw team aan?"
    t111, t14 = text(checklist, "1.11"), text(checklist, "1.4")
    assert "," in t111  # the separator occurs inside the item itself
    data = write_csv([
        ["Tijdstempel", "Team", question, "Competenties (aanvinken wat klopt)"],
        ["2025/03/17 9:00:00", "A", f"{t111}, {t14}", text(checklist, "2.1")],
        ["2025/03/17 9:05:00", "A", t111, ""],
        ["2025/03/17 9:10:00", "B", "", f"{text(checklist, '2.2')}, iets anders"],
        ["2025/03/17 9:15:00", "B", f"{t14}, Weet ik niet", text(checklist, "2.1")],
    ])
    dataset = ingest_bytes(data, "google.csv")
    assert dataset.instrument.id == CHECKLIST
    roles = {c.label: (c.role, c.block) for c in dataset.columns}
    assert roles[question] == ("multi", "Werkwijze")
    leftovers = dataset.issues[dataset.issues["soort"] == ISSUE_UNKNOWN_VALUE]
    assert leftovers[["waarde", "aantal", "rijen"]].values.tolist() == [["iets anders", 1, "4"]]
    got = items(summary_to_dict(summarize(dataset)))
    # 1.11 ticked by rows 1 and 2; row 3's empty cell is all Nee; row 4 ticked 1.4 and chose 'weet ik niet'.
    assert (got["1.11"]["n_yes"], got["1.11"]["n_no"], got["1.11"]["n_unknown"]) == (2, 1, 1)
    assert (got["1.4"]["n_yes"], got["1.4"]["n_no"], got["1.4"]["n_unknown"]) == (2, 2, 0)
    assert (got["1.1"]["n_yes"], got["1.1"]["n_no"], got["1.1"]["n_unknown"]) == (0, 3, 1)
    assert (got["2.1"]["n_yes"], got["2.1"]["n_no"], got["2.2"]["n_yes"], got["2.3"]["n_no"]) == (2, 2, 1, 4)
    assert got["3.1"]["n_missing"] == 4  # no column for that block: missing, not Nee


def test_microsoft_forms_semicolons_and_a_fixed_leftover(checklist):
    cell = f"{text(checklist, '5.1')};{text(checklist, '5.3')};Anders;"
    data = write_csv([["Id", "Proces"], ["1", cell], ["2", f"{text(checklist, '5.3')};"]])
    dataset = ingest_bytes(data, "forms.csv")
    got = items(summary_to_dict(summarize(dataset)))
    assert (got["5.1"]["n_yes"], got["5.3"]["n_yes"], got["5.2"]["n_no"]) == (1, 2, 2)
    assert dataset.blocking_issues["waarde"].tolist() == ["Anders"]
    from analysis.ingest.dataset import Overrides

    fixed = ingest_bytes(data, "forms.csv", overrides=Overrides(values={"Anders": -1}))
    assert fixed.blocking_issues.empty


def test_detection_picks_each_instrument_and_can_be_forced(checklist):
    quickscan = write_csv([["Team", "Stelling 1", "Stelling 2"], ["A", "Gevorderd", "Startend"]])
    items_file = write_csv([["Team", "1.1", "1.2", "1.3"], ["A", "ja", "nee", "ja"]])
    assert ingest_bytes(quickscan, "q.csv").instrument.id == "quickscan-dsb"
    assert ingest_bytes(items_file, "c.csv").instrument.id == CHECKLIST
    # Forced to the QuickScan, the checklist's columns name no statement: refused, not misread.
    with pytest.raises(IngestError, match="Geen enkele stelling herkend"):
        ingest_bytes(items_file, "c.csv", instrument=get_instrument())


def test_quickscan_never_reads_checklist_ids_as_statements():
    from analysis.ingest.matching import StatementMatcher

    matcher = StatementMatcher(get_instrument())
    assert matcher.match(["1.3"]) is None and matcher.match(["Item 1.10"]) is None
    assert matcher.match(["Stelling 3"]) == 3 and matcher.match(["7. Iets"]) == 7


def test_teams_are_suppressed_as_on_the_scale(checklist):
    rows = [["Wijkteam", "1.1", "1.2"]]
    rows += [["Oost", "ja", "nee"]] * 6 + [["West", "nee", "nee"]] * 5 + [["Zuid", "ja", "ja"]] * 2
    result = summary_to_dict(summarize(ingest_bytes(write_csv(rows), "t.csv"), "Wijkteam"))
    teams = {t["team"]: t for t in result["teams"]}
    # Zuid (2) is too small; the smallest other, West (5), is hidden with it.
    assert [teams[t]["suppressed"] for t in ("Oost", "West", "Zuid")] == [False, True, True]
    assert teams["Zuid"]["items"] == [] and teams["Zuid"]["blocks"] == []
    assert items(teams["Oost"])["1.1"]["score"] == 1.0 and items(teams["Oost"])["1.2"]["n_no"] == 6


def run_cli(*args):
    import subprocess
    import sys

    from tests.conftest import ROOT

    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)


def test_command_line_gives_the_brief_json_and_honours_instrument(checklist, tmp_path):
    import json

    rows = [["Wijkteam", "1.1", "Item 1.2", text(checklist, "4.2")]]
    rows += [["Oost", "ja", "nee", "ja"]] * 5 + [["Oost", "nee", "nee", "weet niet"], ["West", "ja", "", "ja"]]
    rows += [["Noord", "nee", "nee", "nee"]] * 5
    path = tmp_path / "wijkteams.csv"
    path.write_bytes(write_csv(rows))
    done = run_cli("summarize", path, "--team-column", "Wijkteam")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert list(result) == ["instrument", "respondents", "items", "blocks", "weak_items", "teams"]
    got = items(result)
    assert got["1.1"] == {"id": "1.1", "block": "Werkwijze", "n_yes": 6, "n_no": 6, "n_unknown": 0, "n_missing": 0,
                          "score": 0.5}
    assert got["4.2"]["n_unknown"] == 1 and got["4.2"]["score"] == round(6 / 11, 2)
    assert result["weak_items"] == ["1.2"]  # 0 of 6 met; default threshold 0.5 for a checklist
    teams = {t["team"]: t for t in result["teams"]}
    # West (1) is too small; Noord (5), the smallest other, is hidden with it; Oost (6) is shown.
    assert teams["West"]["suppressed"] and teams["West"]["items"] == [] and teams["Noord"]["suppressed"]
    assert not teams["Oost"]["suppressed"] and items(teams["Oost"])["1.1"]["score"] == round(5 / 6, 2)
    forced = run_cli("summarize", path, "--instrument", "quickscan-dsb")
    assert forced.returncode == 2 and "Geen enkele stelling herkend" in forced.stderr
    assert len(forced.stderr.strip().splitlines()) == 1 and "Traceback" not in forced.stderr
    table = run_cli("summarize", path, "--format", "table")
    assert "Zwakke items (score onder 50%): 1.2" in table.stdout and "Item 2.1 komt in dit bestand niet voor." \
        in table.stdout
