"""Every slide of a sample report fits a projector (1280x720) and a full-HD screen without scrolling.

The check is made in Chromium on the real page in presentation mode: the bounding box of everything
in the main block (titles, points, each chart's drawn SVG) must lie inside the viewport, and the page
must not scroll. Each slide at 1280x720 is saved under test-artifacts/slides/ to be looked at.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import ARTIFACTS, wait_idle
from tests.conftest import SAMPLES

pytestmark = pytest.mark.browser

# A sample report: None is the sample data a fresh session opens with; a path is uploaded on Gegevens.
# The checklist's has a block of 12 items, 3 weak items with tips per slide and groups in %.
REPORTS = [pytest.param(None, id="quickscan"),
           pytest.param(SAMPLES / "diversiteitskader_najaar_2025.xlsx", id="kader")]
SIZES = [(1280, 720), (1920, 1080)]
MIN_TEXT_PX = 14  # read from the back of a meeting room on a 1280x720 projector

# Everything drawn inside the main block, as one box; the page's own scroll range besides.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
  for (const el of main.querySelectorAll('h1, p, li, [data-testid="stPlotlyChart"], .main-svg')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    top = Math.min(top, box.top); bottom = Math.max(bottom, box.bottom);
    left = Math.min(left, box.left); right = Math.max(right, box.right);
  }
  // The smallest text anyone in the room has to read, and legends lying over a chart's title.
  const texts = [...main.querySelectorAll('h1, p, li, .main-svg text')].filter(t => t.textContent.trim()
    && t.getBoundingClientRect().width > 0);
  const smallest = Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize)));
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let covered = 0;
  for (const chart of main.querySelectorAll('.js-plotly-plot')) {
    const legend = chart.querySelector('.legend'), titles = chart.querySelectorAll('.gtitle, .g-gtitle text');
    for (const t of legend ? titles : []) {
      if (overlaps(legend.getBoundingClientRect(), t.getBoundingClientRect())) covered++;
    }
  }
  const scroller = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
  return {top, bottom, left, right, scroll: scroller.scrollHeight - scroller.clientHeight,
          smallest, covered, width: window.innerWidth, height: window.innerHeight,
          title: (main.querySelector('h1') || {}).textContent};
}"""


def open_presentation(page, server, sample) -> int:
    """Open Presentatie with the sample, switch presentation mode on; returns the number of slides."""
    if sample is not None:
        page.goto(f"{server}/gegevens")
        wait_idle(page)
        page.locator("input[type=file]").set_input_files(str(sample))
        wait_idle(page)
    else:
        page.goto(server)
        wait_idle(page)
    page.get_by_role("link", name="Presentatie").first.click()
    wait_idle(page)
    counter = page.get_by_text(re.compile(r"^1 / \d+$"))
    counter.wait_for(timeout=30000)
    count = int(counter.inner_text().split("/")[1])
    page.get_by_text("Presentatiemodus").click()
    wait_idle(page)
    return count


def charts_drawn(page) -> None:
    """Until no placeholder is left and every chart has drawn its SVG (charts load after the text)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]') && "
        "[...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(c => c.querySelector('.main-svg'))",
        timeout=30000)
    page.wait_for_timeout(600)  # plotly's resize to the container


@pytest.mark.parametrize("sample", REPORTS)
@pytest.mark.parametrize("width, height", SIZES)
def test_every_slide_fits_the_screen(server, browser, sample, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    count = open_presentation(page, server, sample)
    folder = ARTIFACTS / "slides"
    folder.mkdir(parents=True, exist_ok=True)
    misfits, small, covered = [], [], []
    for number in range(1, count + 1):
        charts_drawn(page)
        box = page.evaluate(MEASURE)
        if width == 1280 or number in (2, 9):
            page.screenshot(path=str(folder / f"{sample.stem if sample else 'quickscan'}_{width}_{number:02d}.png"))
        if box["bottom"] > height or box["right"] > width or box["left"] < 0 or box["top"] < 0 or box["scroll"] > 1:
            misfits.append((number, box["title"], {k: round(box[k]) for k in ("bottom", "right", "scroll")}))
        if width == 1280 and box["smallest"] < MIN_TEXT_PX:
            small.append((number, box["title"], box["smallest"]))
        if box["covered"]:
            covered.append((number, box["title"]))
        if number < count:
            page.keyboard.press("PageDown")
            title = json.dumps(box["title"])
            page.wait_for_function(f"() => (document.querySelector('h1') || {{}}).textContent !== {title}",
                                   timeout=30000)
            wait_idle(page)
    page.close()
    assert not misfits, f"slides that do not fit {width}x{height}: {misfits}"
    assert not small, f"text under {MIN_TEXT_PX} px at 1280x720: {small}"
    assert not covered, f"a legend covers a chart title: {covered}"
