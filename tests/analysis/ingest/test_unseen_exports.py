"""Exports written as the survey tools write them, in shapes the fixtures did not cover (found by a checker who
made new export files from the brief)."""

import numpy as np
import pytest

from analysis.ingest.dataset import ingest_bytes


def _csv(rows: list[list[str]]) -> bytes:
    return ("\r\n".join(",".join(row) for row in rows) + "\r\n").encode()


@pytest.mark.parametrize("code", ["G02Q02[SQ{n:03d}]", "G2Q2[SQ{n}]", "G02Q02_SQ{n:03d}"])
def test_limesurvey_codes_with_a_generated_question_code_name_the_statements(code):
    """LimeSurvey 4 and later name questions G01Q01, G01Q02, ...: an array's columns are G01Q02[SQ001] (and
    G01Q02_SQ001 in its R and SPSS exports). The subquestion code names the statement as in DSB[SQ001]."""
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "G01Q01"] + \
             [code.format(n=n) for n in range(1, 25)]
    answers = [[str(1 + (r + n) % 5) for n in range(24)] for r in range(3)]
    rows = [header] + [[str(r + 1), "2025-10-01 10:00:00", "2", "nl", "123", "Team A"] + a
                       for r, a in enumerate(answers)]
    dataset = ingest_bytes(_csv(rows), "survey_123.csv")
    assert dataset.layout_kind == "limesurvey"
    assert dataset.statements_found == list(range(1, 25))
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, np.array(answers, dtype=np.int8))
    assert list(dataset.metadata.columns) == ["G01Q01"]


def _instrument(multi_select: bool):
    from analysis.instrument import all_instruments

    return next(i for i in all_instruments() if i.kind.multi_select == multi_select)


def test_a_long_checklist_file_names_items_by_id_text_or_item_number():
    """A long (tidy) file of the checklist: its ids are texts ("1.10"), not numbers, and must not be taken for
    one another (1.1 and 1.10) nor crash the reading."""
    checklist = _instrument(True)
    items = checklist.statements
    names = {0: "1.1", 9: "1.10", 12: "Item 2.1", 31: items[31].text}
    answers = {0: "ja", 9: "Nee", 12: "x", 31: "weet niet"}
    rows = [["respondent", "item", "antwoord"]]
    for respondent in ("r1", "r2"):
        rows += [[respondent, f'"{names[k]}"', answers[k] if respondent == "r1" else "nee"] for k in names]
    dataset = ingest_bytes(_csv(rows), "lang.csv")
    assert dataset.instrument.id == checklist.id and dataset.layout_kind == "long"
    assert dataset.blocking_issues.empty, dataset.issues
    assert dataset.statements_found == [items[k].id for k in sorted(names)]
    yes, no, unknown, missing = 2, 1, 0, -1
    expected = np.full((2, len(items)), missing, dtype=np.int8)
    expected[0, [0, 9, 12, 31]] = [yes, no, yes, unknown]
    expected[1, [0, 9, 12, 31]] = no
    np.testing.assert_array_equal(dataset.codes, expected)


@pytest.mark.parametrize("joint", [".", "?.", "? ", "\n", " "])
def test_a_question_title_before_the_statement_in_one_header_cell(joint):
    """Microsoft Forms writes a Likert row as '<question>.<statement>'; hand-made sheets put the question and the
    statement on two lines of one cell. Every statement is found, also the short ones a long title outweighs."""
    quickscan = _instrument(False)
    title = "Geef per stelling aan hoe ver uw organisatie op dit moment is"
    header = ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam"] + \
             [f'"{title}{joint}{s.text}"' for s in quickscan.statements]
    answers = [[str(1 + (r * 3 + n) % 5) for n in range(24)] for r in range(2)]
    rows = [header] + [[str(r + 1), "", "", "anonymous", ""] + a for r, a in enumerate(answers)]
    dataset = ingest_bytes(_csv(rows), "form.csv")
    assert dataset.statements_found == quickscan.statement_ids
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, np.array(answers, dtype=np.int8))


