"""Every slide of a sample report fits a projector (1280x720) and a full-HD screen without scrolling, and a full-HD
screen shows it as large (text too) as a projector does.

The check is made in Chromium on the real page in presentation mode: the bounding box of everything
in the main block (titles, points, each chart's drawn SVG) must lie inside the viewport, and the page
must not scroll. Each slide at 1280x720 is saved under test-artifacts/slides/ to be looked at.
One browser page per report: a slide is measured at one size, the window resized, measured again.
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
  for (const el of main.querySelectorAll('h1, p, li, .qs-chart, .main-svg')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    top = Math.min(top, box.top); bottom = Math.max(bottom, box.bottom);
    left = Math.min(left, box.left); right = Math.max(right, box.right);
  }
  // The smallest text anyone in the room has to read, and legends lying over a chart's title.
  const texts = [...main.querySelectorAll('h1, p, li, .main-svg text')].filter(t => t.textContent.trim()
    && t.getBoundingClientRect().width > 0);
  const smallest = Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize)));
  // The slide's canvas scaled to the screen (ui/presentation_mode.css): the size the room sees is the font size
  // times the scale.
  const scale = main.getBoundingClientRect().width / main.offsetWidth;
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let covered = 0;
  for (const chart of main.querySelectorAll('.js-plotly-plot')) {
    const legend = chart.querySelector('.legend'), titles = chart.querySelectorAll('.gtitle, .g-gtitle text');
    for (const t of legend ? titles : []) {
      if (overlaps(legend.getBoundingClientRect(), t.getBoundingClientRect())) covered++;
    }
  }
  // Chart text that sticks out of its chart's figure, where plotly cuts it off ('Informele netwerken' beside a radar).
  const cut = [];
  for (const svg of main.querySelectorAll('.js-plotly-plot .main-svg:first-of-type')) {
    const edge = svg.getBoundingClientRect();
    for (const t of svg.parentElement.querySelectorAll('.main-svg text')) {
      const b = t.getBoundingClientRect();
      if (t.textContent.trim() && b.width > 0 && (b.left < edge.left - 1 || b.right > edge.right + 1
          || b.top < edge.top - 1 || b.bottom > edge.bottom + 1)) cut.push(t.textContent);
    }
  }
  const scroller = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
  return {top, bottom, left, right, scroll: scroller.scrollHeight - scroller.clientHeight,
          smallest, seen: smallest * scale, cut, covered, width: window.innerWidth, height: window.innerHeight,
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
    page.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=30000)  # the room's view is on
    wait_idle(page)
    return count


def charts_drawn(page) -> None:
    """Until the slide's run is over (no placeholder, no element left over from the previous slide) and every
    chart has drawn its SVG at its box's present width.

    The chart component (ui/charts.js) writes the width it drew at on its box once plotly.js has finished, also
    after a resize, so no fixed pause is needed for plotly's redraw.
    """
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]') && "
        "[...document.querySelectorAll('.qs-chart')].every(c => c.querySelector('.main-svg') && "
        "c.dataset.drawnWidth === String(c.clientWidth))",
        timeout=30000)


def measure(page, number: int, stem: str, width: int, height: int, problems: dict) -> str:
    """The slide on screen at this size: its box, its smallest text, legends over titles; returns its title."""
    charts_drawn(page)
    box = page.evaluate(MEASURE)
    assert (box["width"], box["height"]) == (width, height)
    if width == 1280 or number in (2, 9):
        page.screenshot(path=str(ARTIFACTS / "slides" / f"{stem}_{width}_{number:02d}.png"))
    if box["bottom"] > height or box["right"] > width or box["left"] < 0 or box["top"] < 0 or box["scroll"] > 1:
        problems["misfits"].append((width, number, box["title"],
                                    {k: round(box[k]) for k in ("bottom", "right", "scroll")}))
    if width == 1280 and box["smallest"] < MIN_TEXT_PX:
        problems["small"].append((number, box["title"], box["smallest"]))
    # A larger screen shows the projector's slide scaled up: text as large a part of the screen as at 1280x720
    # (chart text stayed 14 px on a 1080 px high screen, two thirds of that).
    if box["seen"] < MIN_TEXT_PX * height / 720 - 0.5:
        problems["small_on_screen"].append((width, number, box["title"], round(box["seen"], 1)))
    if box["cut"]:
        problems["cut"].append((width, number, box["title"], box["cut"]))
    if box["covered"]:
        problems["covered"].append((width, number, box["title"]))
    return box["title"]


@pytest.mark.parametrize("sample", REPORTS)
def test_every_slide_fits_the_screen(server, browser, sample):
    """One page per report; each slide is measured at both sizes by resizing the window, not by loading it again.

    The sizes alternate (1280, 1920 on one slide; 1920, 1280 on the next), so each slide costs one resize.
    """
    page = browser.new_page(viewport=dict(zip(("width", "height"), SIZES[0])))
    count = open_presentation(page, server, sample)
    (ARTIFACTS / "slides").mkdir(parents=True, exist_ok=True)
    stem = sample.stem if sample else "quickscan"
    problems = {"misfits": [], "small": [], "small_on_screen": [], "cut": [], "covered": []}
    sizes = list(SIZES)
    for number in range(1, count + 1):
        for width, height in sizes:
            if (page.viewport_size["width"], page.viewport_size["height"]) != (width, height):
                page.set_viewport_size({"width": width, "height": height})
            title = measure(page, number, stem, width, height, problems)
        sizes.reverse()
        if number < count:
            page.keyboard.press("PageDown")
            page.wait_for_function(f"() => (document.querySelector('h1') || {{}}).textContent !== {json.dumps(title)}",
                                   timeout=30000)
            wait_idle(page)
    page.close()
    assert not problems["misfits"], f"slides that do not fit their screen (width, slide, title): {problems['misfits']}"
    assert not problems["small"], f"text under {MIN_TEXT_PX} px at 1280x720: {problems['small']}"
    assert not problems["small_on_screen"], f"text smaller than at 1280x720: {problems['small_on_screen']}"
    assert not problems["cut"], f"chart text cut off at the figure's edge: {problems['cut']}"
    assert not problems["covered"], f"a legend covers a chart title: {problems['covered']}"
