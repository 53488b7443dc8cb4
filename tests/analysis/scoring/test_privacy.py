"""The privacy model against the attacks of issue 15, and a property test over random organisations.

Expected row sets come from a plain re-statement of the rule (cells by all reporting columns, small
cells pooled, pool grown smallest first until empty or at least the minimum); the product's numbers
must be the numbers of exactly those rows, and every shown figure must be a union of shown cells.
"""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.ingest.dataset import ingest_bytes
from analysis.scoring.privacy import build_partition, candidate_columns, deployment_min_group_size, pooled_text
from analysis.scoring.summary import SelectionError, summarize, summary_to_dict
from tests.conftest import ROOT, SAMPLES


def export_csv(columns: dict[str, list[str]], matrix: np.ndarray) -> bytes:
    names = list(columns)
    lines = [",".join(["Id", *names, *[f"Stelling {i}" for i in range(1, 25)]])]
    for r, row in enumerate(matrix):
        lines.append(",".join([f"R{r + 1}", *[columns[n][r] for n in names], *[str(int(c)) for c in row]]))
    return ("\n".join(lines) + "\n").encode()


def run_cli(path, *args) -> dict:
    done = subprocess.run([sys.executable, "-m", "analysis", "summarize", str(path), *args],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def sums(figure: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per statement: the sum of the known answers and their number, as an attacker would read them."""
    known = np.array([s["n_known"] for s in figure["statements"]], dtype=float)
    score = np.array([s["score"] or 0.0 for s in figure["statements"]], dtype=float)
    return score * known, known


# -- attack 2: two group columns ---------------------------------------------------------------
def two_columns_file(tmp_path):
    teams = ["T1"] + ["T2"] * 6 + ["T3"] * 11 + ["T4"] * 12
    functions = ["F2"] + ["F1"] * 6 + ["F2"] * 5 + ["F3"] * 6 + ["F3"] * 12
    rng = np.random.default_rng(7)
    matrix = rng.integers(3, 6, size=(len(teams), 24))
    matrix[0] = 1  # T1's single member answers 1 everywhere: easy to spot if it leaks
    path = tmp_path / "twee_kenmerken.csv"
    path.write_bytes(export_csv({"Team": teams, "Functie": functions}, matrix))
    return path, matrix


def test_attack_two_group_columns_on_the_command_line_fails(tmp_path):
    path, matrix = two_columns_file(tmp_path)
    total = run_cli(path)
    by_team = {t["team"]: t for t in run_cli(path, "--team-column", "Team")["teams"]}
    by_function = {t["team"]: t for t in run_cli(path, "--team-column", "Functie")["teams"]}
    figures = [by_team["T3"], by_team["T4"], by_function["F1"]]
    if any(f["suppressed"] for f in figures):
        return  # the subtraction cannot even be written down
    residual_sum, residual_n = sums(total)
    for figure in figures:
        s, n = sums(figure)
        residual_sum, residual_n = residual_sum - s, residual_n - n
    assert (residual_n >= 5).all(), "the difference of shown figures isolates fewer than five respondents"
    assert not np.allclose(residual_sum / residual_n, matrix[0]), "T1's answers can be worked out"


def test_team_figures_are_computed_over_shown_cells_only(tmp_path):
    path, matrix = two_columns_file(tmp_path)
    teams = {t["team"]: t for t in run_cli(path, "--team-column", "Team")["teams"]}
    # Cells: T1/F2 1 (pooled), then the smallest other, T3/F2 (5), joins the pool; T3 shows its F3 cell.
    assert teams["T1"]["suppressed"] and teams["T1"]["statements"] == []
    t3_rows = matrix[12:18]
    assert [s["n_known"] for s in teams["T3"]["statements"]] == [6] * 24
    assert [s["score"] for s in teams["T3"]["statements"]] == [round(float(v), 2) for v in t3_rows.mean(axis=0)]
    assert teams["T3"]["respondents"] == 11


def test_one_reporting_column_keeps_the_brief_rule(tmp_path):
    path, matrix = two_columns_file(tmp_path)
    teams = {t["team"]: t for t in run_cli(path, "--team-column", "Team", "--reporting-column", "Team")["teams"]}
    # T1 (1) is too small; T2 (6), the smallest other, is hidden with it; T3 and T4 are shown whole.
    assert [teams[t]["suppressed"] for t in ("T1", "T2", "T3", "T4")] == [True, True, False, False]
    assert [s["score"] for s in teams["T4"]["statements"]] == [round(float(v), 2) for v in matrix[18:].mean(axis=0)]


# -- attack 3: two hidden groups ----------------------------------------------------------------
def test_attack_two_hidden_groups_fails(tmp_path):
    teams = ["A"] + ["B"] * 2 + ["C"] * 10 + ["D"] * 10
    matrix = np.full((len(teams), 24), 4)
    matrix[:3] = 1
    path = tmp_path / "twee_klein.csv"
    path.write_bytes(export_csv({"Team": teams}, matrix))
    shown = {t["team"]: t for t in run_cli(path, "--team-column", "Team")["teams"] if not t["suppressed"]}
    # A + B = 3 < 5, so C (the smallest other, by name) is hidden too: total - D is 13 people.
    assert set(shown) == {"D"}
    reasons = {g.name: g.reason for g in summarize(ingest_bytes(path.read_bytes(), "x.csv"), "Team").groups}
    assert reasons == {"A": "too_small", "B": "too_small", "C": "protects", "D": None}


# -- attack 1: two filter selections --------------------------------------------------------------
def test_attack_two_filter_selections_on_the_sample_fails():
    dataset = ingest_bytes((SAMPLES / "quickscan_voorbeeld.xlsx").read_bytes(), "quickscan_voorbeeld.xlsx")
    function, team = "Wat is uw functie?", "In welk team werkt u?"
    columns = [team, function]
    others = ["Team Noord", "Team Oost", "Team West", "Team Zuid"]
    views = []
    for filters in ({function: ["Klantmanager"]}, {function: ["Klantmanager"], team: others}):
        try:
            views.append(summary_to_dict(summarize(dataset, reporting_columns=columns, filters=filters)))
        except SelectionError:
            views.append(None)
    # Either a selection is refused, or both are computed over the same cells: their difference is empty.
    assert None in views or views[0] == views[1]


def test_default_reporting_columns_are_the_grouping_columns():
    dataset = ingest_bytes((SAMPLES / "quickscan_voorbeeld.xlsx").read_bytes(), "quickscan_voorbeeld.xlsx")
    assert candidate_columns(dataset.metadata) == ["In welk team werkt u?", "Wat is uw functie?"]
    free_text = pd.DataFrame({"Opmerking": ["a", "b", "c", "", "", "d"], "Team": list("xxxyyy")})
    assert candidate_columns(free_text) == ["Team"]


def test_deployment_minimum_comes_from_the_environment():
    assert deployment_min_group_size({}) == 5
    assert deployment_min_group_size({"QUICKSCAN_MIN_GROUP_SIZE": "8"}) == 8
    assert deployment_min_group_size({"QUICKSCAN_MIN_GROUP_SIZE": "nonsense"}) == 5


def test_a_lowered_minimum_is_said():
    dataset = ingest_bytes((SAMPLES / "quickscan_voorbeeld.xlsx").read_bytes(), "quickscan_voorbeeld.xlsx")
    assert summarize(dataset, min_group_size=5).min_group_size_note is None
    assert "verlaagd naar 3" in summarize(dataset, min_group_size=3).min_group_size_note


# -- property: every figure of every view is a union of shown cells --------------------------------
def reference_cells(frame: pd.DataFrame, columns: list[str], minimum: int) -> tuple[dict, set]:
    cells: dict[tuple, list[int]] = {}
    for row, key in enumerate(frame[columns].itertuples(index=False, name=None)):
        cells.setdefault(key, []).append(row)
    pool = {key for key, rows in cells.items() if len(rows) < minimum}
    for key in sorted(cells, key=lambda k: (len(cells[k]), k)):
        pooled = sum(len(cells[k]) for k in pool)
        if pooled == 0 or pooled >= minimum:
            break
        pool.add(key)
    return cells, pool


def organisations():
    @st.composite
    def build(draw):
        n = draw(st.integers(1, 36))
        n_columns = draw(st.integers(1, 3))
        columns = {}
        for c in range(n_columns):
            values = draw(st.integers(1, 4))
            columns[f"K{c}"] = [f"v{draw(st.integers(0, values - 1))}" for _ in range(n)]
        seed = draw(st.integers(0, 2**31))
        minimum = draw(st.integers(2, 6))
        return pd.DataFrame(columns), np.random.default_rng(seed).integers(1, 6, size=(n, 24)), minimum
    return build()


def selections(frame: pd.DataFrame):
    yield {}
    for column in frame.columns:
        values = sorted(frame[column].unique())
        for k in range(1, len(values) + 1):
            for chosen in itertools.combinations(values, k):
                yield {column: list(chosen)}
    for a, b in itertools.combinations(frame.columns, 2):
        for va in sorted(frame[a].unique()):
            for vb in sorted(frame[b].unique()):
                yield {a: [va], b: [vb]}


def figure_rows(frame, shown, selection, group=None):
    mask = np.ones(len(frame), dtype=bool)
    for column, values in selection.items():
        mask &= frame[column].isin(values).to_numpy()
    if group is not None:
        mask &= (frame[group[0]] == group[1]).to_numpy()
    if not selection and group is None:
        return set(range(len(frame)))  # the organisation total: always shown
    return {r for r in np.flatnonzero(mask) if shown[r]}


def check_figure(statements: pd.DataFrame, matrix: np.ndarray, rows: set, cell_rows: list[set], minimum: int):
    assert len(rows) == len(matrix) or len(rows) >= minimum  # the whole organisation is always shown
    assert all(rows >= cell or not rows & cell for cell in cell_rows), "a figure splits a cell"
    expected = matrix[sorted(rows)]
    assert statements["n_known"].tolist() == [len(rows)] * 24
    assert np.allclose(statements["score"].to_numpy(dtype=float), expected.mean(axis=0))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_every_view_is_a_union_of_shown_cells(organisation):
    frame, matrix, minimum = organisation
    columns = list(frame.columns)
    dataset = ingest_bytes(export_csv({c: frame[c].tolist() for c in columns}, matrix), "org.csv")
    cells, pool = reference_cells(frame, columns, minimum)
    pooled_rows = {r for key in pool for r in cells[key]}
    # The pool is empty or safe, unless the whole organisation is smaller than the minimum.
    assert len(pooled_rows) in (0, len(frame)) or len(pooled_rows) >= minimum
    assert build_partition(dataset.metadata, columns, minimum).pooled_respondents == len(pooled_rows)
    shown = [r not in pooled_rows for r in range(len(frame))]
    cell_rows = [set(rows) for rows in cells.values()]
    for selection in selections(frame):
        for group_column in [None, *columns]:
            try:
                summary = summarize(dataset, group_column, min_group_size=minimum, reporting_columns=columns,
                                    filters=selection)
            except SelectionError:
                assert not figure_rows(frame, shown, selection)
                continue
            check_figure(summary.statements, matrix, figure_rows(frame, shown, selection), cell_rows, minimum)
            for group in summary.groups:
                rows = figure_rows(frame, shown, selection, (group_column, group.name))
                if group.suppressed:
                    assert not rows or group.respondents < minimum
                    continue
                check_figure(group.statements, matrix, rows, cell_rows, minimum)


def test_attack_two_group_columns_through_the_excel_exports_fails(tmp_path):
    """Attack 2 with what two Excel hand-outs show (by team, by functie): T1's answers stay out of reach."""
    from openpyxl import load_workbook

    from analysis.report.exports.to_xlsx import report_xlsx
    from analysis.report.model import build_report

    path, matrix = two_columns_file(tmp_path)
    dataset = ingest_bytes(path.read_bytes(), path.name)
    sheets = {}
    for column in ("Team", "Functie"):
        book = load_workbook(io.BytesIO(report_xlsx(build_report(summarize(dataset, column), "x"))))
        rows = list(book["Groepen per stelling"].iter_rows(min_row=2, values_only=True))
        sheets[column] = {(r[0], r[2]): r[3] for r in rows}
        status = {r[0]: r[2] for r in book["Groepen"].iter_rows(min_row=2, values_only=True)}
        if column == "Team":
            assert status["T3"] == "getoond (cijfers over 6 van 11)"
    # T3's figures are those of its shown cell (its six F3 members), not of all eleven.
    t3 = [sheets["Team"][("T3", i)] for i in range(1, 25)]
    assert t3 == [round(float(v), 2) for v in matrix[12:18].mean(axis=0)]
    # The attacker's sum with the group sizes on the sheet does not give T1's answers (all 1).
    total = matrix.mean(axis=0) * 30
    guess = total - 11 * np.array(t3) - 12 * np.array([sheets["Team"][("T4", i)] for i in range(1, 25)]) \
        - 6 * np.array([sheets["Functie"].get(("F1", i)) or 0 for i in range(1, 25)])
    assert not np.allclose(guess, 1, atol=0.05)


def test_group_codes_are_remembered_per_arrow_column_and_never_stale():
    """label_codes factorizes an Arrow column once while it lives; a changed column is factorized again, the
    shared arrays cannot be changed by a caller, and an object column gives the same codes."""
    from analysis.scoring.privacy import label_codes

    frame = pd.DataFrame({"team": pd.Series(["Zuid", "Noord ", "Zuid", "", None], dtype="str")})
    codes, names = label_codes(frame["team"])
    assert names.tolist() == ["(niet ingevuld)", "Noord", "Zuid"] and codes.tolist() == [2, 1, 2, 0, 0]
    again = label_codes(frame["team"])
    assert again[0] is codes and again[1] is names
    assert not codes.flags.writeable and not names.flags.writeable
    frame.loc[0, "team"] = "Oost"
    changed, changed_names = label_codes(frame["team"])
    assert changed_names.tolist() == ["(niet ingevuld)", "Noord", "Oost", "Zuid"]
    assert changed.tolist() == [2, 1, 3, 0, 0]
    plain = label_codes(frame["team"].astype(object))
    assert plain[0].tolist() == changed.tolist() and plain[1].tolist() == changed_names.tolist()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.sampled_from(["Zuid", " Zuid", "Zuid\u200e", "", " ", "\t", "Noord",
                                                        "\ufeffNoord", "zuid", "Ä", "A\u0308", "A"]),
                          st.text(max_size=6)), max_size=40))
