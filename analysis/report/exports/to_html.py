"""The report as one offline HTML file: plotly.js embedded once, every chart interactive, no network.

The same page, with fixed chart widths and print rules, is what Chromium prints to the PDF.
The plotly.js embedded is a partial bundle (vendor/plotly-quickscan.min.js, 1.2 MB instead of 4.8 MB) with only
the trace types analysis/report/charts.py draws; scripts/build_plotly_bundle.sh rebuilds it. A chart with a new trace
type needs that type added to the bundle: tests/analysis/report/test_export_bundle.py draws every chart kind with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from analysis.instrument import Instrument
from analysis.report.charts import LEVEL_COLOURS, band_colours, figure_for, legend_beside
from analysis.report.model import ChartSpec, Report, Slide

PLOTLY_BUNDLE = Path(__file__).parent / "vendor" / "plotly-quickscan.min.js"
PRINT_AS_TABLE = {"group_heatmap"}
DARK_COLOURS = {LEVEL_COLOURS[0], LEVEL_COLOURS[-1]}  # white text on the two darkest band colours
PRINT_WIDTH = 680  # px: the printable width of A4 portrait with 15 mm margins, at 96 dpi
# In print every radar has the page's width, its legend beside the circle: at half the width (two to a row) the
# item numbers overlapped, a label was cut off and a groups radar was a circle of 115 px.
PRINT_RADAR_HEIGHT = {"theme_radar": 420, "statement_radar": 560}
PRINT_MAX_HEIGHT = 520

STYLE = """
:root{--ink:#1f1f1f;--muted:#5f5f5f;--accent:#2166ac}
body{font-family:"Source Sans Pro",Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1200px;padding:24px}
header.cover{padding:48px 0 24px;border-bottom:4px solid var(--accent);margin-bottom:24px}
header.cover h1{font-size:34px;margin:0 0 8px}
.slide{padding:12px 0 28px;border-bottom:1px solid #ddd}
.slide h2{font-size:26px;margin:8px 0 2px}
.sub{color:var(--muted);margin:0 0 10px}
ul.points{font-size:17px;line-height:1.45;padding-left:22px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.chart{flex:1 1 520px;min-width:420px}
footer{color:var(--muted);font-size:13px;margin-top:24px}
table.heat{border-collapse:collapse;font-size:10px;width:100%}
table.heat.many{font-size:8px}
table.heat th,table.heat td{border:1px solid #fff;padding:2px 1px;text-align:center}
table.heat th.group{text-align:left;white-space:nowrap;padding-right:4px}
table.heat td.hidden{background:#f0f0f0;color:#444}
.table-title{font-weight:bold;margin:4px 0}
.legend{font-size:10px;color:var(--muted)}
.chip{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:middle}
@page{size:A4;margin:15mm}
@media print{
  body{max-width:none;padding:0}
  .slide{padding:4px 0 10px;border:none}
  header.cover{padding:0 0 6px;margin-bottom:8px;border-bottom:2px solid var(--accent)}
  header.cover h1{font-size:24px}
  .slide h2{font-size:18px;margin:6px 0 0}
  .charts{gap:6px}
  .chart{flex:0 0 auto;min-width:0;break-inside:avoid}
  ul.points{font-size:11.5px;line-height:1.35;margin:4px 0}
  li,tr{break-inside:avoid}
  h2,.sub{break-after:avoid}
}
"""


MANY_COLUMNS = 28  # more statements than this get a smaller font to fit the printed width


def band_colour(score, scale) -> str | None:
    """The colour of the score band (level, or quarter met) a score falls in; none for no score."""
    if score is None or score != score:
        return None
    colours = band_colours(len(scale.bands))
    return next((c for (_, high, _), c in zip(scale.bands, colours) if score < high), colours[-1])


def heatmap_table_html(spec, instrument) -> str:
    """The group heatmap as a table for print: text stays sharp (plotly rasterises heatmaps)."""
    data = spec.data
    ids = instrument.statement_ids
    scale = instrument.score_scale
    head = "<tr><th>Groep</th>" + "".join(f"<th>{escape(str(i))}</th>" for i in ids) + "</tr>"
    rows = []
    for name, group in data.groupby("group", sort=False):
        label = f"<th class='group'>{escape(str(name))} ({escape(str(group['size'].iloc[0]))})</th>"
        if bool(group["suppressed"].iloc[0]):
            status = escape(str(group["status"].iloc[0]))
            rows.append(f"<tr>{label}<td class='hidden' colspan='{len(ids)}'>{status}</td></tr>")
            continue
        scores = group.set_index("id")["score"].reindex(ids)
        cells = []
        for score in scores:
            colour = band_colour(score, scale)
            ink = "#ffffff" if colour in DARK_COLOURS else "#1f1f1f"
            cells.append(f"<td style='background:{colour or '#ffffff'};color:{ink}'>{scale.short(score)}</td>")
        rows.append(f"<tr>{label}{''.join(cells)}</tr>")
    legend = " ".join(f"<span class='chip' style='background:{colour}'></span>{escape(name)}"
                      for (_, _, name), colour in zip(scale.bands, band_colours(len(scale.bands))))
    size = " many" if len(ids) > MANY_COLUMNS else ""
    return (f"<div class='chart'><p class='table-title'>{escape(spec.title)}</p><table class='heat{size}'>{head}"
            + "".join(rows) + f"</table><p class='legend'>Kleur = {escape(instrument.kind.score_name.lower())}: "
            f"{legend}</p></div>")


def _points_html(points) -> str:
    """A list of points; a point's details (next step, reading) as a list beneath it."""
    items = []
    for point in points:
        details = "".join(f"<li>{escape(d)}</li>" for d in point.details)
        items.append(f"<li>{escape(point.text)}" + (f"<ul class='details'>{details}</ul>" if details else "") + "</li>")
    return "<ul class='points'>" + "".join(items) + "</ul>"


def _slide_html(slide: Slide, chart_ids: list[str], tables: list[str] = ()) -> str:
    parts = [f"<section class='slide {escape(slide.key)}'>", f"<h2>{escape(slide.title)}</h2>"]
    if slide.subtitle:
        parts.append(f"<p class='sub'>{escape(slide.subtitle)}</p>")
    if slide.points:
        parts.append(_points_html(slide.points))
    if chart_ids or tables:
        parts.append("<div class='charts'>" + "".join(f"<div class='chart' id='{i}'></div>" for i in chart_ids)
                     + "".join(tables) + "</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _cover_html(slide: Slide) -> str:
    return (f"<header class='cover'><h1>{escape(slide.title)}</h1><p class='sub'>{escape(slide.subtitle)}</p>"
            f"{_points_html(slide.points)}</header>")


def fit_to_page(figure, kind: str) -> None:
    """FIGURE sized for the printed A4 page (PRINT_WIDTH wide) as the PDF draws it."""
    if kind in PRINT_RADAR_HEIGHT:
        legend_beside(figure).update_layout(width=PRINT_WIDTH, height=PRINT_RADAR_HEIGHT[kind])
    else:
        figure.update_layout(width=PRINT_WIDTH, height=min(figure.layout.height or PRINT_MAX_HEIGHT, PRINT_MAX_HEIGHT))


@cache
def plotly_js() -> str:
    """The partial plotly.js bundle, read once per process."""
    return PLOTLY_BUNDLE.read_text(encoding="utf-8")


def _script_json(value) -> str:
    # Text from uploads (team names) ends up in the figures: never let it close the script tag.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


FOOTER = ("<footer>Gemaakt met het QuickScan-dashboard. Groepen met te weinig respondenten zijn niet "
          "getoond.</footer>")


@dataclass
class ReportPage:
    """The report page in parts: the body (every section, an empty div per chart) and the charts to draw in it.

    A chart's figure is built only when ``figures()`` reaches it: building plotly figures is most of the Python
    time, so the PDF printer draws each chart while the next one is being built.
    """

    title: str
    body: str
    charts: list[tuple[str, ChartSpec]]
    instrument: Instrument
    for_print: bool

    @property
    def config(self) -> dict:
        return {"displaylogo": False, "responsive": not self.for_print, "staticPlot": self.for_print}

    def figures(self) -> Iterator[tuple[str, dict]]:
        for chart_id, spec in self.charts:
            figure = figure_for(spec, self.instrument)
            if self.for_print:
                fit_to_page(figure, spec.kind)
            yield chart_id, json.loads(figure.to_json())


def report_page(report: Report, for_print: bool = False) -> ReportPage:
    charts, sections = [], []
    for number, slide in enumerate(report.slides):
        if number == 0 and slide.key == "titel":
            sections.append(_cover_html(slide))
            continue
        ids, tables = [], []
        for index, spec in enumerate(slide.charts):
            if for_print and spec.kind in PRINT_AS_TABLE:
                tables.append(heatmap_table_html(spec, report.instrument))
                continue
            chart_id = f"chart-{number}-{index}"
            charts.append((chart_id, spec))
            ids.append(chart_id)
        sections.append(_slide_html(slide, ids, tables))
    return ReportPage(title=report.title, body="\n".join(sections) + FOOTER, charts=charts,
                      instrument=report.instrument, for_print=for_print)


def report_html(report: Report, for_print: bool = False) -> str:
    page = report_page(report, for_print)
    figures = dict(page.figures())
    script = (f"const FIGURES = {_script_json(figures)};\nconst CONFIG = {_script_json(page.config)};\n"
              # A promise that settles when every chart is drawn: the PDF printer waits for it.
              "window.chartsDrawn = Promise.all(Object.entries(FIGURES).map("
              "([id, fig]) => Plotly.newPlot(id, fig.data, fig.layout, CONFIG)));")
    return ("<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{escape(page.title)}</title>"
            f"<style>{STYLE}</style><script>{plotly_js()}</script></head><body>"
            + page.body + f"<script>{script}</script></body></html>")
