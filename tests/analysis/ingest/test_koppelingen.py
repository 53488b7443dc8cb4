"""Reusable fixes ("koppelingen"): saved under a name, found again by the headers, re-applied explicitly.

The expected scores come from ``reference_summary`` on the answer matrix the test writes itself,
so a re-applied koppeling is checked against values worked out without the code under test.
"""

import csv
import io
import json
import subprocess
import sys

import pytest
from make_fixtures import CANONICAL, LABELS

from analysis.ingest.dataset import IGNORE, Overrides, ingest_bytes
from analysis.ingest.koppelingen import (
    KoppelingError,
    apply_koppeling,
    check_overrides,
    fingerprint,
    merge_overrides,
    normalise_header,
)
from analysis.scoring.summary import summarize, summary_to_dict
from analysis.store import KoppelingStore
from tests.conftest import FIXTURES, ROOT, reference_summary, rounded

LAST = "Tot slot: hoe vaak evalueren jullie het proces met de klant?"
NOTE = "Opmerkingen"
# The tool of this form writes level 3 as "Halverwege" and unknown as "Geen zicht op": not understood.
TOOL_WORDS = {3: "Halverwege", 0: "Geen zicht op"}
HAND_FIXES = Overrides(columns={LAST: 24, NOTE: IGNORE}, values={"Halverwege": 3, "Geen zicht op": 0})
# Statement 24 gets answers of its own (in the shared fixtures nobody could judge it).
MATRIX = [row[:23] + [(r % 5) + 1 if r % 4 else 0] for r, row in enumerate(CANONICAL)]


def cell(code: int) -> str:
    if code == -1:
        return ""
    return TOOL_WORDS.get(code) or LABELS[code - 1]


