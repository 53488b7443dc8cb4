"""The Aan de slag slides: a checklist's reading once per block, a scale statement's reading under itself, shared
tips once, and slides split before they run off a projector.

Expected reading is worked out here from the instrument's own data (each weak item's section or block list, as
``Instrument.step_material`` gives it) with the page's rule written out plainly; the sample's blocks and item ids
were read off the data by hand.
"""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation

from analysis.ingest.dataset import ingest_file
from analysis.report.exports.to_html import report_html
from analysis.report.exports.to_pptx import report_pptx
from analysis.report.model import (
    MAX_READING,
    ROW_CHARS,
    SLIDE_ROWS,
    STEPS_PER_SLIDE,
    Point,
    _pack,
    build_report,
)
from analysis.scoring.summary import summarize
from tests.conftest import ROOT, SAMPLES

KADER = SAMPLES / "diversiteitskader_najaar_2025.xlsx"
QUICKSCAN = SAMPLES / "quickscan_voorbeeld.xlsx"
WIJKTEAM = "In welk wijkteam werkt u?"


@pytest.fixture(scope="module")
def kader():
    return summarize(ingest_file(KADER), WIJKTEAM)


@pytest.fixture(scope="module")
def kader_report(kader):
    return build_report(kader, "najaar.xlsx", "06-10-2025")


def lines_of(slides) -> list[str]:
    return [line for slide in slides for point in slide.points for line in point.lines()]


def title_line(reading) -> str:
    return reading.title + (f" ({reading.publisher})" if reading.publisher else "")


def block_reading(summary) -> dict[str, list]:
    """Per block (in the instrument's order) the titles its weak items draw on, each title once and under the first
    block that has it: the page Aan de slag's rule."""
    instrument = summary.instrument
    placed, blocks = set(), {}
    for block in instrument.themes:
        for item_id in (i for i in summary.weak if instrument.statement(i).theme == block):
            for reading in instrument.step_material(instrument.statement(item_id)).reading:
                if reading.title not in placed:
                    placed.add(reading.title)
                    blocks.setdefault(block, []).append(reading)
    return blocks


def test_the_sample_has_weak_items_sharing_their_blocks_reading(kader):
    # Hand check of the data the next tests stand on: three weak items of Informele netwerken share one list.
    assert kader.weak == ["3.1", "5.3", "1.9", "5.4", "3.4", "1.2", "2.1", "3.5", "5.7", "1.3"]
    lists = {i: kader.instrument.step_material(kader.instrument.statement(i)).reading for i in ("3.1", "3.4", "3.5")}
    assert lists["3.1"] and lists["3.1"] == lists["3.4"] == lists["3.5"]


def test_checklist_next_steps_carry_no_reading_of_their_own(kader_report):
    steps = [s for s in kader_report.presented if s.key.startswith("aan-de-slag")]
    assert [p.text.split(" · ")[0] for s in steps for p in s.points] == [
        "Item 3.1", "Item 5.3", "Item 1.9", "Item 5.4", "Item 3.4", "Item 1.2", "Item 2.1", "Item 3.5", "Item 5.7",
        "Item 1.3"]
    assert not [line for line in lines_of(steps) if "Meer lezen" in line]


def test_checklist_reading_stands_once_per_block(kader, kader_report):
    expected = block_reading(kader)
    assert list(expected) == ["Werkwijze", "Informele netwerken", "Proces"]
    slides = [s for s in kader_report.presented if s.key.startswith("meer-lezen")]
    assert [s.title for s in slides] == ["Meer lezen"]
    points = slides[0].points
    assert [p.text for p in points] == ["Werkwijze · bij item 1.2 en 1.3",
                                        "Informele netwerken · bij item 3.1, 3.4 en 3.5",
                                        "Proces · bij item 5.3 en 5.4"]
    for point, (block, titles) in zip(points, expected.items()):
        more = len(titles) - MAX_READING
        assert list(point.details) == [title_line(r) for r in titles[:MAX_READING]] + (
            [f"En nog {more} {'titel' if more == 1 else 'titels'} op de pagina Aan de slag"] if more > 0 else []), block
    # Every title shown stands exactly once in what the room sees (the block's list stood under each of its items).
    deck = lines_of(kader_report.presented)
    for titles in expected.values():
        for reading in titles[:MAX_READING]:
            assert deck.count(title_line(reading)) == 1, reading.title
            assert sum(reading.title in line for line in deck) == 1, reading.title