BLOCK_QUESTION = "{}: aan welke punten voldoet uw wijkteam al?"


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def _multi_select_file(ticked_per_respondent: list[set[str]], blocks: list[str] | None = None) -> tuple[bytes, list]:
    """A Google Forms export of the checklist: one checkbox question per block, ticked items joined by ', '."""
    checklist = _instrument(True)
    blocks = blocks or list(checklist.themes)
    header = ["Tijdstempel", "Wijkteam"] + [BLOCK_QUESTION.format(b) for b in blocks]
    rows = [header]
    for k, ticked in enumerate(ticked_per_respondent):
        cells = [", ".join(s.text for s in checklist.statements_in(b) if s.id in ticked) for b in blocks]
        rows.append([f"2025/03/1{k} 10:00:00", f"Wijkteam {k}"] + cells)
    return _csv([[_quoted(c) for c in row] for row in rows]), checklist


def _yes_no(checklist, ticked_per_respondent):
    return np.array([[2 if s.id in ticked else 1 for s in checklist.statements] for ticked in ticked_per_respondent],
                    dtype=np.int8)


def test_a_multi_select_file_of_one_respondent_is_answers_not_a_second_header_row():
    """The kader is often filled in once per wijkteam: one row under the questions. Its cells name items, yet
    they are answers; before, that row became a header row and the file had no respondents."""
    ticked = [{"1.1", "1.4", "1.12", "3.1", "3.3", "4.2", "5.1", "5.4", "5.9"}]
    data, checklist = _multi_select_file(ticked)
    dataset = ingest_bytes(data, "wijkteam.csv")
    assert dataset.instrument.id == checklist.id
    assert dataset.source["header_rows"] == [1]
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, _yes_no(checklist, ticked))


@pytest.mark.parametrize("rare", [{"4.1"}, {"4.1", "4.2"}])
def test_a_block_ticked_by_one_respondent_only_does_not_make_that_row_a_header(rare):
    """Ten respondents; only the sixth ticked anything of 'Diversiteit team'. That cell names one item (or ends in
    one) like a header would: every respondent must still count, not only the four below it."""
    common = [{"1.1", "1.2", "2.1", "3.2", "5.1", "5.5"}, {"1.3", "2.2", "2.3", "3.1", "5.6"}] * 5
    ticked = [t | rare if k == 5 else t for k, t in enumerate(common)]
    data, checklist = _multi_select_file(ticked)
    dataset = ingest_bytes(data, "kader.csv")
    assert dataset.n_respondents == 10 and dataset.source["header_rows"] == [1]
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, _yes_no(checklist, ticked))


def test_a_block_nobody_ticked_anything_of_is_all_nee():
    """Its column is empty throughout, so only its header says which block it is; an empty cell is nothing
    ticked, so every item of that block is Nee (not missing)."""
    ticked = [{"1.1", "2.1", "3.1", "5.1"}, {"1.2", "2.2", "3.5", "5.10"}, {"1.3", "3.3"}]
    data, checklist = _multi_select_file(ticked)
    dataset = ingest_bytes(data, "kader.csv")
    assert "4.1" in dataset.statements_found and "4.2" in dataset.statements_found
    assert dataset.issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, _yes_no(checklist, ticked))


def test_one_multi_select_question_listing_every_item_answers_for_all_blocks():
    """One Microsoft Forms question with all 32 items (joined by ';'): an item not ticked is Nee whatever its
    block, not missing (which made every ticked item of the other blocks 100% met)."""
    checklist = _instrument(True)
    ticked = [{"1.1", "2.2", "3.3", "4.1", "5.5"}, {"1.2", "2.2", "5.10"}, {"1.1", "3.1", "3.2"}]
    header = ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Aan welke punten voldoet uw wijkteam al?"]
    rows = [header] + [[str(k + 1), "", "", "anonymous", "",
                        _quoted("".join(s.text + ";" for s in checklist.statements if s.id in t))]
                       for k, t in enumerate(ticked)]
    dataset = ingest_bytes(_csv(rows), "forms.csv")
    assert dataset.instrument.id == checklist.id
    assert dataset.statements_found == checklist.statement_ids
    assert dataset.issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, _yes_no(checklist, ticked))


