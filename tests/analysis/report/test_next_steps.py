"""The Aan de slag action list: weak items lowest first, and their material once (issue: the checklist's page
repeated one block's reading list for every weak item, 7,500 px tall)."""

from __future__ import annotations

from html import escape

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.report.next_steps import action_list, items_text, next_steps_html
from analysis.scoring.summary import summarize
from tests.conftest import SAMPLES

CHECKLIST = SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv"


@pytest.fixture(scope="module")
def checklist():
    return summarize(ingest_file(CHECKLIST))


@pytest.fixture(scope="module")
def scale():
    return summarize(ingest_file(SAMPLES / "quickscan_voorbeeld.xlsx"))


def test_items_are_the_weak_ones_lowest_first(checklist):
    actions = action_list(checklist)
    assert actions.weak and [item["id"] for item in actions.items] == list(checklist.weak)
    assert actions.intro == f"{len(checklist.weak)} items scoren onder de drempel van 50%, laagste eerst."


def test_every_reading_title_once_with_all_the_weak_items_it_serves(checklist):
    instrument = checklist.instrument
    expected: dict[str, set] = {}
    for item_id in checklist.weak:
        for reading in instrument.step_material(instrument.statement(item_id)).reading:
            expected.setdefault(reading.title, set()).add(item_id)
    listed = [(reading.title, ids) for group in action_list(checklist).reading for reading, ids in group.entries]
    assert sorted(title for title, _ in listed) == sorted(expected)  # each once
    assert {title: set(ids) for title, ids in listed} == expected
    # A title shared by two blocks ("Met één hand kun je niet klappen": Werkwijze and Informele netwerken) stays
    # under the first block in the instrument's order, naming the items of both.
    groups = {reading.title: group.theme for group in action_list(checklist).reading for reading, _ in group.entries}
    assert groups["Met één hand kun je niet klappen"] == "Werkwijze"
    ids = dict(listed)["Met één hand kun je niet klappen"]
    assert ids == ("1.1", "1.2", "1.3", "3.1", "3.4", "3.5")  # instrument order, as a reader looks them up


def test_tips_shared_by_several_items_are_listed_once(checklist):
    instrument = checklist.instrument
    voorbereiding = instrument.section("voorbereiding")
    # 5.4 and 5.5 have no tips of their own: they fall back on Voorbereiding's, as 5.2 and 5.3 point to it.
    sharing = [i for i in checklist.weak
               if instrument.step_material(instrument.statement(i)).tips == voorbereiding.tips]
    assert len(sharing) >= 2
    material = action_list(checklist).material
    with_tips = [m for m in material if m.tips == voorbereiding.tips]
    assert len(with_tips) == 1 and with_tips[0].title == "Voorbereiding"
    assert set(sharing) <= set(with_tips[0].item_ids)
    assert len({m.title for m in material}) == len(material)


def test_a_single_weak_item_is_said_in_the_singular(checklist):
    scores = checklist.statements["score"].dropna().sort_values()
    lowest, second = scores.iloc[0], scores.iloc[1]
    assert lowest < second
    one = summarize(ingest_file(CHECKLIST), threshold=(lowest + second) / 2)
    assert action_list(one).intro.startswith("1 item scoort onder de drempel van ")


def test_nothing_weak_offers_the_lowest_as_focus_points():
    calm = summarize(ingest_file(SAMPLES / "quickscan_voorbeeld.xlsx"), threshold=1.5)
    actions = action_list(calm)
    assert not actions.weak and len(actions.items) == 3
    assert actions.intro == "Geen stelling scoort onder de drempel van 1,5. Hieronder de laagste stellingen als " \
                            "aandachtspunten."


def test_items_text_reads_as_dutch(scale):
    kind = scale.instrument.kind
    assert items_text(kind, [13]) == "bij stelling 13"
    assert items_text(kind, [3, 7, 11]) == "bij stelling 3, 7 en 11"


def test_the_handout_lists_each_title_once_and_escapes(checklist, scale):
    html = next_steps_html(checklist)
    titles = {reading.title for group in action_list(checklist).reading for reading, _ in group.entries}
    # The title, then its publisher or the items it goes with ("Schilderswijk Moeders" is also the start of another).
    assert all(html.count(f"<li>{escape(t)} —") + html.count(f"<li>{escape(t)} <span") == 1 for t in titles)
    assert "<script" not in html
    for statement_id in scale.weak:
        assert f"Stelling {statement_id} ·" in next_steps_html(scale)
