"""Every export layout gives the same answers; nothing the ingest did not understand goes unreported."""

import csv
import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from make_fixtures import CANONICAL, TEAM_COLUMN, TEAMS, TEXTS
from openpyxl import Workbook

from analysis.errors import IngestError
from analysis.ingest.dataset import IGNORE, Overrides, filled_cells, ingest_bytes, ingest_file, issues_line
from tests.conftest import FIXTURES, SAMPLES

EXPECTED_LAYOUT = {
    "msforms.xlsx": "msforms", "google_grid.csv": "google", "limesurvey_codes.csv": "limesurvey",
    "limesurvey_text.csv": "limesurvey", "qualtrics.csv": "qualtrics", "surveymonkey.csv": "surveymonkey",
    "dutch_excel.csv": "dutch_excel", "tab_bom_descriptions.tsv": "generic", "long.csv": "long",
    "multisheet_title.xlsx": "generic", "libreoffice.ods": "generic", "unicode_text.txt": "limesurvey",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_each_layout_yields_the_canonical_answers(name):
    dataset = ingest_file(FIXTURES / name)
    assert dataset.layout_kind == EXPECTED_LAYOUT[name]
    assert dataset.statements_found == list(range(1, 25))
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, np.array(CANONICAL, dtype=np.int8))
    teams = dataset.metadata[TEAM_COLUMN[name]].tolist()
    assert teams == TEAMS


def test_qualtrics_columns_are_named_by_question_text():
    dataset = ingest_file(FIXTURES / "qualtrics.csv")
    assert "In welk team werkt u?" in dataset.metadata.columns
    assert "Q1" not in dataset.metadata.columns