def test_a_cell_of_only_invisible_characters_is_empty():
    """A zero-width space (or a byte order mark) alone looks like an empty cell: missing, not 'not understood'
    with an invisible value in the message."""
    header = ["Team"] + [f"Stelling {n}" for n in range(1, 25)]
    rows = [header, ["A", "\u200b", "\ufeff", "\u200b Gevorderd"] + ["Startend"] * 21]
    dataset = ingest_bytes(_csv(rows), "scan.csv")
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes[0, :3], [-1, -1, 4])


@pytest.mark.parametrize("option, joint, end", [("{id} {text}", ", ", ""), ("{id}. {text}", ";", ";"),
                                                ("({id}) {text}", ", ", ""), ("Item {id}: {text}", ";", ";"),
                                                ("{text} ({id})", ", ", "")])
def test_multi_select_options_numbered_by_item_id(option, joint, end):
    """Forms often number their options as the kader does ('1.3 We hebben ...'): the number belongs to the tick;
    it was reported as a value not understood, once per item, and the file refused."""
    checklist = _instrument(True)
    ticked = [{"1.1", "1.10", "2.3", "4.2", "5.4"}, {"1.2", "3.1", "5.1", "5.10"}, set()]
    header = ["Tijdstempel", "Wijkteam"] + [BLOCK_QUESTION.format(b) for b in checklist.themes]
    rows = [header]
    for k, t in enumerate(ticked):
        cells = []
        for block in checklist.themes:
            options = [option.format(id=s.id, text=s.text) for s in checklist.statements_in(block) if s.id in t]
            cells.append(joint.join(options) + (end if options else ""))
        rows.append([f"2025/03/1{k}", "W"] + cells)
    dataset = ingest_bytes(_csv([[_quoted(c) for c in row] for row in rows]), "kader.csv")
    assert dataset.issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, _yes_no(checklist, ticked))


@pytest.mark.parametrize("spelling", ["Weet ik niet / n.v.t.", "Niet van toepassing (n.v.t.)", "n.v.t./onbekend",
                                      "Weet niet|nvt"])
def test_an_option_joining_two_spellings_of_unknown_is_unknown(spelling):
    """'Weet ik niet / n.v.t.' is a common survey option: each part is a known spelling of unknown, so the whole
    is too (it was refused as an answer not understood)."""
    header = ["Team"] + [f"Stelling {n}" for n in range(1, 25)]
    rows = [header, ["A", spelling] + ["Gevorderd"] * 23, ["B", "Startend / n.v.t."] + ["Gevorderd"] * 23]
    dataset = ingest_bytes(_csv([[_quoted(c) for c in row] for row in rows]), "scan.csv")
    assert dataset.codes[0, 0] == 0
    # A level and unknown joined says two things: still not understood.
    assert dataset.blocking_issues["waarde"].tolist() == ["Startend / n.v.t."]


def test_an_emoji_check_mark_is_a_check_mark_and_unknown_pairs_tick_unknown():
    """'✔️' is '✔' with an emoji variation selector (a phone's or Windows' emoji picker types it)."""
    checklist = _instrument(True)
    header = ["Team"] + [f"Item {s.id}" for s in checklist.statements]
    rows = [header, ["A", "✔\ufe0f", "☑\ufe0f", "Weet ik niet / n.v.t."] + ["nee"] * 29]
    dataset = ingest_bytes(_csv([[_quoted(c) for c in row] for row in rows]), "kader.csv")
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes[0, :4], [2, 2, 0, 1])
    unknown_option = ingest_bytes(_csv([["Tijdstempel", "Werkwijze"],
                                        ["1", _quoted(f"{checklist.statements[0].text}, Weet ik niet / n.v.t.")],
                                        ["2", _quoted(checklist.statements[1].text)]]), "kader.csv")
    assert unknown_option.blocking_issues.empty, unknown_option.issues
    np.testing.assert_array_equal(unknown_option.codes[:, :3], [[2, 0, 0], [1, 2, 1]])


