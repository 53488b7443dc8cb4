"""The verbeterplan's files, written and opened again with the library a user's tool would use.

Word through python-docx, Excel through openpyxl; texts, scores, statuses and dates are checked as a reader
finds them, and text typed to attack a spreadsheet or a page stays plain text.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from analysis.instrument import get_instrument
from analysis.meeting.plan import Action, Focus, Plan, PlanError
from analysis.report.exports.plan_docx import plan_docx
from analysis.report.exports.plan_xlsx import plan_xlsx
from tests.analysis.meeting.test_plan import CHECKLIST, SCALE, checklist_summary, scale_summary

HOSTILE_WHAT = '=HYPERLINK("http://x.example","klik")'
HOSTILE_WHO = "<script>alert(1)</script>"
HEADING = {"organisation": "Gemeente Oost", "round_name": "Voorjaar 2026", "round_date": "2026-04-07"}
TITLE = "Verbeterplan Gemeente Oost – Voorjaar 2026 (7 april 2026)"


def make_plan(instrument_id: str, first, second) -> Plan:
    notes = "Kleine stappen werken.\nVraag het de klant.\n\n@Team: +1 voor <b>x</b>"
    return Plan("ronde-1", instrument_id, notes=notes,
                focuses=(Focus(first, (Action(HOSTILE_WHAT, "teamleider", dt.date(2026, 3, 1), "bezig"),
                                       Action("Training cultuursensitief werken", HOSTILE_WHO,
                                              dt.date(2026, 6, 15), "klaar"),
                                       Action("Werkgroep", "", None, "gestopt"))),
                         Focus(second)),
                version=2, updated_at="2026-11-23T10:15:00+00:00", updated_by="m.jansen")


CASES = {
    SCALE: ((7, 5), scale_summary, ("2,00 · Startend", "geen oordeel"), "Stelling"),
    CHECKLIST: (("1.2", "4.2"), checklist_summary, ("30% voldaan", "geen oordeel"), "Item"),
}


def case(instrument_id):
    ids, make_summary, scores, word = CASES[instrument_id]
    instrument = get_instrument(instrument_id)
    return instrument, make_plan(instrument_id, *ids), make_summary(instrument), ids, scores, word


def read_docx(data: bytes):
    document = Document(io.BytesIO(data))
    return document, [p.text for p in document.paragraphs], [[[c.text for c in row.cells] for row in t.rows]
                                                             for t in document.tables]


# -- Word --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("instrument_id", [SCALE, CHECKLIST])
def test_docx_reads_back_with_every_text(instrument_id):
    instrument, plan, summary, ids, scores, word = case(instrument_id)
    document, paragraphs, tables = read_docx(plan_docx(plan, instrument, summary=summary, **HEADING))
    assert document.paragraphs[0].style.name == "Title" and paragraphs[0] == TITLE
    assert document.core_properties.title == TITLE
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    first, second = (instrument.statement(i) for i in ids)
    assert headings == [f"{word} {ids[0]} · {first.theme}", f"{word} {ids[1]} · {second.theme}", "Leerlessen"]
    assert first.text in paragraphs and second.text in paragraphs
    assert [p for p in paragraphs if p.startswith("Score in deze ronde")] == [
        f"Score in deze ronde: {scores[0]}", f"Score in deze ronde: {scores[1]}"]
    assert tables == [[["Wat", "Wie", "Wanneer", "Status"],
                       [HOSTILE_WHAT, "teamleider", "1 maart 2026", "Bezig"],
                       ["Training cultuursensitief werken", HOSTILE_WHO, "15 juni 2026", "Klaar"],
                       ["Werkgroep", "", "", "Gestopt"]]]
    assert "Nog geen acties afgesproken." in paragraphs  # the second focus
    assert paragraphs[-2:] == ["Kleine stappen werken.\nVraag het de klant.", "@Team: +1 voor <b>x</b>"]
    assert any("Bijgewerkt op 23 november 2026 door m.jansen" in p for p in paragraphs)


def test_docx_keeps_hostile_text_plain():
    instrument, plan, summary, *_ = case(SCALE)
    data = plan_docx(plan, instrument, summary=summary, **HEADING)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script>" not in xml
    assert "&lt;b&gt;x&lt;/b&gt;" in xml
    for active in ("w:fldSimple", "w:instrText", "w:hyperlink", "w:fldChar"):
        assert active not in xml  # no field, formula or link made from a typed text


def test_docx_drops_control_characters_that_xml_cannot_hold():
    instrument = get_instrument(SCALE)
    plan = Plan("r", SCALE, (Focus(7, (Action("Bel\x00 de\x1b[0m klant\u202e", "coach\x07"),)),), notes="Les\x0c één")
    _, paragraphs, tables = read_docx(plan_docx(plan, instrument, **HEADING))
    assert tables[0][1][:2] == ["Bel de[0m klant", "coach"]
    assert paragraphs[-1] == "Les één"


def test_docx_without_summary_or_content():
    instrument = get_instrument(CHECKLIST)
    _, paragraphs, tables = read_docx(plan_docx(Plan("r", CHECKLIST), instrument, **HEADING))
    assert "Nog geen focuspunten gekozen." in paragraphs and paragraphs[-1] == "Nog geen leerlessen genoteerd."
    assert tables == [] and not any(p.startswith("Score") for p in paragraphs)
    assert not any(p.startswith("Bijgewerkt") for p in paragraphs)  # never saved


# -- Excel ---------------------------------------------------------------------------------------------------------

def read_xlsx(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    header_row = next(r for r in sheet.iter_rows(min_row=1, max_row=10) if r[0].value in ("Stelling", "Item"))
    header = [c.value for c in header_row if c.value]
    rows = []
    for cells in sheet.iter_rows(min_row=header_row[0].row + 1):
        if cells[0].value is None:
            break
        rows.append(dict(zip(header, cells)))
    return sheet, header, rows


@pytest.mark.parametrize("instrument_id", [SCALE, CHECKLIST])
def test_xlsx_reads_back_with_every_text(instrument_id):
    instrument, plan, summary, ids, scores, word = case(instrument_id)
    sheet, header, rows = read_xlsx(plan_xlsx(plan, instrument, summary=summary, **HEADING))
    assert sheet.title == "Verbeterplan" and sheet["A1"].value == TITLE
    assert sheet["A2"].value == instrument.title and sheet["A3"].value == "Bijgewerkt op 23 november 2026 door m.jansen"
    levels = ["Niveau"] if instrument.kind.has_levels else []
    group = "Thema" if instrument.kind.has_levels else "Bouwsteen"
    assert header == [word, group, "Tekst", "Score", *levels, "Wat", "Wie", "Wanneer", "Status"]
    values = [{k: c.value for k, c in row.items()} for row in rows]
    assert [v[word] for v in values] == [ids[0]] * 3 + [ids[1]]
    assert [v["Tekst"] for v in values] == [instrument.statement(ids[0]).text] * 3 + [instrument.statement(ids[1]).text]
    assert [v["Wat"] for v in values] == ["'" + HOSTILE_WHAT, "Training cultuursensitief werken", "Werkgroep", None]
    assert [v["Wie"] for v in values] == ["teamleider", HOSTILE_WHO, None, None]
    assert [v["Wanneer"] for v in values] == [dt.datetime(2026, 3, 1), dt.datetime(2026, 6, 15), None, None]
    assert [v["Status"] for v in values] == ["Bezig", "Klaar", "Gestopt", None]
    assert rows[0]["Wanneer"].number_format == "dd-mm-yyyy"
    score = rows[0]["Score"]
    assert score.number_format == instrument.kind.number_format
    assert score.value == pytest.approx(2.0 if instrument.kind.has_levels else 0.3)
    assert values[3]["Score"] == "geen oordeel"
    if levels:
        assert [v["Niveau"] for v in values] == ["Startend"] * 3 + [None]


def test_xlsx_notes_below_the_table():
    instrument, plan, summary, *_ = case(SCALE)
    sheet, _, rows = read_xlsx(plan_xlsx(plan, instrument, summary=summary, **HEADING))
    below = rows[-1]["Stelling"].row + 2
    assert sheet.cell(below, 1).value == "Leerlessen"
    assert sheet.cell(below + 1, 1).value == "Kleine stappen werken.\nVraag het de klant.\n\n@Team: +1 voor <b>x</b>"
    assert sheet.cell(below + 1, 1).alignment.wrap_text


def test_xlsx_has_no_formula_and_no_link():
    instrument, plan, summary, *_ = case(SCALE)
    data = plan_xlsx(plan, instrument, summary=summary, **HEADING)
    book = zipfile.ZipFile(io.BytesIO(data))
    sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml and "hyperlink" not in sheet_xml
    assert not any(name.startswith("xl/worksheets/_rels") for name in book.namelist())
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)


def test_xlsx_hostile_notes_start_stay_text():
    instrument = get_instrument(SCALE)
    plan = Plan("r", SCALE, notes='=cmd|" /C calc"!A0')
    sheet = load_workbook(io.BytesIO(plan_xlsx(plan, instrument, **HEADING))).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "'=cmd|\" /C calc\"!A0" in values and "Nog geen focuspunten gekozen." in values


def test_xlsx_without_summary_has_no_score_columns():
    instrument, plan, _, ids, *_ = case(CHECKLIST)
    _, header, rows = read_xlsx(plan_xlsx(plan, instrument, **HEADING))
    assert header == ["Item", "Bouwsteen", "Tekst", "Wat", "Wie", "Wanneer", "Status"]
    assert rows[0]["Item"].value == "1.2" and rows[0]["Item"].data_type == "s"


def test_exports_refuse_a_plan_that_breaks_the_rules():
    instrument = get_instrument(SCALE)
    broken = Plan("r", SCALE, (Focus(99),))
    for export in (plan_docx, plan_xlsx):
        with pytest.raises(PlanError, match="stelling '99' bestaat niet"):
            export(broken, instrument, **HEADING)


def test_docx_converts_to_pdf_when_libreoffice_is_here(tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("no LibreOffice: the Word file is checked by reading it back only")
    instrument, plan, summary, *_ = case(SCALE)
    path = tmp_path / "plan.docx"
    path.write_bytes(plan_docx(plan, instrument, summary=summary, **HEADING))
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, timeout=120, capture_output=True)
    assert (tmp_path / "plan.pdf").stat().st_size > 1000
