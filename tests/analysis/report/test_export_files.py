"""Every export is written to a real file and opened again with the library a user's tool would use."""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import zipfile
from html import unescape

import numpy as np
import pandas as pd
import pytest
from make_fixtures import CANONICAL
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pypdf import PdfReader

from analysis.ingest.dataset import ingest_bytes
from analysis.report.charts import theme_radar
from analysis.report.exports.to_html import report_html
from analysis.report.exports.to_pdf import find_chromium, report_pdf
from analysis.report.exports.to_png import ChartImages
from analysis.report.exports.to_pptx import report_pptx
from analysis.report.exports.to_xlsx import report_xlsx
from analysis.report.model import build_report
from analysis.scoring.scores import summarize_codes
from analysis.scoring.summary import summarize
from tests.conftest import reference_summary

# Team names an attacker could type into a survey: each would be a formula in a careless export.
TEAMS = ['=HYPERLINK("http://x.example","klik")'] * 6 + ["+31 Team"] * 5 + ["@Zuid"]


def export_bytes() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Team"] + [f"Stelling {i}" for i in range(1, 25)])
    for team, row in zip(TEAMS, CANONICAL):
        writer.writerow([team] + ["" if c == -1 else ("Onbekend" if c == 0 else str(c)) for c in row])
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def report():
    dataset = ingest_bytes(export_bytes(), "teams.csv")
    return build_report(summarize(dataset, "Team", min_group_size=5), "teams.csv", "01-02-2025")


@pytest.fixture(scope="module")
def chromium():
    path = find_chromium()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (REQUIRE_BROWSER) for the PDF and PNG exports")
        pytest.skip("no Chromium: PDF and PNG exports cannot be made here")
    return path