def _csv(rows, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _wide(answers_for_7, extra_header=None):
    header = ["Team"] + [f"Stelling {i}" for i in range(1, 25)] + ([extra_header] if extra_header else [])
    rows = [header]
    for value in answers_for_7:
        row = ["A"] + ["3"] * 24 + (["Startend"] if extra_header else [])
        row[7] = value
        rows.append(row)
    return _csv(rows)


def test_answer_spellings_are_understood():
    values = ["gevorderd", "  GOED OP WEG ", "4", "4.0", "Vergevorderd (5)", "2 - Startend", "n.v.t.",
              "Weet niet", "", "Onbekend/N.V.T."]
    dataset = ingest_bytes(_wide(values), "x.csv")
    assert dataset.codes[:, 6].tolist() == [4, 3, 4, 4, 5, 2, 0, 0, -1, 0]
    assert dataset.issues.empty


def test_full_option_description_maps_to_its_level(instrument):
    text = instrument.statement(7).level_description(2)
    dataset = ingest_bytes(_wide([text, text.upper()]), "x.csv")
    assert dataset.codes[:, 6].tolist() == [2, 2]


def test_unknown_value_and_out_of_range_are_reported_with_rows():
    dataset = ingest_bytes(_wide(["Neutraal", "3", "Neutraal", "7", "0"]), "x.csv")
    issues = dataset.issues.set_index("waarde")
    assert issues.loc["Neutraal", "aantal"] == 2 and issues.loc["Neutraal", "rijen"] == "2, 4"
    assert issues.loc["Neutraal", "kolom"] == "Stelling 7"
    assert issues.loc["7", "soort"] == "Getal buiten bereik" and issues.loc["0", "rijen"] == "6"
    assert dataset.codes[:, 6].tolist() == [-1, 3, -1, -1, -1]  # not understood is never scored
    assert "Neutraal" in issues_line(dataset) and "Stelling 7" in issues_line(dataset)


def test_value_overrides_settle_the_report():
    data = _wide(["Neutraal", "3", "Neutraal", "geen antwoord"])
    fixed = ingest_bytes(data, "x.csv", overrides=Overrides(values={"Neutraal": 3, "geen antwoord": -1}))
    assert fixed.issues.empty
    assert fixed.codes[:, 6].tolist() == [3, 3, 3, -1]


def test_column_overrides_assign_and_ignore():
    rows = [["Team", "Eerste vraag", "Tweede vraag"], ["A", "Startend", "Gevorderd"], ["B", "Gevorderd", "x"]]
    with pytest.raises(IngestError, match="Geen enkele stelling herkend"):
        ingest_bytes(_csv(rows), "x.csv")
    dataset = ingest_bytes(_csv(rows), "x.csv", overrides=Overrides(columns={"Eerste vraag": 5,
                                                                             "Tweede vraag": IGNORE}))
    assert dataset.statements_found == [5]
    assert dataset.codes[:, 4].tolist() == [2, 4]
    assert dataset.issues[dataset.issues["blokkerend"]].empty


def test_unmatched_answer_column_is_reported_not_dropped():
    dataset = ingest_bytes(_wide(["3", "4"], extra_header="Algemene indruk"), "x.csv")
    row = dataset.issues[dataset.issues["soort"] == "Kolom lijkt antwoorden te bevatten"]
    assert row["kolom"].tolist() == ["Algemene indruk"]
    assert not row["blokkerend"].iloc[0]


def test_duplicate_statement_column_blocks():
    rows = [["Stelling 1", "1. " + TEXTS[1]], ["3", "4"]]
    dataset = ingest_bytes(_csv(rows), "x.csv")
    assert dataset.blocking_issues["soort"].tolist() == ["Stelling dubbel"]


def test_missing_statements_are_listed():
    dataset = ingest_bytes(_csv([["Stelling 1", "Stelling 2"], ["3", "4"]]), "x.csv")
    absent = dataset.issues[dataset.issues["soort"] == "Stelling ontbreekt in bestand"]
    assert absent["aantal"].tolist() == [22]
    assert (dataset.codes[:, 2:] == -1).all()


def test_retyped_statement_text_is_recognised():
    header = TEXTS[21].upper().replace(",", "").replace("diversiteitsensitive", "diversiteitssensitieve")
    dataset = ingest_bytes(_csv([[header], ["Gevorderd"]]), "x.csv")
    assert dataset.statements_found == [21]


def test_similar_but_different_texts_do_not_match():
    # Statements 10 and 13 both talk about "meer tijd": a generic sentence must match neither.
    header = "De professionals krijgen meer tijd voor hun werk"
    with pytest.raises(IngestError):
        ingest_bytes(_csv([[header], ["Gevorderd"]]), "x.csv")


def test_long_file_without_row_counts_missing_and_reports_unknown_statements():
    rows = [["respondent", "stelling", "antwoord"], ["a", "1", "Startend"], ["a", "2", "Gevorderd"],
            ["b", "1", "Inactief"], ["b", "99", "Gevorderd"], ["b", "1", "Startend"]]
    dataset = ingest_bytes(_csv(rows), "x.csv")
    assert dataset.respondent_ids == ["a", "b"]
    assert dataset.codes[:, :3].tolist() == [[2, 4, -1], [1, -1, -1]]
    kinds = set(dataset.blocking_issues["soort"])
    assert kinds == {"Stelling niet herkend", "Dubbel antwoord"}


def test_cp1252_semicolon_and_numbers_from_excel():
    text = "Afdeling;Stelling 1;Stelling 2\r\nCliëntondersteuning;4;Goed op weg\r\nWerk & Inkomen;5;\r\n"
    dataset = ingest_bytes(text.encode("cp1252"), "x.csv")
    assert dataset.metadata["Afdeling"].tolist() == ["Cliëntondersteuning", "Werk & Inkomen"]
    assert dataset.codes[:, :2].tolist() == [[4, 3], [5, -1]]


def _ascii_rows_then(last_row: bytes, n: int = 4000) -> bytes:
    """Plain ASCII rows well past the 64 KB the encoding is guessed from, then LAST_ROW."""
    header = "Team," + ",".join(f"Stelling {i}" for i in range(1, 25)) + ",Opmerking\n"
    return (header + ("Noord," + ",".join(["3"] * 24) + ",geen\n") * n).encode() + last_row


@pytest.mark.parametrize("where", ["Team", "Stelling 5", "Opmerking"])
def test_windows_1252_far_down_is_recoded_wherever_it_sits(where):
    """Cells are checked for UTF-8 where they are used (a team per cell, an answer per distinct value); one that is
    not makes the whole file be read as Windows-1252, as when the parser itself used to check every cell."""
    cells = {"Team": "Zuid", **{f"Stelling {i}": "4" for i in range(1, 25)}, "Opmerking": "prima"}
    cells[where] = {"Team": "Cliëntraad", "Stelling 5": "soms wél", "Opmerking": "Géén"}[where]
    dataset = ingest_bytes(_ascii_rows_then((",".join(cells.values()) + "\n").encode("cp1252")), "x.csv")
    assert dataset.source["encoding"] == "cp1252" and len(dataset.metadata) == 4001
    assert dataset.metadata[["Team", "Opmerking"]].iloc[-1].tolist() == [cells["Team"], cells["Opmerking"]]
    issues = dataset.issues[dataset.issues["soort"] == "Antwoord niet herkend"]
    assert issues[["kolom", "waarde", "rijen"]].values.tolist() == (
        [["Stelling 5", "soms wél", "4002"]] if where == "Stelling 5" else [])


def test_an_answer_first_seen_after_the_first_thousand_rows():
    """Answers are looked up among the values of the first rows; a later new value is encoded apart. In a file of
    one block that used to write into Arrow's read-only memory and stop with an unexpected error."""
    header = "Team," + ",".join(f"Stelling {i}" for i in range(1, 25)) + "\n"
    data = (header + ("Noord," + ",".join(["3"] * 24) + "\n") * 1200 + "Zuid," + ",".join(["Gevorderd"] * 24)).encode()
    dataset = ingest_bytes(data, "x.csv")
    assert dataset.codes.shape == (1201, 24) and (dataset.codes[:1200] == 3).all() and (dataset.codes[1200] == 4).all()


def test_a_byte_windows_1252_lacks_far_down_is_refused_with_its_place():
    """Also in a row with a cell too many, which the slower reader for ragged rows reads (it used to put a
    replacement character in silently)."""
    for extra in (b"", b",meer"):
        data = _ascii_rows_then(b"Zuid,w\x81," + b",".join([b"3"] * 23) + b",geen" + extra + b"\n")
        with pytest.raises(IngestError, match="byte 0x81 op regel 4002"):
            ingest_bytes(data, "x.csv")


def test_xlsx_numbers_and_empty_cells():
    book = Workbook()
    book.active.append(["Team", "Stelling 3"])
    book.active.append(["A", 4])
    book.active.append(["B", None])
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = ingest_bytes(buffer.getvalue(), "x.xlsx")
    assert dataset.codes[:, 2].tolist() == [4, -1]


@pytest.mark.parametrize("data, message", [
    (b"", "is leeg"),
    (b"   \n\n", "is leeg"),
    (bytes(range(256)) * 10, "geen tabel"),
    (b"PK\x03\x04rubbish", "kan niet worden geopend"),
    (b"Team,Functie\n", "Geen enkele stelling herkend"),
    (b"Team,Functie\nA,B\n", "Geen enkele stelling herkend"),
])
def test_bad_files_raise_a_clear_error(data, message):
    with pytest.raises(IngestError, match=message):
        ingest_bytes(data, "upload.csv")


@pytest.mark.parametrize("data", [b"Team,Stelling 1,Stelling 2\n", b"Team,Stelling 1,Stelling 2\n,,\n , ,\n",
                                  "Team\tStelling 1\r\n\t\r\n".encode("utf-16")])
def test_no_respondents_is_refused(data):
    with pytest.raises(IngestError, match="Geen respondenten"):
        ingest_bytes(data, "x.csv")


def test_tidy_table_has_one_row_per_respondent_and_statement():
    dataset = ingest_file(FIXTURES / "msforms.xlsx")
    tidy = dataset.tidy()
    assert len(tidy) == 12 * 24
    first = tidy[(tidy["respondent"] == dataset.respondent_ids[0]) & (tidy["statement"] == 1)].iloc[0]
    code = CANONICAL[0][0]
    assert first["status"] == {-1: "missing", 0: "unknown"}.get(code, "known")


def test_overrides_round_trip_through_json():
    overrides = Overrides(columns={"Vraag": 3, "Oud": IGNORE}, values={"Neutraal": 3})
    assert Overrides.from_dict(json.loads(json.dumps(overrides.to_dict()))) == overrides


def test_bookkeeping_columns_are_system_columns_never_respondent_data():
    dataset = ingest_file(FIXTURES / "unicode_text.txt")
    system = [c.label for c in dataset.columns if c.role == "system"]
    assert system == ["Response ID", "Date submitted", "Last page", "Start language", "Seed"]
    assert list(dataset.metadata.columns) == ["Team"]
    limesurvey = ingest_file(FIXTURES / "limesurvey_codes.csv")
    assert list(limesurvey.metadata.columns) == ["team"]


def test_limesurvey_full_text_with_brackets_is_not_google():
    header = ["Response ID", "Date submitted", "Team"] + [f"Vragen [{TEXTS[s]}]" for s in range(1, 25)]
    dataset = ingest_bytes(_csv([header, ["1", "2025-01-01", "A"] + ["3"] * 24]), "x.csv")
    assert dataset.layout_kind == "limesurvey" and dataset.layout == "LimeSurvey"


def test_workbook_with_explanation_sheet_uses_the_answers_sheet_and_names_it():
    dataset = ingest_file(FIXTURES / "multisheet_title.xlsx")
    assert dataset.source["sheet"] == "Resultaten"
    assert dataset.source["sheets"] == ["Toelichting", "Resultaten"]
    assert dataset.source["title_rows"] == [1] and dataset.source["header_rows"] == [3]
    assert dataset.respondent_ids[:2] == ["R1", "R2"]


def test_sheet_by_name_or_number_and_a_wrong_one_lists_the_sheets():
    path = FIXTURES / "multisheet_title.xlsx"
    assert ingest_file(path, sheet=2).source["sheet"] == "Resultaten"
    assert ingest_file(path, sheet="resultaten").source["sheet"] == "Resultaten"
    with pytest.raises(IngestError, match="Geen respondenten|Geen enkele stelling"):
        ingest_file(path, sheet="Toelichting")
    with pytest.raises(IngestError, match="1: 'Toelichting', 2: 'Resultaten'"):
        ingest_file(path, sheet="3")
    with pytest.raises(IngestError, match="zonder werkbladen"):
        ingest_file(FIXTURES / "long.csv", sheet="1")


def test_statement_left_out_is_listed():
    rows = [["Team"] + [f"Stelling {i}" for i in range(1, 25) if i != 12], ["A"] + ["3"] * 23]
    dataset = ingest_bytes(_csv(rows), "x.csv")
    assert dataset.statements_not_in_file == [12]
    assert dataset.statements_without_answers == [12]


def test_column_that_nobody_answered_has_no_answers_but_is_in_the_file():
    rows = [["Stelling 1", "Stelling 2"], ["3", ""], ["4", " "]]
    dataset = ingest_bytes(_csv(rows), "x.csv")
    assert 2 in dataset.statements_without_answers and 2 not in dataset.statements_not_in_file
    assert 1 not in dataset.statements_without_answers


def _six_rows(change):
    rows = [["Functie"] + [f"Stelling {i}" for i in range(1, 25)]]
    rows += [[f"Functie {r}"] + [str(1 + (r + i) % 5) for i in range(24)] for r in range(5)]
    change(rows)
    return _csv(rows)


def test_an_answer_like_a_statement_number_does_not_make_header_rows():
    dataset = ingest_bytes(_six_rows(lambda rows: rows[2].__setitem__(3, "3.5")), "x.csv")
    assert dataset.source["header_rows"] == [1]
    assert dataset.n_respondents == 5
    issue = dataset.blocking_issues.iloc[0]
    assert (issue["waarde"], issue["rijen"], issue["kolom"]) == ("3.5", "3", "Stelling 3")


def test_numbered_values_in_a_data_column_stay_answers():
    def numbered(rows):
        for row in rows[1:]:
            row[0] = "2. Klantmanager"
    dataset = ingest_bytes(_six_rows(numbered), "x.csv")
    assert dataset.n_respondents == 5 and dataset.source["header_rows"] == [1]
    assert dataset.metadata["Functie"].tolist() == ["2. Klantmanager"] * 5
    assert dataset.blocking_issues.empty


def test_unquoted_decimal_comma_is_reported_with_its_row():
    text = "Team,Stelling 1,Stelling 2\nA,3,4\nB,3,5,4\nC,2,2\n"
    dataset = ingest_bytes(text.encode(), "x.csv")
    wide = dataset.blocking_issues
    assert wide["soort"].str.startswith("Rij heeft meer cellen").tolist() == [True]
    assert wide["rijen"].tolist() == ["3"]
    assert dataset.codes[1, :2].tolist() == [-1, -1]  # the shifted row is not scored
    assert dataset.codes[2, :2].tolist() == [2, 2]


def test_a_statement_the_instrument_lacks_is_reported():
    rows = [["Stelling 1", "Stelling 25", "Vraag 30"], ["3", "4", "ja"]]
    dataset = ingest_bytes(_csv(rows), "x.csv")
    foreign = dataset.issues[dataset.issues["soort"] == "Stelling bestaat niet in het instrument"]
    assert foreign["kolom"].tolist() == ["Stelling 25", "Vraag 30"]
    assert not foreign["blokkerend"].any()


def test_title_rows_above_the_header_in_csv_and_tab_text():
    rows = [["QuickScan 2025"], ["Team", "Stelling 1", "Stelling 2"], ["A", "3", "4"], ["B", "2", ""]]
    for delimiter in [",", ";", "\t"]:
        dataset = ingest_bytes(_csv(rows, delimiter), "x.csv")
        assert dataset.source["title_rows"] == [1] and dataset.source["header_rows"] == [2]
        assert dataset.codes[:, :2].tolist() == [[3, 4], [2, -1]]
        assert dataset.metadata["Team"].tolist() == ["A", "B"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_line_breaks_inside_quoted_headers(delimiter, encoding):
    header = ["Team"] + [f"Stelling {i}\n(toelichting; met tekens, | en \t)" for i in (1, 2, 3)]
    rows = [header, ["Cliëntenraad", "3", "Gevorderd", ""], ["B", "1", "2", "n.v.t."]]
    dataset = ingest_bytes(_csv(rows, delimiter).decode().encode(encoding), "x.txt")
    assert dataset.source["delimiter"] == delimiter
    assert dataset.statements_found == [1, 2, 3]
    assert dataset.codes[:, :3].tolist() == [[3, 4, -1], [1, 2, 0]]
    assert dataset.metadata["Team"].tolist() == ["Cliëntenraad", "B"]


def test_many_different_values_not_understood_are_each_reported_with_their_rows():
    """A statement column of free text: every distinct value is one issue with its own count and rows."""
    answers = [f"opmerking {i % 12}" if i % 5 else "Gevorderd" for i in range(60)]
    dataset = ingest_bytes(_wide(answers), "x.csv")
    issues = dataset.issues[dataset.issues["soort"] == "Antwoord niet herkend"].set_index("waarde")
    assert len(issues) == 12
    for value in range(12):
        rows = [i + 2 for i, answer in enumerate(answers) if answer == f"opmerking {value}"]
        listed = ", ".join(map(str, rows[:10])) + (f" (+{len(rows) - 10})" if len(rows) > 10 else "")
        assert issues.loc[f"opmerking {value}", "aantal"] == len(rows)
        assert issues.loc[f"opmerking {value}", "rijen"] == listed


SPACES = [chr(c) for c in range(0x3100) if chr(c).isspace()] + ["\u200b", "\ufeff", "\x00"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(st.sampled_from(SPACES + ["a", "é", "中", "\u2060", "1"]), max_size=4)),
                max_size=30),
       st.integers(0, 30), st.integers(0, 5))