def test_items_pointing_to_one_section_show_its_tips_once(kader_report):
    steps = [s for s in kader_report.presented if s.key.startswith("aan-de-slag")]
    points = {p.text.split(" · ")[0]: p for s in steps for p in s.points}
    tips = [d for d in points["Item 5.3"].details if d.startswith("Tip: ")]
    assert len(tips) == 2
    # 5.4's own section has no tips: it draws on Voorbereiding's, already under 5.3 (lower, so earlier).
    assert not [d for d in points["Item 5.4"].details if d.startswith("Tip: ")]
    assert "Tips: als bij item 5.3" in points["Item 5.4"].details
    # 1.2 and 1.3 point to Outreachend werken: its example once, under 1.2.
    assert "Voorbeeld: Outreachend werken jeugdteam Zaanstad" in points["Item 1.2"].details
    assert list(points["Item 1.3"].details) == ["Volgende stap: Outreachend werken", "Voorbeeld: als bij item 1.2"]
    deck = lines_of(kader_report.presented)
    assert all(deck.count(tip) == 1 for tip in tips)


def test_scale_statements_keep_their_own_reading():
    summary = summarize(ingest_file(QUICKSCAN), threshold=4.5)
    instrument = summary.instrument
    report = build_report(summary, "voorbeeld.xlsx")
    assert not [s for s in report.slides if s.key.startswith("meer-lezen")]
    points = [p for s in report.presented if s.key.startswith("aan-de-slag") for p in s.points]
    assert [int(p.text.split()[1]) for p in points] == summary.weak
    with_reading = 0
    for point in points:
        statement = instrument.statement(int(point.text.split()[1]))
        reading = [d for d in point.details if d.startswith("Meer lezen: ")]
        assert reading == [f"Meer lezen: {title_line(r)}" for r in statement.reading[:MAX_READING]], statement.id
        with_reading += bool(reading)
    # Statements 1, 3-9, 12, 13 have reading; a title two statements name stays under both.
    assert with_reading >= 5
    via = [p for p in points if any("VIA-pilot" in d for d in p.details)]
    assert len(via) >= 2


def test_both_kinds_ask_the_kind_not_the_instrument():
    source = (ROOT / "analysis" / "report" / "model.py").read_text(encoding="utf-8")
    assert not re.search(r"instrument\.id\s*==|quickscan-dsb|diversiteitskader", source)


def rows(n: int) -> Point:
    """A point of exactly N rows: a line of ROW_CHARS characters is one row."""
    return Point("x" * ROW_CHARS, ("y" * ROW_CHARS,) * (n - 1))


def test_a_slide_is_split_before_its_rows_run_off_the_projector():
    half = SLIDE_ROWS // 2
    # Two halves fill a slide; a third point starts the next.
    assert [len(c) for c in _pack([rows(half), rows(half), rows(1)], STEPS_PER_SLIDE)] == [2, 1]
    # Short points: at most STEPS_PER_SLIDE on a slide.
    assert [len(c) for c in _pack([rows(2)] * 7, STEPS_PER_SLIDE)] == [3, 3, 1]
    # A point longer than a slide stands alone; order is kept; no points is one (empty) slide.
    long, short = rows(SLIDE_ROWS + 3), rows(2)
    assert _pack([short, long, short], STEPS_PER_SLIDE) == [[short], [long], [short]]
    assert _pack([], STEPS_PER_SLIDE) == [[]]
    # A line of ROW_CHARS characters is one row, one character more is two: the second no longer fits.
    assert [len(c) for c in _pack([rows(SLIDE_ROWS - 1), Point("z" * ROW_CHARS)], 3)] == [2]
    assert [len(c) for c in _pack([rows(SLIDE_ROWS - 1), Point("z" * (ROW_CHARS + 1))], 3)] == [1, 1]


def test_the_exports_follow_the_slides(kader, kader_report):
    expected = block_reading(kader)
    first = title_line(expected["Informele netwerken"][0])
    deck = Presentation(io.BytesIO(report_pptx(kader_report)))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert sum(text.count(first) for text in texts) == 1
    assert any(text.startswith("Meer lezen") for text in texts)
    html = report_html(kader_report)
    assert html.count(first.replace("&", "&amp;")) == 1
    assert "Meer lezen: " not in html