def test_html_is_one_offline_file_with_all_statements(report, instrument, tmp_path):
    path = tmp_path / "rapport.html"
    path.write_text(report_html(report), encoding="utf-8")
    html = path.read_text(encoding="utf-8")
    shown = unescape(html)  # the text as the browser shows it
    for statement in instrument.statements:
        assert statement.text in shown
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*['\"]https?:", html, re.I)
    assert html.count("Plotly.newPlot") == 1 and html.count("plotly.js v") >= 1
    charts = sum(len(s.charts) for s in report.slides)
    assert len(re.findall(r"<div class='chart' id='chart-", html)) == charts
    # Team names from the upload never close the script tag that carries the figures.
    assert "</script>" not in html.split("const FIGURES = ", 1)[1].split(";\nconst CONFIG", 1)[0]


def test_pptx_reloads_with_slides_and_native_charts(report, tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(report_pptx(report))
    deck = Presentation(str(path))
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    assert len(deck.slides) == len(report.presented)
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides]
    assert titles == [s.title for s in report.presented]
    charts = {i: [sh.chart for sh in s.shapes if sh.has_chart] for i, s in enumerate(deck.slides)}
    overview = [s.key for s in report.presented].index("overzicht")
    assert [c.chart_type for c in charts[overview]] == [XL_CHART_TYPE.RADAR_MARKERS] * 2
    statement_radar = charts[overview][1]
    expected = [s["score"] for s in reference_summary(CANONICAL)["statements"]]
    values = list(statement_radar.plots[0].series[0].values)
    assert values == [None if e is None else pytest.approx(e, abs=0.005) for e in expected]
    theme = [s.key for s in report.presented].index("thema-competenties")
    assert charts[theme][0].chart_type == XL_CHART_TYPE.BAR_STACKED_100
    radar = charts[[s.key for s in report.presented].index("teams")][0]
    assert (radar.value_axis.minimum_scale, radar.value_axis.maximum_scale) == (1, 5)  # levels, 0 is no score
    teams = deck.slides[[s.key for s in report.presented].index("teams-stellingen")]
    table = next(sh.table for sh in teams.shapes if sh.has_table)
    rows = {table.cell(r, 0).text: table.cell(r, 2) for r in range(1, len(table.rows))}
    # The reason once, in one cell merged across the four theme columns.
    assert rows["@Zuid"].is_merge_origin and rows["@Zuid"].span_width == 4
    assert rows["@Zuid"].text == "te weinig respondenten (n<5)"
    # Hidden as the smallest other group, so @Zuid cannot be worked out from the total.
    assert rows["+31 Team"].text == "verborgen om een kleine groep te beschermen"
    xml = "".join(sh._element.xml for s in deck.slides for sh in s.shapes if sh.has_table)
    assert xml.count("te weinig respondenten") == 1
    assert_no_word_breaks(table)
    distribution_title = charts[theme][0].chart_title.text_frame.text
    assert "aantal" not in distribution_title and "aandeel" in distribution_title


def assert_no_word_breaks(table) -> None:
    """Every word of every cell fits its column (or its merged columns) at the cell's font size."""
    from analysis.report.exports.to_pptx import CELL_PADDING, _text_width

    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.is_spanned or not cell.text:
                continue
            width = sum(table.columns[c + i].width for i in range(cell.span_width))
            size = cell.text_frame.paragraphs[0].font.size.pt
            for word in cell.text.split():
                assert _text_width(word, int(size)) + CELL_PADDING <= width, (r, c, word, size)


def test_xlsx_holds_the_numbers_and_no_formulas(report, tmp_path):
    path = tmp_path / "cijfers.xlsx"
    path.write_bytes(report_xlsx(report))
    book = load_workbook(path)
    assert book.sheetnames == ["Info", "Stellingen", "Thema's", "Groepen", "Groepen per stelling", "Verdeling"]
    statements = list(book["Stellingen"].iter_rows(min_row=2, values_only=True))
    expected = reference_summary(CANONICAL)["statements"]
    for row, want in zip(statements, expected):
        assert row[0] == want["id"]
        assert (row[3] is None) if want["score"] is None else row[3] == pytest.approx(want["score"])
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    groups = {r[0]: r for r in book["Groepen"].iter_rows(min_row=2, values_only=True)}
    assert set(groups) == {"'=HYPERLINK(\"http://x.example\",\"klik\")", "'+31 Team", "'@Zuid"}
    zuid = groups["'@Zuid"]
    assert zuid[2] == "te weinig respondenten (n<5)" and zuid[1] == "<5" and zuid[3:] == (None,) * 4
    # The raw XML has no <f> element at all: no cell can become a formula, whatever the reader.
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_pdf_has_the_pages_themes_and_weak_statements(report, chromium, tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(report_pdf(report))
    reader = PdfReader(path)
    # Compact: no title-only first page, no radar alone on a page (it was 16 pages of mostly white); each radar has
    # the page's width (at half of it the item numbers overlapped), so the item radar starts the second page.
    assert len(reader.pages) <= len(report.slides) // 2 + 1
    first, second = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert report.title in first and "Waar staan we?" in first and "Niveau per thema" in first
    assert "Niveau per stelling" in second and "Sterkste en zwakste stellingen" in second
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]  # A4 portrait in points
        assert not page.images  # every chart and table is vector or text, so it prints sharp
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert report.title in reader.pages[0].extract_text()
    for theme in report.instrument.themes:
        assert theme in text
    for statement_id in report.summary.weak:
        assert f"Stelling {statement_id} ·" in text
    assert "te weinig respondenten" in text


def test_png_comes_from_one_warm_renderer(report, chromium):
    renderer = ChartImages(chromium)
    try:
        figure = theme_radar({"Organisatie": report.summary.themes}, report.instrument, "Thema's")
        first, second = renderer.png(figure, width=800, height=500), renderer.png(figure, width=600, height=400)
    finally:
        renderer.close()
    for data, width, height in ((first, 800, 500), (second, 600, 400)):
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (width * 2, height * 2)  # scale 2 for sharp hand-outs


def test_png_without_chromium_says_why():
    renderer = ChartImages.__new__(ChartImages)
    renderer.chromium = None
    assert "Chromium" in renderer.unavailable_reason


EDGE_CASES = {
    "nobody could judge": (np.zeros((6, 24)), ["A"] * 6),
    "nothing filled in": (-np.ones((4, 24)), ["A"] * 4),
    "one respondent": (np.full((1, 24), 3), ["A"]),
    "every group too small": (np.full((4, 24), 2), ["A", "B", "C", "D"]),
    "a theme without scores": (np.where(np.arange(24) < 9, 0, 4)[None, :].repeat(7, 0), ["A"] * 7),
}


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_exports_survive_edge_cases(instrument, case, tmp_path):
    codes, teams = EDGE_CASES[case]
    summary = summarize_codes(codes.astype(np.int8), instrument, pd.Series(teams), "Team")
    report = build_report(summary, "rand.csv")
    (tmp_path / "r.pptx").write_bytes(report_pptx(report))
    assert len(Presentation(str(tmp_path / "r.pptx")).slides) == len(report.presented)
    (tmp_path / "r.xlsx").write_bytes(report_xlsx(report))
    assert load_workbook(tmp_path / "r.xlsx")["Stellingen"].max_row == 25
    html = unescape(report_html(report, for_print=True))
    assert "geen oordeel" in html or summary.statements["score"].notna().all()
    if all(g.suppressed for g in summary.groups):
        assert "te weinig respondenten" in html


def _formula_parts(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [n for n in archive.namelist() if n.startswith("xl/worksheets/")
                and re.search(rb"<f[ >]", archive.read(n))]


def test_pptx_chart_workbooks_hold_team_names_as_text(report, tmp_path):
    """The workbooks behind PowerPoint's native charts: a team named =HYPERLINK(...) stays text."""
    path = tmp_path / "deck.pptx"
    path.write_bytes(report_pptx(report))
    with zipfile.ZipFile(path) as deck:
        embedded = [deck.read(n) for n in deck.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
    assert embedded, "the native charts carry their data"
    assert [part for book in embedded for part in _formula_parts(book)] == []
    names = set()
    for book in embedded:
        sheet = load_workbook(io.BytesIO(book)).active
        names |= {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert TEAMS[0] in names  # the shown team's series is there, as plain text


def test_a_lowered_minimum_is_said_in_every_export(tmp_path):
    """Issue 15: below the deployment's minimum, the hand-outs say so (HTML, PowerPoint, Excel)."""
    dataset = ingest_bytes(export_bytes(), "teams.csv")
    report = build_report(summarize(dataset, "Team", min_group_size=3), "teams.csv", "01-02-2025")
    said = "verlaagd naar 3"
    assert said in unescape(report_html(report))
    deck = Presentation(io.BytesIO(report_pptx(report)))
    assert any(said in sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert any(said in str(c.value) for row in book["Info"].iter_rows() for c in row)
    plain = build_report(summarize(dataset, "Team", min_group_size=5), "teams.csv", "01-02-2025")
    assert "verlaagd" not in unescape(report_html(plain))


def test_payloads_in_every_text_field_never_become_formulas():
    """Team names, the group column's header, the file name and the filter text all come from outside."""
    payload = "=cmd|' /C calc'!A0"
    rows = export_bytes().decode().splitlines()
    rows[0] = rows[0].replace("Team", payload, 1)
    dataset = ingest_bytes("\n".join(rows).encode(), f"{payload}.csv")
    summary = summarize(dataset, payload)
    report = build_report(summary, f"{payload}.csv", "01-02-2025", filters=f"{payload}: {TEAMS[0]}")
    books = {"xlsx": report_xlsx(report)}
    with zipfile.ZipFile(io.BytesIO(report_pptx(report))) as deck:
        books |= {n: deck.read(n) for n in deck.namelist() if n.endswith(".xlsx")}
    assert len(books) > 1
    assert {name: _formula_parts(book) for name, book in books.items()} == {name: [] for name in books}
    info = load_workbook(io.BytesIO(books["xlsx"]))["Info"]
    texts = [c.value for row in info.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(payload in t for t in texts) and not any(t.startswith("=") for t in texts)


# -- a checklist report (the Diversiteitskader), from a csv with known Ja/Nee per item -------------------------

def checklist_export_bytes() -> bytes:
    from tests.analysis.report.test_report import CHECKLIST_TEAMS, checklist_instrument, checklist_matrix

    words = {2: "Ja", 1: "Nee", 0: "Onbekend", -1: ""}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Team"] + [f"Item {i}" for i in checklist_instrument().statement_ids])
    for team, row in zip(CHECKLIST_TEAMS, checklist_matrix()):
        writer.writerow([team] + [words[c] for c in row])
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def checklist_report():
    dataset = ingest_bytes(checklist_export_bytes(), "wijkteams.csv")
    assert dataset.instrument.id == "diversiteitskader-wijkteams"
    return build_report(summarize(dataset, "Team", min_group_size=5), "wijkteams.csv", "01-10-2025")


@pytest.fixture(scope="module")
def checklist_expected():
    from tests.analysis.report.test_report import checklist_matrix, checklist_reference

    return checklist_reference(checklist_matrix())


def test_checklist_html_is_offline_with_every_item_and_the_total(checklist_report, tmp_path):
    path = tmp_path / "rapport.html"
    path.write_text(report_html(checklist_report), encoding="utf-8")
    html = path.read_text(encoding="utf-8")
    shown = unescape(html)
    for item in checklist_report.instrument.statements:
        assert item.text in shown
    assert "Totaal: 66% voldaan (gemiddelde van de bouwstenen)" in shown and "Proces: fase Verandering" in shown
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert html.count("Plotly.newPlot") == 1
    charts = sum(len(s.charts) for s in checklist_report.slides)
    assert len(re.findall(r"<div class='chart' id='chart-", html)) == charts


def test_checklist_pptx_has_native_charts_on_the_percent_scale(checklist_report, checklist_expected, tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(report_pptx(checklist_report))
    deck = Presentation(str(path))
    keys = [s.key for s in checklist_report.presented]
    assert len(deck.slides) == len(keys)
    charts = {i: [sh.chart for sh in s.shapes if sh.has_chart] for i, s in enumerate(deck.slides)}
    blocks, items = charts[keys.index("overzicht")]
    assert blocks.chart_type == items.chart_type == XL_CHART_TYPE.RADAR_MARKERS
    assert list(blocks.plots[0].categories) == list(checklist_report.instrument.themes)
    assert list(blocks.plots[0].series[0].values) == [
        pytest.approx(v, abs=0.005) for v in checklist_expected["blocks"].values()]
    assert list(items.plots[0].series[0].values) == [
        pytest.approx(v, abs=0.005) for v in checklist_expected["items"].values()]
    for radar in (blocks, items):
        axis = radar.value_axis
        assert (axis.minimum_scale, axis.maximum_scale, axis.major_unit) == (0, 1, 0.25)  # 0-100% met
        assert axis.tick_labels.number_format == "0%"
    [bars] = charts[keys.index("thema-werkwijze")]
    assert bars.chart_type == XL_CHART_TYPE.BAR_STACKED_100
    assert [s.name for s in bars.plots[0].series] == ["Nee", "Ja", "Onbekend"]
    assert list(bars.plots[0].categories) == [f"Item 1.{n}" for n in range(1, 13)]
    ja = list(bars.plots[0].series[1].values)
    assert ja[:2] == [12, 6] and ja[2:] == [9] * 10  # 1.1 all, 1.2 half, the rest 9 of 12
    table = next(sh.table for sh in deck.slides[keys.index("teams-stellingen")].shapes if sh.has_table)
    rows = {table.cell(r, 0).text: [table.cell(r, c).text for c in range(2, len(table.columns))]
            for r in range(1, len(table.rows))}
    assert rows["Hele organisatie"] == ["75%", "75%", "60%", "54%", "65%"]
    assert rows["Team C"][0] == "te weinig respondenten (n<5)"
    assert rows["Team A"][0] == "verborgen om een kleine groep te beschermen"
    assert all(cell.endswith("%") for cell in rows["Team B"])
    assert_no_word_breaks(table)


def test_checklist_xlsx_speaks_items_and_blocks_with_numbers(checklist_report, checklist_expected, tmp_path):
    path = tmp_path / "cijfers.xlsx"
    path.write_bytes(report_xlsx(checklist_report))
    book = load_workbook(path)
    assert book.sheetnames == ["Info", "Items", "Bouwstenen", "Groepen", "Groepen per item", "Verdeling"]
    sheet = book["Items"]
    header = [c.value for c in sheet[1]]
    assert header == ["Item", "Bouwsteen", "Tekst", "Score", "Ja", "Nee", "Onbekend", "Niet ingevuld", "Zwak"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == checklist_report.instrument.statement_ids  # "1.10" stays text, never 1.1
    for item_id, share in checklist_expected["items"].items():
        assert rows[item_id][3] == pytest.approx(share)
    assert rows["4.2"][4:8] == (3, 6, 3, 0) and rows["5.1"][4:8] == (4, 4, 0, 4)
    assert rows["3.1"][8] == "ja" and rows["1.1"][8] == "nee"
    assert sheet["D2"].number_format == "0%"
    blocks = {r[0]: r[1] for r in book["Bouwstenen"].iter_rows(min_row=2, values_only=True)}
    assert blocks == pytest.approx(checklist_expected["blocks"])
    groups = {r[0]: r for r in book["Groepen"].iter_rows(min_row=2, values_only=True)}
    assert groups["Team C"][3:] == (None,) * 5 and groups["Team A"][3:] == (None,) * 5
    per_item = list(book["Groepen per item"].iter_rows(values_only=True))
    assert per_item[0][2] == "item"
    assert all(r[3] is None for r in per_item[1:] if r[0] in ("Team A", "Team C"))
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_checklist_pdf_is_a4_with_blocks_and_weak_items(checklist_report, chromium, tmp_path):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(report_pdf(checklist_report))
    reader = PdfReader(path)
    assert len(reader.pages) <= len(checklist_report.slides) // 2 + 1
    first, second = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert checklist_report.title in first and "Voldaan per bouwsteen" in first and "Voldaan per item" in second
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]
        assert not page.images
    text = "\n".join(page.extract_text() for page in reader.pages)
    for block in checklist_report.instrument.themes:
        assert f"Bouwsteen: {block}" in text
    for item_id in checklist_report.summary.weak:
        assert f"Item {item_id} ·" in text
    assert "te weinig respondenten" in text and "66% voldaan" in text