def test_filled_cells_agrees_with_trimming_in_any_chunks_and_slices(cells, cut, skip):
    """However the column is chunked or sliced (a sliced chunk keeps its buffers), a cell is filled exactly when
    trimming its white space leaves something; a missing cell is empty."""
    array = pa.array(cells, pa.string())
    column = pa.chunked_array([array[:cut], array[cut:]], pa.string()).slice(min(skip, len(cells)))
    trimmed = pc.utf8_trim_whitespace(column).to_pylist()
    assert filled_cells(column).tolist() == [cell is not None and cell != "" for cell in trimmed]


def test_cells_of_only_white_space_are_empty_rows_and_not_filled():
    """filled_cells gives what trimming every cell gives, for every kind of white space Unicode has."""
    spaces = [chr(c) for c in range(0x3100) if chr(c).isspace()] + ["\u200b", "\ufeff", "\x00"]
    cells = ["", "a", " b "] + spaces + [s * 3 for s in spaces] + [" x" + s for s in spaces]
    column = pa.chunked_array([pa.array(cells[:40]), pa.array(cells[40:])])
    trimmed = [cell != "" for cell in pc.utf8_trim_whitespace(column).to_pylist()]
    assert filled_cells(column).tolist() == trimmed
    assert trimmed[:4] == [False, True, True, False]
    data = _wide(["3", "4"]) + (",".join([" "] + ["\u00a0"] * 24) + "\n").encode()
    assert ingest_bytes(data, "x.csv").n_respondents == 2


def test_a_google_forms_checkbox_export_is_named_google_forms_without_grid_columns():
    """Gegevens names the recognised format; a checklist's checkbox export has no grid columns ('Titel [rij]')."""
    dataset = ingest_file(SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv")
    assert any(c.role == "multi" for c in dataset.columns) and dataset.layout == "Google Forms"
