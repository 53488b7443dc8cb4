"""``python -m analysis network`` and ``plan show|export``: the leernetwerk and verbeterplan on the command line.

One store is filled once per module (five organisations, one too small, one without a QuickScan round) and every
command whose output is checked runs against it as a real process, in one parallel batch; the tests then read the
results. Saving the rounds and most refusals run through the same ``main()`` in this process (a process costs
over a second to start). Expected figures are worked out here from the answer matrices (or from each file's own
``summarize`` output), not by the code tested.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from types import SimpleNamespace

import pytest
from make_fixtures import CANONICAL, TEAMS

from tests.analysis.scoring.test_progress import MATRIX_B, TEAMS_B
from tests.analysis.store.test_rounds_store import csv_bytes
from tests.analysis.test_cli import run
from tests.conftest import SAMPLES

THEMES = {"Competenties": range(1, 10), "Methodiek": range(10, 13), "Randvoorwaarden": range(13, 20),
          "Proces": range(20, 25)}
TOWNS = ("Appelscha", "Bolsward", "Coevorden", "Dokkum", "Elst")
SMALL = [MATRIX_B[0], MATRIX_B[5], MATRIX_B[9]]  # three respondents: under the minimum group size of 5
ACTIONS = ("Training interculturele communicatie voor alle klantmanagers", "Intervisie over casussen elke zes weken",
           "Vacatureteksten laten meelezen door collega's")
NOTES = "Kleine stappen werken beter.\nDe teamleider moet erbij zijn."
WORKERS = 3


def theme_scores(matrix) -> dict[str, float]:
    """The brief's rules by hand: statement = mean of known codes (1-5); theme = mean of its statements' scores."""
    statements = {}
    for sid in range(1, 25):
        known = [row[sid - 1] for row in matrix if row[sid - 1] >= 1]
        statements[sid] = sum(known) / len(known) if known else None
    themes = {}
    for theme, ids in THEMES.items():
        scores = [statements[i] for i in ids if statements[i] is not None]
        themes[theme] = sum(scores) / len(scores)
    return themes


def run_all(commands: dict) -> dict:
    with ThreadPoolExecutor(WORKERS) as pool:
        futures = {key: pool.submit(run, *args) for key, args in commands.items()}
    return {key: future.result() for key, future in futures.items()}


def in_process(*args):
    """``python -m analysis ARGS`` through the same main(), without starting a process."""
    from analysis.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's refusals
            code = exc.code
    return SimpleNamespace(returncode=code, stdout=stdout.getvalue(), stderr=stderr.getvalue())


def saved_id(result) -> str:
    assert result.returncode == 0, result.stderr
    return re.search(r"Opgeslagen: ([0-9a-f]{32})", result.stdout).group(1)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    from analysis.meeting.plan import Action, Focus, Plan
    from analysis.store.database import forget_open_databases
    from analysis.store.networks import NetworkStore
    from analysis.store.plans import PlanStore

    tmp = tmp_path_factory.mktemp("network")
    data_dir = tmp / "store"
    for name, matrix, teams in (("bolsward", CANONICAL, TEAMS), ("coevorden", MATRIX_B, TEAMS_B),
                                ("dokkum", SMALL, TEAMS_B[:3])):
        (tmp / f"{name}.csv").write_bytes(csv_bytes(matrix, teams))
    saves = {
        "appelscha_voorjaar": (SAMPLES / "ronde_2025_voorjaar.xlsx", "Gemeente Appelscha", "Voorjaar 2025",
                               "2025-04-07"),
        "appelscha_najaar": (SAMPLES / "ronde_2025_najaar.xlsx", "Gemeente Appelscha", "Najaar 2025", "2025-11-03"),
        "bolsward": (tmp / "bolsward.csv", "Gemeente Bolsward", "Bolsward 2025", "2025-05-01"),
        "coevorden": (tmp / "coevorden.csv", "Gemeente Coevorden", "Coevorden mei", "2025-05-15"),
        "dokkum": (tmp / "dokkum.csv", "Gemeente Dokkum", "Dokkum 2025", "2025-05-20"),
        "elst_checklist": (SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv", "Gemeente Elst",
                           "Elst wijkteams", "2025-03-01"),
    }
    ids = {key: saved_id(in_process("rounds", "save", path, "--organisation", organisation, "--name", name,
                                    "--date", date, "--data-dir", data_dir))
           for key, (path, organisation, name, date) in saves.items()}
    own = {season: {t["theme"]: t["score"] for t in json.loads(
        in_process("summarize", SAMPLES / f"ronde_2025_{season}.xlsx").stdout)["themes"]}
        for season in ("voorjaar", "najaar")}

    networks = NetworkStore(str(data_dir))
    # Members as a facilitator types them: case and spacing differ from the rounds' organisation names.
    network = networks.create("Leernetwerk Noord", "quickscan-dsb",
                              ["gemeente appelscha", "Gemeente  Bolsward", "Gemeente Coevorden", "Gemeente Dokkum",
                               "Gemeente Elst"])
    networks.create("Leernetwerk Open", "quickscan-dsb", ["Gemeente Appelscha", "Gemeente Bolsward",
                                                           "Gemeente Coevorden"])
    networks.set_show_names(networks.find("Leernetwerk Open").network_id, True)
    plan = Plan(round_id=ids["appelscha_najaar"], instrument_id="quickscan-dsb", notes=NOTES, focuses=(
        Focus(17, (Action(ACTIONS[0], "teamleider", dt.date(2026, 1, 15), "bezig"),
                   Action(ACTIONS[1], "klantmanagers", None, "gepland"))),
        Focus(13, (Action(ACTIONS[2], "HR-adviseur", dt.date(2026, 3, 1), "klaar"),))))
    PlanStore(str(data_dir)).save(plan, "M. de Vries")
    forget_open_databases()
    return {"dir": data_dir, "tmp": tmp, "ids": ids, "own": own, "network": network}


@pytest.fixture(scope="module")
def out(setup):
    """Every command of the tests below, run once in parallel; the tests read the results."""
    d, ids, tmp = setup["dir"], setup["ids"], setup["tmp"]
    rounds = (ids["appelscha_najaar"][:8], "Bolsward 2025", "Coevorden mei", ids["dokkum"])
    commands = {
        "json": ("network", *rounds),
        "table": ("network", *rounds, "--format", "table"),
        "names": ("network", *rounds, "--names"),
        "four": ("network", *rounds, "--min-organisations", "4"),
        "strict": ("network", *rounds, "--min-group-size", "13", "--format", "table"),
        "net": ("network", "--network", "leernetwerk noord"),
        "net_until": ("network", "--network", "Leernetwerk Noord", "--until", "2025-06-30"),
        "net_early": ("network", "--network", "Leernetwerk Noord", "--until", "2025-05-10"),
        "net_open": ("network", "--network", "Leernetwerk Open", "--format", "table"),
        "plan_json": ("plan", "show", "Najaar 2025"),
        "plan_table": ("plan", "show", "Najaar 2025", "--format", "table"),
        "empty_json": ("plan", "show", "Bolsward 2025"),
        "empty_table": ("plan", "show", "Bolsward 2025", "--format", "table"),
        "xlsx": ("plan", "export", "Najaar 2025", "--out", tmp / "plan.xlsx"),
        "docx": ("plan", "export", ids["appelscha_najaar"], "--out", tmp / "plan.docx"),
    }
    commands = {key: (*args, "--data-dir", d) for key, args in commands.items()}
    commands.update({f"bad_{key}": (*BAD[key][0], "--data-dir", d) for key in IN_A_PROCESS})
    return run_all(commands)


def ok(result) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def by_round(data) -> dict:
    """Organisations by their round's displayed date (each organisation measured on its own date here)."""
    return {o["round"]: o for o in data["organisations"]}


