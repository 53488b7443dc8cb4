"""Chart text drawn by the dashboard's plotly.js at the widths the pages give a chart on a 1280 px screen (and the
Teams page's on 1920): no label cut off at the figure's edge, no two labels on top of each other.

Found by a QA walk at 1280x720: the checklist heatmap's '100' ran into '88', 'Informele netwerken' and
'Competenties' were cut off beside the radar, the round and group legends of Voortgang stood above the figure.
A later walk (1280x720 and 1920x1080): a radar's score '62%' stood on its axis label 'Competenties', '2,7' on the
radar's own line, and the item numbers '5.9' and '5.10' touched; so on a radar every text keeps a space's width
from the next, and no score stands on a line or a point.
Each figure is drawn as ui/charts.js draws it: the vendored partial plotly.js, the dashboard's template
(ui/chart_look.json) and the title in bold; the browser measures the text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.report import charts
from analysis.report.exports.to_html import PLOTLY_BUNDLE, fit_to_page
from analysis.report.model import build_report
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
HALF_WIDE = 707  # half of Overzicht's main column at 1920 px
# A chart on a slide in presentation mode (app_pages/presentatie.py: one of two charts, or the slide's only chart,
# as high as the canvas leaves room for): the same on a projector and a full-HD screen, which scales the canvas.
SLIDE_HALF, SLIDE_WHOLE = (600, 500), (1216, 466)
SAMPLE = {"scale": ("quickscan_voorbeeld.xlsx", "In welk team werkt u?"),
          "checklist": ("diversiteitskader_voorjaar_2025_google_forms.csv", "In welk wijkteam werkt u?"),
          "checklist najaar": ("diversiteitskader_najaar_2025.xlsx", "In welk wijkteam werkt u?")}
ROUNDS = {"scale": ("ronde_2025_voorjaar.xlsx", "ronde_2025_najaar.xlsx"),
          "checklist": ("diversiteitskader_voorjaar_2025_google_forms.csv", "diversiteitskader_najaar_2025.xlsx")}

# Per chart: text that sticks out of the figure, and pairs of texts that overlap (more than a pixel's rounding). Each
# line of a text is a box of its own (a label on two lines is no rectangle). On a radar also: two texts closer than a
# space's width (SPACE_PX, 0.28 em of 14 px: '5.9' and '5.10' read as one), and a score on a line or a point.
PROBLEMS = """(space) => {
  const chart = document.querySelector('#chart'), svg = chart.querySelector('.main-svg').getBoundingClientRect();
  const lines = t => [...t.querySelectorAll('tspan.line')].filter(l => l.textContent.trim());
  const texts = [...chart.querySelectorAll('.main-svg text')].filter(t => t.textContent.trim()
    && t.getBoundingClientRect().width > 0).flatMap(t => (lines(t).length ? lines(t) : [t])
    .map(l => [t.textContent, l.getBoundingClientRect(), t.closest('.polarlayer') !== null, t]));
  const out = [];
  for (const [text, b] of texts) {
    if (b.left < svg.left - 1 || b.right > svg.right + 1 || b.top < svg.top - 1 || b.bottom > svg.bottom + 1)
      out.push('cut off: ' + text);
  }
  texts.forEach(([a, p, polarA, nodeA], i) => texts.slice(i + 1).forEach(([b, q, polarB, nodeB]) => {
    if (nodeA === nodeB) return;
    const wide = Math.min(p.right, q.right) - Math.max(p.left, q.left);
    const high = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (wide > 1 && high > 3) out.push(`overlap: ${a} / ${b}`);
    else if (polarA && polarB && wide > -space && high > 3) out.push(`touch: ${a} / ${b}`);
  }));
  // A radar's scores (text of its scatter traces) against its lines, sampled every 2 px, and its points.
  const inside = (b, x, y) => x > b.left + 1 && x < b.right - 1 && y > b.top + 1 && y < b.bottom - 1;
  const dots = [];
  for (const path of chart.querySelectorAll('.polarlayer .scatterlayer .js-line')) {
    const m = path.getScreenCTM(), length = path.getTotalLength();
    for (let at = 0; at <= length; at += 2) {
      const p = path.getPointAtLength(at);
      dots.push([p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f]);
    }
  }
  const points = [...chart.querySelectorAll('.polarlayer .scatterlayer .points path')]
    .map(p => p.getBoundingClientRect());
  for (const text of chart.querySelectorAll('.polarlayer .scatterlayer .textpoint text')) {
    const b = text.getBoundingClientRect();
    if (!text.textContent.trim() || b.width === 0) continue;
    if (dots.some(([x, y]) => inside(b, x, y))) out.push('on a line: ' + text.textContent);
    if (points.some(p => p.right > b.left + 1 && p.left < b.right - 1 && p.bottom > b.top + 1
                         && p.top < b.bottom - 1)) out.push('on a point: ' + text.textContent);
  }
  return out;
}"""
SPACE_PX = 4


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


def draw(page, figure, width: int, height: int | None = None) -> list[str]:
    """FIGURE drawn WIDTH px wide as the dashboard draws it (HEIGHT high, as a slide sets it); returns the text
    problems."""
    page.evaluate("""([spec, look, width, height]) => {
      const figure = JSON.parse(spec), layout = {...figure.layout, template: JSON.parse(look), width};
      if (height) layout.height = height;
      if (layout.title && layout.title.text) layout.title = {...layout.title, text: '<b>' + layout.title.text + '</b>'};
      return Plotly.newPlot('chart', figure.data, layout, {displayModeBar: false}).then(() => true);
    }""", [figure.to_json(), LOOK, width, height])
    return page.evaluate(PROBLEMS, SPACE_PX)


def _summary(kind: str, file_name: str | None = None):
    name, column = SAMPLE[kind]
    return summarize(ingest_file(SAMPLES / (file_name or name)), column)


def _page_charts(kind: str) -> list[tuple[str, object, int]]:
    """(name, figure, width) of the charts of Overzicht and Teams, as those pages build them, at 1280 and 1920 px."""
    summary = _summary(kind)
    instrument = summary.instrument
    groups = {"Hele organisatie": summary.themes, **{g.name: g.themes for g in summary.groups if not g.suppressed}}
    heatmap = charts.group_heatmap(group_scores(summary), instrument, "Score per groep")
    themes = charts.theme_radar({"Organisatie": summary.themes}, instrument, "Niveau")
    items = charts.statement_radar({"Organisatie": summary.statements}, instrument, "Per stelling")
    teams = charts.theme_radar(groups, instrument, "Per groep")
    return [("overzicht theme radar", themes, HALF), ("overzicht theme radar at 1920", themes, HALF_WIDE),
            ("overzicht statement radar", items, HALF), ("overzicht statement radar at 1920", items, HALF_WIDE),
            ("teams radar", teams, FULL), ("teams radar at 1920", teams, WIDE),
            ("teams heatmap", heatmap, FULL), ("teams heatmap at 1920", heatmap, WIDE)]


def _slide_radars(kind: str) -> list[tuple[str, object, int, int]]:
    """(name, figure, width, height) of the radars on the slides, as presentation mode sizes them."""
    report = build_report(_summary(kind), "test")
    return [(f"slide {n} {spec.kind}", charts.figure_for(spec, report.instrument),
             *(SLIDE_HALF if len(slide.charts) > 1 else SLIDE_WHOLE))
            for n, slide in enumerate(report.slides, 1) for spec in slide.charts if spec.kind.endswith("radar")]


def _print_radars(kind: str) -> list[tuple[str, object]]:
    """(name, figure) of the radars in the printed report (PDF), as the print page sizes them; for a kind with two
    rounds, the second round's report beside the first (a radar with a legend)."""
    summary = _summary(kind)
    reports = [build_report(summary, "test")]
    if kind in ROUNDS:
        previous = _summary(kind, ROUNDS[kind][0])
        reports.append(build_report(_summary(kind, ROUNDS[kind][1]), "test",
                                    previous=("Ronde voorjaar 2025 (1 april 2025)", previous)))
    found = []
    for number, report in enumerate(reports):
        for n, slide in enumerate(report.slides, 1):
            for spec in (spec for spec in slide.charts if spec.kind.endswith("radar")):
                figure = charts.figure_for(spec, report.instrument)
                fit_to_page(figure, spec.kind)
                found.append((f"report {number} slide {n} {spec.kind}", figure))
    return found


