"""Chart text drawn by the dashboard's plotly.js at the widths the pages give a chart on a 1280 px screen (and the
Teams page's on 1920): no label cut off at the figure's edge, no two labels on top of each other.

Found by a QA walk at 1280x720: the checklist heatmap's '100' ran into '88', 'Informele netwerken' and
'Competenties' were cut off beside the radar, the round and group legends of Voortgang stood above the figure.
Each figure is drawn as ui/charts.js draws it: the vendored partial plotly.js, the dashboard's template
(ui/chart_look.json) and the title in bold; the browser measures the text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.report import charts
from analysis.report.exports.to_html import PLOTLY_BUNDLE
from analysis.scoring.overview import group_scores
from analysis.scoring.progress import group_trends, statement_change, statement_progress
from analysis.scoring.summary import summarize
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LOOK = (ROOT / "ui" / "chart_look.json").read_text(encoding="utf-8")
# The width of a chart on a 1280 px screen with the sidebar open: half of Overzicht's (and Voortgang's radar),
# the full main column (Teams, Stellingen, Voortgang); and the main column at 1920 px.
HALF, FULL, WIDE = 387, 791, 1431
SAMPLE = {"scale": ("quickscan_voorbeeld.xlsx", "In welk team werkt u?"),
          "checklist": ("diversiteitskader_voorjaar_2025_google_forms.csv", "In welk wijkteam werkt u?")}
ROUNDS = {"scale": ("ronde_2025_voorjaar.xlsx", "ronde_2025_najaar.xlsx"),
          "checklist": ("diversiteitskader_voorjaar_2025_google_forms.csv", "diversiteitskader_najaar_2025.xlsx")}

# Per chart: text that sticks out of the figure, and pairs of texts that overlap (more than a pixel's rounding).
PROBLEMS = """() => {
  const chart = document.querySelector('#chart'), svg = chart.querySelector('.main-svg').getBoundingClientRect();
  const texts = [...chart.querySelectorAll('.main-svg text')].filter(t => t.textContent.trim()
    && t.getBoundingClientRect().width > 0).map(t => [t.textContent, t.getBoundingClientRect()]);
  const out = [];
  for (const [text, b] of texts) {
    if (b.left < svg.left - 1 || b.right > svg.right + 1 || b.top < svg.top - 1 || b.bottom > svg.bottom + 1)
      out.push('cut off: ' + text);
  }
  texts.forEach(([a, p], i) => texts.slice(i + 1).forEach(([b, q]) => {
    const wide = Math.min(p.right, q.right) - Math.max(p.left, q.left);
    const high = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (wide > 1 && high > 3) out.push(`overlap: ${a} / ${b}`);
  }));
  return out;
}"""


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is required (REQUIRE_BROWSER) but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 1500, "height": 1000})
        tab.set_content("<html><head><script>" + PLOTLY_BUNDLE.read_text(encoding="utf-8")
                        + "</script></head><body style='margin:0'><div id='chart'></div></body></html>")
        yield tab
        browser.close()


def draw(page, figure, width: int) -> list[str]:
    """FIGURE drawn WIDTH px wide as the dashboard draws it; returns the text problems."""
    page.evaluate("""([spec, look, width]) => {
      const figure = JSON.parse(spec), layout = {...figure.layout, template: JSON.parse(look), width};
      if (layout.title && layout.title.text) layout.title = {...layout.title, text: '<b>' + layout.title.text + '</b>'};
      return Plotly.newPlot('chart', figure.data, layout, {displayModeBar: false}).then(() => true);
    }""", [figure.to_json(), LOOK, width])
    return page.evaluate(PROBLEMS)


def _summary(kind: str, file_name: str | None = None):
    name, column = SAMPLE[kind]
    return summarize(ingest_file(SAMPLES / (file_name or name)), column)


def _page_charts(kind: str) -> list[tuple[str, object, int]]:
    """(name, figure, width) of the charts of Overzicht and Teams, as those pages build them."""
    summary = _summary(kind)
    instrument = summary.instrument
    groups = {"Hele organisatie": summary.themes, **{g.name: g.themes for g in summary.groups if not g.suppressed}}
    heatmap = charts.group_heatmap(group_scores(summary), instrument, "Score per groep")
    return [("overzicht theme radar", charts.theme_radar({"Organisatie": summary.themes}, instrument, "Niveau"), HALF),
            ("overzicht statement radar",
             charts.statement_radar({"Organisatie": summary.statements}, instrument, "Per stelling"), HALF),
            ("teams radar", charts.theme_radar(groups, instrument, "Per groep"), FULL),
            ("teams heatmap", heatmap, FULL), ("teams heatmap at 1920", heatmap, WIDE)]


def _progress_charts(kind: str) -> list[tuple[str, object, int]]:
    """(name, figure, width) of Voortgang's charts for two rounds."""
    rounds = {f"Ronde {n} (1 april 2025)": _summary(kind, name) for n, name in enumerate(ROUNDS[kind], 1)}
    first, last = rounds.values()
    instrument = first.instrument
    order = statement_change(first, last)["id"].tolist()
    trends = group_trends(rounds)
    return [("voortgang radar", charts.theme_radar({k: s.themes for k, s in rounds.items()}, instrument, "R"), HALF),
            ("voortgang dumbbell", charts.change_dumbbell(statement_progress(rounds), order, instrument, "D"), FULL),
            ("voortgang trends", charts.group_trend_lines(trends[trends["theme"] == "Totaal"], instrument, "T"),
             FULL)]


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_no_chart_text_is_cut_off_or_overlaps_at_1280(page, kind):
    problems = {name: found for name, figure, width in _page_charts(kind) + _progress_charts(kind)
                if (found := draw(page, figure, width))}
    assert problems == {}


def test_the_legends_of_voortgang_are_drawn_where_they_can_be_read(page):
    """The round and group legends stood above the figure's top edge: inside it now, each name once."""
    for name, figure, width in _progress_charts("checklist")[1:]:
        draw(page, figure, width)
        svg_top = page.evaluate("document.querySelector('#chart .main-svg').getBoundingClientRect().top")
        legend = page.evaluate("[...document.querySelectorAll('#chart .legend .legendtext')].map(t => "
                               "[t.textContent, t.getBoundingClientRect().top])")
        assert {text for text, _ in legend} == {t.name for t in figure.data if t.showlegend is not False}, name
        assert all(top >= svg_top for _, top in legend), name


def test_the_heatmap_hover_names_the_cell_under_the_mouse(page):
    """With the items in two rows of cells, the hover still belongs to the cell pointed at: the group's '100'."""
    summary = _summary("checklist")
    group = next(g for g in summary.groups if not g.suppressed and (g.statements["score"] == 1).any())
    item = group.statements.loc[group.statements["score"] == 1, "id"].iloc[0]
    rows = group_scores(summary)
    draw(page, charts.group_heatmap(rows[rows["group"] == group.name], summary.instrument, "t"), FULL)
    cell = page.locator("#chart .main-svg text").filter(has_text="100").first.bounding_box()
    page.mouse.move(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    page.wait_for_timeout(300)
    hover = page.evaluate("document.querySelector('#chart .hoverlayer').textContent")
    assert hover == f"{group.name} · item {item}: 100% voldaan"