def test_a_surveymonkey_checkbox_question_is_one_column_per_option_holding_its_text():
    """SurveyMonkey writes a checkbox question as one column per option: the question above the first, the option
    under each, and the option's text in a respondent's cell when ticked. Before, the option row was taken for
    answers: one respondent too many and every score wrong, without a word."""
    checklist = _instrument(True)
    top, options = ["Respondent ID", "Collector ID", "In welk wijkteam werkt u?"], ["", "", "Response"]
    for block in checklist.themes:
        items = checklist.statements_in(block)
        top += [BLOCK_QUESTION.format(block)] + [""] * (len(items) - 1)
        options += [s.text for s in items]
    ticked = [{"1.1", "1.2", "2.3", "4.1", "5.10"}, {"1.1", "3.4", "5.1"}, {"1.12", "2.1", "2.2", "4.2"}]
    rows = [top, options] + [[str(100 + k), "7", f"W{k}"] + [s.text if s.id in t else "" for s in checklist.statements]
                             for k, t in enumerate(ticked)]
    dataset = ingest_bytes(_csv([[_quoted(c) for c in row] for row in rows]), "surveymonkey.csv")
    assert dataset.layout_kind == "surveymonkey" and dataset.source["header_rows"] == [1, 2]
    assert dataset.statements_found == checklist.statement_ids
    assert dataset.issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, _yes_no(checklist, ticked))
    assert dataset.metadata["In welk wijkteam werkt u?"].tolist() == ["W0", "W1", "W2"]


@pytest.mark.parametrize("header", [["Respondent-ID", "Stelling", "Antwoord"],
                                    ["Respondentnummer", "Stelling nr.", "Antwoord"],
                                    ["Respondent", "Stelling", "Antwoord (niveau)"], ["Naam", "Vraag", "Keuze"],
                                    ["Medewerker", "Stelling", "Antwoord"]])
def test_long_file_column_names_as_people_write_them(header):
    """A long file's columns with a hyphen, a dot, a note in brackets, or a name as the respondent's key: before,
    the first answer row was taken for a header and every other row was an answer not understood."""
    rows = [header] + [[f"R{r}", f"Stelling {n}", ["Startend", "Gevorderd"][(r + n) % 2]]
                       for r in range(3) for n in range(1, 25)]
    dataset = ingest_bytes(_csv(rows), "lang.csv")
    assert dataset.layout_kind == "long" and dataset.n_respondents == 3
    assert dataset.blocking_issues.empty, dataset.issues
    np.testing.assert_array_equal(dataset.codes, [[[2, 4][(r + n) % 2] for n in range(1, 25)] for r in range(3)])


def test_paper_style_ticks_and_dutch_short_forms_are_read():
    """Spellings an outside checker's files used that were reported as not understood: a 'v' or a ticked box for
    Ja, an empty box or 'Nee, nog niet' for Nee, 'n.b.' (niet bekend) for Onbekend."""
    checklist = _instrument(True)
    items = checklist.statements[:7]
    header = ["Wijkteam"] + [f"Item {s.id}" for s in items]
    row = ["Oost", "v", "☒", _quoted("Ja, voldaan"), "☐", _quoted("Nee, nog niet"), _quoted("nee, niet voldaan"),
           "n.b."]
    dataset = ingest_bytes(_csv([header, row, ["West", "V", "x", "ja", "nee", "nee", "nee", "NB"]]), "kader.csv")
    assert dataset.blocking_issues.empty, dataset.issues
    yes, no, unknown = 2, 1, 0
    np.testing.assert_array_equal(dataset.codes[:, :7], [[yes, yes, yes, no, no, no, unknown]] * 2)
    quickscan = _instrument(False)
    header = ["Team"] + [f"Stelling {s.id}" for s in quickscan.statements[:2]]
    dataset = ingest_bytes(_csv([header, ["A", "n.b.", "Gevorderd"]]), "scan.csv")
    assert dataset.blocking_issues.empty, dataset.issues
    assert dataset.codes[0, :2].tolist() == [unknown, 4]