def scores(organisation) -> dict:
    return {t["theme"]: t["score"] for t in organisation["themes"]}


def expected_network(setup) -> dict:
    included = [setup["own"]["najaar"], theme_scores(CANONICAL), theme_scores(MATRIX_B)]
    return {theme: (sum(o[theme] for o in included) / 3, min(o[theme] for o in included),
                    max(o[theme] for o in included)) for theme in THEMES}


def test_network_json_against_hand_worked_figures(setup, out):
    data = json.loads(ok(out["json"]))
    assert set(data) == {"instrument", "organisations", "network"} and data["instrument"] == "quickscan-dsb"
    assert all(set(o) == {"organisation", "round", "respondents", "included", "themes"} for o in data["organisations"])
    assert sorted(o["organisation"] for o in data["organisations"]) == [f"Organisatie {x}" for x in "ABCD"]
    orgs = by_round(data)
    assert set(orgs) == {"3 november 2025", "1 mei 2025", "15 mei 2025", "20 mei 2025"}
    for round_text, want in (("3 november 2025", setup["own"]["najaar"]), ("1 mei 2025", theme_scores(CANONICAL)),
                             ("15 mei 2025", theme_scores(MATRIX_B))):
        assert orgs[round_text]["included"] is True
        assert scores(orgs[round_text]) == pytest.approx(want, abs=0.006)
    assert [orgs[r]["respondents"] for r in ("1 mei 2025", "15 mei 2025", "20 mei 2025")] == [12, 12, 3]
    small = orgs["20 mei 2025"]  # under the minimum group size: left out, and its scores not shown
    assert small["included"] is False and all(s is None for s in scores(small).values())
    assert data["network"]["organisations"] == 3
    assert [t["theme"] for t in data["network"]["themes"]] == list(THEMES)
    for figure in data["network"]["themes"]:
        mean, low, high = expected_network(setup)[figure["theme"]]
        assert figure["mean"] == pytest.approx(mean, abs=0.011)  # the mean of one summary's rounded figures
        assert (figure["min"], figure["max"]) == (pytest.approx(low, abs=0.006), pytest.approx(high, abs=0.006))