def export(headers: list[str] | None = None, order: list[int] | None = None) -> bytes:
    """The form's csv: Respondent, Team, Stelling 1..23, the retyped last question, a note column."""
    headers = headers or ["Respondent", "Team", *[f"Stelling {s}" for s in range(1, 24)], LAST, NOTE]
    rows = [[str(r + 1), f"Team {'AB'[r % 2]}", *[cell(c) for c in row], "3,5 is mijn gevoel"]
            for r, row in enumerate(MATRIX)]
    order = order or list(range(len(headers)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([headers[i] for i in order])
    writer.writerows([[row[i] for i in order] for row in rows])
    return buffer.getvalue().encode("utf-8")


def retyped_headers() -> list[str]:
    """The next round's export: same form, headers in other case and spacing."""
    return ["RESPONDENT", " team", *[f"stelling  {s}" for s in range(1, 24)],
            "Tot slot:  hoe vaak evalueren jullie het proces met de klant ?", "opmerkingen"]


def scores(dataset) -> dict:
    data = summary_to_dict(summarize(dataset))
    return {k: data[k] for k in ("respondents", "statements", "themes", "weak_statements")}


EXPECTED = {k: v for k, v in rounded(reference_summary(MATRIX)).items() if k != "instrument"}


def test_the_form_needs_fixes_and_hand_fixes_give_the_reference_scores():
    plain = ingest_bytes(export(), "najaar.csv")
    assert set(plain.blocking_issues["waarde"]) == {"Halverwege", "Geen zicht op"}
    assert 24 in plain.statements_not_in_file
    assert scores(ingest_bytes(export(), "najaar.csv", overrides=HAND_FIXES)) == EXPECTED


def test_saved_koppeling_is_found_for_the_next_round_retyped_and_reordered(tmp_path):
    store = KoppelingStore(str(tmp_path))
    first = ingest_bytes(export(), "najaar.csv", overrides=HAND_FIXES)
    store.save("Forms najaar", HAND_FIXES, first, source_name="najaar.csv")
    width = len(retyped_headers())
    order = [1, 0, *range(width - 1, 1, -1)]  # columns in another order too
    plain = ingest_bytes(export(retyped_headers(), order), "voorjaar.csv")
    found = store.find(plain)
    assert found is not None and found.name == "Forms najaar" and found.source_name == "najaar.csv"
    assert KoppelingStore(str(tmp_path)).find(plain).name == "Forms najaar"  # a new session finds it too
    applied = apply_koppeling(found, plain)
    assert applied.message == "Koppeling 'Forms najaar' toegepast: 2 kolommen, 2 waarden"
    # Translated to this file's own spelling of the headers.
    assert applied.overrides.columns == {"Tot slot: hoe vaak evalueren jullie het proces met de klant ?": 24,
                                         "opmerkingen": IGNORE}
    again = ingest_bytes(export(retyped_headers(), order), "voorjaar.csv", overrides=applied.overrides)
    assert again.blocking_issues.empty
    assert scores(again) == EXPECTED


def test_not_found_for_another_form_or_a_column_more(tmp_path):
    store = KoppelingStore(str(tmp_path))
    store.save("Forms najaar", HAND_FIXES, ingest_bytes(export(), "najaar.csv", overrides=HAND_FIXES))
    other = ingest_bytes((FIXTURES / "msforms.xlsx").read_bytes(), "msforms.xlsx")
    assert store.find(other) is None
    headers = ["Respondent", "Team", *[f"Stelling {s}" for s in range(1, 24)], LAST, NOTE]
    assert store.find(headers) is not None
    assert store.find([*headers, "Afdeling"]) is None
    assert store.find(headers[:-1]) is None


def test_fingerprint_ignores_order_case_accents_and_punctuation_but_not_words():
    assert fingerprint(["Team", "Cliënt?"]) == fingerprint(["client", "  TEAM "])
    assert fingerprint(["Team", "Team"]) != fingerprint(["Team"])
    assert fingerprint(["Team A"]) != fingerprint(["Team B"])
    assert normalise_header("  Tot slot:\nhoe vaak?") == "tot slot hoe vaak"
    assert normalise_header("?") == "?"


def test_apply_says_what_did_not_fit(instrument):
    store_fixes = Overrides(columns={LAST: 24, "Bestaat niet": 3, NOTE: 99}, values={"Halverwege": 3, "Raar": 9})
    plain = ingest_bytes(export(), "najaar.csv")
    from analysis.ingest.koppelingen import Koppeling

    koppeling = Koppeling("Oud", fingerprint(plain), tuple(), store_fixes.columns, store_fixes.values)
    applied = apply_koppeling(koppeling, plain)
    assert applied.overrides.columns == {LAST: 24} and applied.overrides.values == {"Halverwege": 3}
    assert applied.skipped == ("kolom 'Bestaat niet' komt niet voor",
                               "kolom 'Opmerkingen': stelling 99 bestaat niet in dit instrument",
                               "waarde 'Raar': code 9 bestaat niet in dit instrument")
    assert applied.message.startswith("Koppeling 'Oud' toegepast: 1 kolom, 1 waarde (3 correcties niet toegepast: ")


def test_merge_lets_the_analyst_overrule_the_koppeling():
    merged = merge_overrides(HAND_FIXES, Overrides(columns={NOTE: 23}, values={"Halverwege": 2}))
    assert merged.columns == {LAST: 24, NOTE: 23}
    assert merged.values == {"Halverwege": 2, "Geen zicht op": 0}


def test_store_names_replace_and_delete(tmp_path):
    store = KoppelingStore(str(tmp_path))
    headers = ["Respondent", "Team", *[f"Stelling {s}" for s in range(1, 24)], LAST, NOTE]
    store.save("Forms najaar", HAND_FIXES, headers)
    with pytest.raises(KoppelingError, match="bestaat al"):
        store.save("forms  NAJAAR", HAND_FIXES, headers)
    store.save("forms  NAJAAR", Overrides(values={"Halverwege": 3}), headers, replace=True)
    assert [(k.name, len(k.columns)) for k in store.list()] == [("forms NAJAAR", 0)]
    with pytest.raises(KoppelingError, match="geen correcties"):
        store.save("Leeg", Overrides(), headers)
    with pytest.raises(KoppelingError, match="'Afdeling' uit de correcties komt in het bestand niet voor"):
        store.save("Fout", Overrides(columns={"Afdeling": 3}), headers)
    with pytest.raises(KoppelingError, match="naam"):
        store.save("  ", HAND_FIXES, headers)
    assert [k.name for k in store.list()] == ["forms NAJAAR"]
    assert store.delete("Forms Najaar").name == "forms NAJAAR"
    with pytest.raises(KoppelingError, match="bestaat niet"):
        store.get("Forms najaar")


def test_any_name_is_just_text(tmp_path):
    store = KoppelingStore(str(tmp_path / "data"))
    store.save("../../buiten'; DROP TABLE koppelingen; --", HAND_FIXES, [LAST, NOTE])
    assert [k.name for k in store.list()] == ["../../buiten'; DROP TABLE koppelingen; --"]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["quickscan.sqlite3"] + \
        sorted(p.name for p in (tmp_path / "data").iterdir() if p.name.startswith("quickscan.sqlite3-"))


def test_check_overrides_from_a_file(instrument):
    checked = check_overrides(Overrides(columns={"a": "7", "b": "Negeren"}, values={"x": -1}), instrument)
    assert checked.columns == {"a": 7, "b": IGNORE}
    with pytest.raises(KoppelingError, match="'25' is geen stelling"):
        check_overrides(Overrides(columns={"a": 25}), instrument)
    with pytest.raises(KoppelingError, match="code 6 bestaat niet"):
        check_overrides(Overrides(values={"x": 6}), instrument)


# -- command line ----------------------------------------------------------------------------

def run(*args, data_dir):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture()
def files(tmp_path):
    najaar, voorjaar, fixes = tmp_path / "najaar.csv", tmp_path / "voorjaar.csv", tmp_path / "fixes.json"
    najaar.write_bytes(export())
    voorjaar.write_bytes(export(retyped_headers()))
    fixes.write_text(json.dumps(HAND_FIXES.to_dict()), "utf-8")
    return najaar, voorjaar, fixes


def test_cli_overrides_on_summarize_changes_the_result(files, tmp_path):
    najaar, _, fixes = files
    refused = run("summarize", najaar, data_dir=tmp_path)
    assert refused.returncode == 2 and "Geen zicht op" in refused.stderr and len(refused.stderr.splitlines()) == 1
    fixed = run("summarize", najaar, "--overrides", fixes, data_dir=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    data = json.loads(fixed.stdout)
    assert {k: data[k] for k in EXPECTED} == EXPECTED


def test_cli_save_find_apply_and_delete_a_koppeling(files, tmp_path):
    najaar, voorjaar, fixes = files
    saved = run("koppelingen", "save", "Forms najaar", "--overrides", fixes, "--from", najaar, data_dir=tmp_path)
    assert saved.returncode == 0, saved.stderr
    assert "Koppeling 'Forms najaar' opgeslagen: 2 kolom(men), 2 waarde(n)." in saved.stdout
    listed = run("koppelingen", "list", "--format", "json", data_dir=tmp_path)
    assert [(k["name"], k["columns"], k["values"], k["source"]) for k in json.loads(listed.stdout)] == [
        ("Forms najaar", 2, 2, "najaar.csv")]
    found = run("koppelingen", "find", voorjaar, data_dir=tmp_path)
    assert found.returncode == 0 and found.stdout.strip() == "Forms najaar"
    shown = run("koppelingen", "show", "forms najaar", data_dir=tmp_path)
    assert json.loads(shown.stdout) == json.loads(json.dumps(HAND_FIXES.to_dict()))
    applied = run("summarize", voorjaar, "--koppeling", "Forms najaar", data_dir=tmp_path)
    assert applied.returncode == 0, applied.stderr
    assert "Koppeling 'Forms najaar' toegepast: 2 kolommen, 2 waarden." in applied.stderr
    data = json.loads(applied.stdout)
    assert {k: data[k] for k in EXPECTED} == EXPECTED
    other = run("koppelingen", "find", FIXTURES / "google_grid.csv", data_dir=tmp_path)
    assert other.returncode == 1 and "Geen koppeling" in other.stdout
    deleted = run("koppelingen", "delete", "Forms najaar", data_dir=tmp_path)
    assert deleted.returncode == 0 and "verwijderd" in deleted.stdout
    gone = run("summarize", voorjaar, "--koppeling", "Forms najaar", data_dir=tmp_path)
    assert gone.returncode == 2 and "Koppeling 'Forms najaar' bestaat niet" in gone.stderr


def test_cli_koppeling_on_another_form_warns(files, tmp_path):
    najaar, _, fixes = files
    run("koppelingen", "save", "Forms najaar", "--overrides", fixes, "--from", najaar, data_dir=tmp_path)
    result = run("summarize", FIXTURES / "google_grid.csv", "--koppeling", "Forms najaar", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "andere kolomkoppen" in result.stderr
    assert "0 kolommen, 2 waarden (2 correcties niet toegepast" in result.stderr


@pytest.mark.parametrize("content, message", [
    ('{"columns": {"Team": 25}}', "'25' is geen stelling"),
    ('{"values": {"x": "drie"}}', "kan niet worden gelezen"),
    ("[1, 2]", "kan niet worden gelezen"),
])
def test_cli_bad_overrides_file_gives_one_line(files, tmp_path, content, message):
    najaar, _, fixes = files
    fixes.write_text(content, "utf-8")
    result = run("summarize", najaar, "--overrides", fixes, data_dir=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_cli_report_takes_overrides(files, tmp_path):
    najaar, _, fixes = files
    out = tmp_path / "rapport.xlsx"
    result = run("report", najaar, "--overrides", fixes, "--out", out, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0
