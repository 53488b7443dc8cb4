"""What the back of the room sees at 1280x720 (a projector) in presentation mode, with the checklist sample.

A next step's details (the step, tips, an example) are as large as the point they belong to; the groups' radar,
alone on its slide, fills the slide's height instead of sitting small under an empty band; a checklist's reading
stands once per block on its own slide. Screenshots go to test-artifacts/ to be looked at.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import shoot, wait_idle
from tests.browser.test_slides_fit import charts_drawn, open_presentation
from tests.conftest import SAMPLES

pytestmark = pytest.mark.browser

KADER = SAMPLES / "diversiteitskader_najaar_2025.xlsx"
WIDTH, HEIGHT = 1280, 720

FONT_SIZES = """() => {
  const size = q => [...document.querySelectorAll(q)].filter(e => e.getBoundingClientRect().width > 0)
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  return {points: size('.st-key-slide-points > div li:not(li li)'), details: size('.st-key-slide-points li li')};
}"""

# The radar's circle (its outer ring) and the slide's subtitle, in screen pixels.
RADAR = """() => {
  const box = e => { const b = e.getBoundingClientRect(); return {top: b.top, bottom: b.bottom, height: b.height}; };
  const labels = [...document.querySelectorAll('.qs-chart .polarlayer g.angularaxistick text')].map(box);
  return {circle: box(document.querySelector('.qs-chart .polarlayer .angular-line path')),
          labelTop: Math.min(...labels.map(b => b.top)),
          subtitle: box(document.querySelector('.st-key-slide-sub'))};
}"""


def go_to_slide(page, title: str, count: int) -> None:
    """PageDown until the slide whose title starts with TITLE is shown."""
    for _ in range(count):
        current = page.locator("h1").first.inner_text()
        if current.startswith(title):
            charts_drawn(page)
            return
        page.keyboard.press("PageDown")
        page.wait_for_function(f"() => (document.querySelector('h1') || {{}}).textContent !== {json.dumps(current)}",
                               timeout=30000)
        wait_idle(page)
    pytest.fail(f"no slide {title!r}")


@pytest.fixture
def kader_slides(server, browser):
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    count = open_presentation(page, server, KADER)
    yield page, count
    page.close()


def test_the_room_reads_the_details_radar_fills_the_slide_and_reading_stands_once(kader_slides):
    page, count = kader_slides
    go_to_slide(page, "Groepen vergelijken", count)
    radar = page.evaluate(RADAR)
    shoot(page, "presentatie_kader_teams_1280")
    # The circle had 235 px of the 720 under a 150 px empty band: now more than half the height, its top label
    # close under the subtitle.
    assert radar["circle"]["height"] > HEIGHT / 2, radar
    assert radar["labelTop"] - radar["subtitle"]["bottom"] < 60, radar
    assert radar["circle"]["bottom"] <= HEIGHT

    go_to_slide(page, "Aan de slag (1/", count)
    sizes = page.evaluate(FONT_SIZES)
    shoot(page, "presentatie_kader_aan_de_slag_1280")
    assert sizes["details"] and sizes["points"]
    # The details were 17 px under 20 px points; now as large as their point.
    assert min(sizes["details"]) >= max(sizes["points"]) - 0.01 and min(sizes["details"]) >= 20, sizes

    go_to_slide(page, "Meer lezen", count)
    shoot(page, "presentatie_kader_meer_lezen_1280")
    blocks = page.locator(".st-key-slide-points li:not(li li)").all_inner_texts()
    assert [b.splitlines()[0] for b in blocks] == ["Werkwijze · bij item 1.2 en 1.3",
                                                   "Informele netwerken · bij item 3.1, 3.4 en 3.5",
                                                   "Proces · bij item 5.3 en 5.4"]
    titles = [t for t in page.locator(".st-key-slide-points li li").all_inner_texts() if not t.startswith("En nog")]
    assert len(titles) == len(set(titles)) == 8
    assert sum(bool(re.match(r"Schilderswijk Moeders \(", t)) for t in titles) == 1
    scroll = page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                           " return m.scrollHeight - m.clientHeight; }")
    assert scroll <= 1