def test_too_few_organisations_included_gives_no_network_figures(out):
    data = json.loads(ok(out["four"]))
    assert data["network"]["organisations"] == 3
    assert all(t["mean"] is None and t["min"] is None and t["max"] is None for t in data["network"]["themes"])
    # ... nor anyone's scores: with the facilitator's view, an organisation's score is a network figure too
    assert all(t["score"] is None for o in data["organisations"] for t in o["themes"])
    table = ok(out["strict"])  # a stricter minimum group size leaves only the 40-odd respondents' round in
    assert "Organisaties meegeteld: 1 van 4" in table and "vanaf 3 meegetelde organisaties (nu 1)" in table


def test_no_real_name_without_names(out):
    for key in ("json", "table", "four", "strict", "net", "net_until", "net_early"):
        text = ok(out[key])
        for word in ("Gemeente", *TOWNS, "Voorjaar 2025", "Najaar 2025"):
            assert word.casefold() not in text.casefold(), (key, word)
    assert "Organisatie A" in out["table"].stdout and "Netwerkgemiddelde" in out["table"].stdout


def test_names_when_all_members_agreed(setup, out):
    orgs = {o["organisation"]: o for o in json.loads(ok(out["names"]))["organisations"]}
    assert set(orgs) == {f"Gemeente {t}" for t in TOWNS[:4]}
    assert orgs["Gemeente Bolsward"]["round"] == "Bolsward 2025"
    assert scores(orgs["Gemeente Coevorden"]) == pytest.approx(theme_scores(MATRIX_B), abs=0.006)
    table = ok(out["net_open"])  # a network whose members agreed is shown by name
    assert "Gemeente Bolsward" in table and "Organisatie A" not in table


def test_a_saved_network_takes_each_organisations_latest_round(setup, out):
    latest, until = out["net"], out["net_until"]
    for result in (latest, until):
        warnings = result.stderr.strip().splitlines()
        assert warnings == ["Waarschuwing: Gemeente Elst niet meegenomen: nog geen meetronde van dit instrument."]
    latest, until = by_round(json.loads(ok(latest))), by_round(json.loads(ok(until)))
    assert set(latest) == {"3 november 2025", "1 mei 2025", "15 mei 2025", "20 mei 2025"}
    assert set(until) == {"7 april 2025", "1 mei 2025", "15 mei 2025", "20 mei 2025"}
    assert scores(until["7 april 2025"]) == pytest.approx(setup["own"]["voorjaar"], abs=0.006)
    assert scores(latest["3 november 2025"]) == pytest.approx(setup["own"]["najaar"], abs=0.006)
    # The network's secret keeps the letters: the same organisation has the same letter at both moments.
    for round_text in ("1 mei 2025", "15 mei 2025", "20 mei 2025"):
        assert latest[round_text]["organisation"] == until[round_text]["organisation"]
    assert latest["3 november 2025"]["organisation"] == until["7 april 2025"]["organisation"]
    # ... also at a moment when two members had not measured yet (letters are given over all members).
    early = out["net_early"]
    assert sorted(early.stderr.strip().splitlines()) == [
        "Waarschuwing: Gemeente Coevorden niet meegenomen: geen meetronde tot en met 10 mei 2025.",
        "Waarschuwing: Gemeente Dokkum niet meegenomen: geen meetronde tot en met 10 mei 2025.",
        "Waarschuwing: Gemeente Elst niet meegenomen: nog geen meetronde van dit instrument."]
    early = json.loads(ok(early))
    assert early["network"]["organisations"] == 2 and early["network"]["themes"][0]["mean"] is None
    early = by_round(early)
    assert set(early) == {"7 april 2025", "1 mei 2025"}
    assert early["7 april 2025"]["organisation"] == until["7 april 2025"]["organisation"]
    assert early["1 mei 2025"]["organisation"] == until["1 mei 2025"]["organisation"]