def test_group_names_are_the_cleaned_values_sorted_in_arrow_and_object_columns(values):
    """Per row the index of its cleaned value (invisible characters dropped, composed (NFC), trimmed, empty or
    missing as one group) among the sorted distinct cleaned values, whichever way the column is held."""
    import re
    import unicodedata

    from analysis.safe_text import INVISIBLE
    from analysis.scoring.privacy import EMPTY_GROUP, label_codes

    cleaned = [(unicodedata.normalize("NFC", re.sub(INVISIBLE, "", v)).strip() if v is not None else "")
               or EMPTY_GROUP for v in values]
    expected_names = sorted(set(cleaned))
    expected_codes = [expected_names.index(c) for c in cleaned]
    for dtype in ("str", object, "string"):
        codes, names = label_codes(pd.Series(values, dtype=dtype))
        assert names.tolist() == expected_names, dtype
        assert codes.tolist() == expected_codes, dtype


def test_a_name_typed_composed_or_decomposed_is_one_group():
    """'Zoë' as one character (NFC) or as 'e' and a combining diaeresis (NFD, as macOS writes file names) looks the
    same on every page: one group of 6, not two of 3 that would both be hidden."""
    from analysis.scoring.privacy import label_codes

    composed, decomposed = "Team Zo\u00eb", "Team Zoe\u0308"
    codes, names = label_codes(pd.Series([composed] * 3 + [decomposed] * 3 + ["Team Noord"] * 5))
    assert names.tolist() == ["Team Noord", composed] and codes.tolist() == [1] * 6 + [0] * 5