def _progress_charts(kind: str) -> list[tuple[str, object, int]]:
    """(name, figure, width) of Voortgang's charts for two rounds."""
    if kind not in ROUNDS:
        return []
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


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_no_radar_text_on_a_slide_is_cut_off_or_overlaps(page, kind):
    problems = {name: found for name, figure, width, height in _slide_radars(kind)
                if (found := draw(page, figure, width, height))}
    assert problems == {}


@pytest.mark.parametrize("kind", sorted(SAMPLE))
def test_no_radar_text_in_print_is_cut_off_or_overlaps(page, kind):
    """The PDF drew radars two to a row, 336 px wide: 'Competenties 62%' was cut off and 32 item numbers overlapped."""
    problems = {name: found for name, figure in _print_radars(kind)
                if (found := draw(page, figure, figure.layout.width, figure.layout.height))}
    assert problems == {}


def test_the_check_sees_a_score_on_a_line_and_item_numbers_that_touch(page):
    """The radars as the QA walk found them, drawn again: the check names what went wrong."""
    summary = _summary("checklist najaar")
    radar = charts.theme_radar({"Organisatie": summary.themes}, summary.instrument, "Niveau")
    scores = [summary.instrument.score_scale.short(v) for v in summary.themes["score"]]
    radar.update_traces(mode="lines+markers+text", text=[*scores, ""], textposition="top right", textfont_size=16,
                        selector=dict(type="scatterpolar"))
    radar.update_polars(angularaxis_ticktext=[charts.radar_label(t) for t in summary.instrument.themes])
    found = draw(page, radar, HALF)
    assert "overlap: 76% / Competenties" in found and "on a line: 46%" in found
    items = charts.statement_radar({"Organisatie": summary.statements}, summary.instrument, "Per item")
    items.update_polars(angularaxis_ticktext=[str(i) for i in summary.instrument.statement_ids])
    assert "overlap: 5.9 / 5.10" in draw(page, items, *SLIDE_HALF)


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