def test_plan_show(setup, out):
    data = json.loads(ok(out["plan_json"]))
    assert data["round"] == "Gemeente Appelscha · Najaar 2025 (3 november 2025)"
    assert data["round_id"] == setup["ids"]["appelscha_najaar"] and data["version"] == 1
    assert data["updated_by"] == "M. de Vries" and data["notes"] == NOTES
    assert [f["item_id"] for f in data["focuses"]] == [17, 13]
    assert data["focuses"][0]["actions"][0] == {"what": ACTIONS[0], "who": "teamleider", "when": "2026-01-15",
                                                "status": "bezig"}
    table = ok(out["plan_table"])
    assert table.startswith("Verbeterplan Gemeente Appelscha – Najaar 2025 (3 november 2025)\nBijgewerkt op")
    lines = table.splitlines()
    header = next(line for line in lines if line.startswith("Focus"))
    assert all(word in header for word in ("Stelling", "Tekst", "Score", "Wat", "Wie", "Wanneer", "Status"))
    first = next(line for line in lines if ACTIONS[0] in line)
    assert first.startswith("1") and "teamleider" in first and "15 januari 2026" in first and "Bezig" in first
    second = next(line for line in lines if ACTIONS[1] in line)
    assert second.startswith(" ") and "Gepland" in second  # the focus is said once, on its first action
    assert header.index("Wat") == first.index(ACTIONS[0]) == second.index(ACTIONS[1])  # aligned
    assert any(line.startswith("2") and ACTIONS[2] in line and "Klaar" in line for line in lines)
    assert lines[lines.index("Leerlessen:") + 1:] == ["  Kleine stappen werken beter.",
                                                      "  De teamleider moet erbij zijn."]


def test_plan_show_without_a_plan(out):
    data = json.loads(ok(out["empty_json"]))
    assert data["version"] == 0 and data["focuses"] == [] and data["round"].startswith("Gemeente Bolsward")
    assert ok(out["empty_table"]).strip() == ("Er is nog geen verbeterplan opgeslagen voor Gemeente Bolsward · "
                                              "Bolsward 2025 (1 mei 2025).")


def test_plan_export_files_hold_the_actions(setup, out):
    import docx
    import openpyxl

    assert "Verbeterplan geschreven" in ok(out["xlsx"]) and "Verbeterplan geschreven" in ok(out["docx"])
    book = openpyxl.load_workbook(io.BytesIO((setup["tmp"] / "plan.xlsx").read_bytes()))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert all(action in cells for action in ACTIONS) and "Gemeente Appelscha" in cells[0]
    assert any("Kleine stappen" in c for c in cells)
    document = docx.Document(str(setup["tmp"] / "plan.docx"))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows
                                                     for c in r.cells]
    assert all(action in texts for action in ACTIONS) and any("Kleine stappen" in t for t in texts)


BAD = {
    "min_orgs": (("network", "Najaar 2025", "Bolsward 2025", "Coevorden mei", "--min-organisations", "2"),
                 "minimum aantal organisaties is 3"),
    "twice": (("network", "Najaar 2025", "Voorjaar 2025", "Bolsward 2025"), "twee keer"),
    "mixed": (("network", "Najaar 2025", "Elst wijkteams", "Bolsward 2025"), "ander instrument"),
    "none": (("network",), "--network"),
    "both": (("network", "Najaar 2025", "--network", "Leernetwerk Noord"), "niet allebei"),
    "until_alone": (("network", "Najaar 2025", "--until", "2025-01-01"), "--until"),
    "bad_date": (("network", "--network", "Leernetwerk Noord", "--until", "1-5-2025"), "geen datum"),
    "unknown_round": (("network", "Najaar 2025", "Nergens"), "niet gevonden"),
    "unknown_network": (("network", "--network", "Bestaat niet"), "niet gevonden"),
    "empty_moment": (("network", "--network", "Leernetwerk Noord", "--until", "2024-01-01"), "Geen enkele"),
    "plan_unknown": (("plan", "show", "Nergens"), "niet gevonden"),
    "plan_suffix": (("plan", "export", "Najaar 2025", "--out", "plan.pdf"), "Onbekend formaat"),
    "plan_unwritable": (("plan", "export", "Najaar 2025", "--out", "/nonexistent-dir/plan.docx"), "niet schrijven"),
}


IN_A_PROCESS = ("min_orgs", "bad_date", "plan_unwritable")  # the real contract; the others through main()


@pytest.mark.parametrize("key", sorted(BAD))
def test_bad_input_is_one_dutch_line(setup, out, key):
    args, message = BAD[key]
    result = out[f"bad_{key}"] if key in IN_A_PROCESS else in_process(*args, "--data-dir", setup["dir"])
    assert result.returncode == 2 and result.stdout == "", (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr, result.stderr
