"""The round's verbeterplan in the report: an Afspraken slide in the deck and hand-outs, a sheet in the workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from pptx import Presentation

from analysis.ingest.dataset import ingest_file
from analysis.meeting.plan import Action, Focus, Plan
from analysis.report.exports.to_html import report_html
from analysis.report.exports.to_pptx import report_pptx
from analysis.report.exports.to_xlsx import report_xlsx
from analysis.report.model import build_report
from analysis.scoring.summary import summarize
from tests.conftest import SAMPLES

HOSTILE = "=HYPERLINK(\"http://x\")<script>alert(1)</script>"


@pytest.fixture(scope="module")
def report():
    summary = summarize(ingest_file(SAMPLES / "ronde_2025_voorjaar.xlsx"))
    plan = Plan("r" * 32, summary.instrument.id, focuses=(
        Focus(7, (Action("Intervisie tolkgebruik", "teamleider", dt.date(2026, 3, 1), "bezig"),
                  Action(HOSTILE, "", None, "gepland"))),
        Focus(12)), notes="Tolk eerder inzetten", version=2, updated_at="2026-01-05T10:00:00+00:00",
        updated_by="ana")
    return build_report(summary, "Voorjaar 2025", plan=plan, plan_title="Verbeterplan Gemeente X – Voorjaar 2025")


def test_the_slide_lists_each_focus_with_its_score_and_actions(report):
    slide = next(s for s in report.slides if s.key == "afspraken")
    score = report.instrument.score_text(report.summary.statements.set_index("id").loc[7, "score"])
    first = slide.points[0]
    assert first.text.startswith("Stelling 7: ") and first.text.endswith(f"(score {score})")
    assert first.details[0] == "Intervisie tolkgebruik · teamleider · 1 maart 2026 · Bezig"
    assert slide.points[1].details == ("nog geen actie afgesproken",)
    assert slide.points[2].lines() == ["Leerlessen", "Tolk eerder inzetten"]
    assert slide.subtitle == "Bijgewerkt op 5 januari 2026 door ana"
    assert slide in report.presented


def test_no_plan_no_slide():
    summary = summarize(ingest_file(SAMPLES / "ronde_2025_voorjaar.xlsx"))
    assert not any(s.key == "afspraken" for s in build_report(summary, "x").slides)
    empty = Plan("r" * 32, summary.instrument.id)
    assert not any(s.key == "afspraken" for s in build_report(summary, "x", plan=empty).slides)


def test_workbook_deck_and_html_carry_the_agreements_as_plain_text(report):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = book["Afspraken"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Intervisie tolkgebruik" in cells and any("Verbeterplan Gemeente X" in c for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)  # never a formula
    deck = Presentation(io.BytesIO(report_pptx(report)))
    texts = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides]
    agreed = next(t for t in texts if "Afspraken" in t)
    assert "Intervisie tolkgebruik · teamleider" in agreed
    html = report_html(report)
    assert "Intervisie tolkgebruik" in html and "<script>alert(1)" not in html


def test_the_return_day_slide_follows_the_earlier_rounds_plan():
    spring = summarize(ingest_file(SAMPLES / "ronde_2025_voorjaar.xlsx"))
    autumn = summarize(ingest_file(SAMPLES / "ronde_2025_najaar.xlsx"))
    plan = Plan("r" * 32, spring.instrument.id, focuses=(Focus(7, (Action("Intervisie", "teamleider", None,
                                                                          "klaar"),)),))
    report = build_report(autumn, "Najaar 2025", previous=("Voorjaar 2025", spring), previous_plan=plan)
    keys = [s.key for s in report.slides]
    assert keys.index("terugkomdag") == keys.index("voortgang") + 1
    slide = report.slides[keys.index("terugkomdag")]
    before = spring.statements.set_index("id").loc[7, "score"]
    after = autumn.statements.set_index("id").loc[7, "score"]
    expected = f"Stelling 7: {before:.2f} → {after:.2f} ({after - before:+.2f};".replace(".", ",")
    assert slide.points[0].text.startswith(expected), slide.points[0].text
    assert slide.points[0].details == ("Intervisie · teamleider · Klaar",)
    assert "terugkomdag" not in [s.key for s in build_report(autumn, "x", previous=("V", spring)).slides]