def test_the_pool_text_tells_too_small_combinations_from_those_hidden_to_protect_them():
    """Teams of 3, 13, 9, 6 and 12: the 3 are too small; the 6 join the pool only so the 3 cannot be recovered."""
    teams = ["A"] * 3 + ["B"] * 13 + ["C"] * 9 + ["D"] * 6 + ["E"] * 12
    partition = build_partition(pd.DataFrame({"Team": teams}), ("Team",), 5)
    assert (partition.pooled_respondents, partition.too_small_respondents) == (9, 3)
    assert pooled_text(partition, 43) == (
        "3 van 43 respondenten vallen in een te kleine combinatie van groepskenmerken, en 6 in een combinatie die "
        "niet apart wordt getoond om de kleine te beschermen: zij tellen mee in het totaal, niet in groeps- of "
        "filtercijfers.")
    safe = build_partition(pd.DataFrame({"Team": ["A"] * 3 + ["B"] * 2 + ["C"] * 9}), ("Team",), 5)
    assert (safe.pooled_respondents, safe.too_small_respondents) == (5, 5)
    assert pooled_text(safe, 14).startswith("5 van 14 respondenten vallen in een te kleine combinatie") and \
        "beschermen" not in pooled_text(safe, 14)
    assert pooled_text(build_partition(pd.DataFrame({"Team": ["B"] * 9}), ("Team",), 5), 9) is None
