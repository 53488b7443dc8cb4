"""The offline HTML carries a partial plotly.js (vendor/plotly-quickscan.min.js): small, and it draws every chart.

Issue 11: the hand-out stays under 2 MB. The bundle holds only the trace types analysis/report/charts.py uses; these
tests fail when a chart starts using another trace type, or when plotly (python) moves to another plotly.js
than the bundle was built from (rebuild with scripts/build_plotly_bundle.sh).
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version

from analysis.ingest.dataset import ingest_file
from analysis.report.exports.to_html import PLOTLY_BUNDLE, report_html
from analysis.report.model import build_report
from analysis.scoring.summary import suggest_group_column, summarize
from tests.conftest import ROOT, SAMPLES

MAX_BYTES = 2_000_000
ENTRY = PLOTLY_BUNDLE.parent / "plotly-bundle" / "entry.js"
CHROMIUM = Path("/usr/bin/chromium")
# What each trace type leaves in the SVG once plotly has drawn it.
DRAWN = {"scatterpolar": ".polarlayer .scatterlayer .trace", "barpolar": ".polarlayer .barlayer .trace",
         "heatmap": ".heatmaplayer .hm image", "bar": ".cartesianlayer .barlayer .trace path",
         "scatter": ".cartesianlayer .scatterlayer .trace"}


def _report(current: str, previous: str | None = None):
    dataset = ingest_file(SAMPLES / current)
    summary = summarize(dataset, suggest_group_column(dataset))
    earlier = None
    if previous:
        before = ingest_file(SAMPLES / previous)
        earlier = ("Voorjaar 2025", summarize(before, suggest_group_column(before)))
    return build_report(summary, current, "06-10-2025", previous=earlier)


REPORTS = {"quickscan": ("ronde_2025_najaar.xlsx", "ronde_2025_voorjaar.xlsx"),
           "checklist": ("diversiteitskader_najaar_2025.xlsx", "diversiteitskader_voorjaar_2025_google_forms.csv")}


@pytest.fixture(scope="module", params=sorted(REPORTS))
def report(request):
    return _report(*REPORTS[request.param])


def _trace_types(report) -> set[str]:
    from analysis.report.charts import figure_for

    return {trace.type for slide in report.slides for spec in slide.charts
            for trace in figure_for(spec, report.instrument).data}


def bundled_traces() -> set[str]:
    """The trace types entry.js registers, and scatter, which plotly.js's core always holds."""
    return {"scatter", *re.findall(r"require\('plotly\.js/lib/(\w+)'\)", ENTRY.read_text())} - {"core"}


def test_bundle_is_the_plotly_js_that_plotly_python_speaks():
    head = PLOTLY_BUNDLE.read_text(encoding="utf-8")[:300]
    assert f"plotly.js v{get_plotlyjs_version()} " in head


def test_every_trace_type_in_the_charts_is_in_the_bundle():
    """Every go.<Trace> analysis/report/charts.py builds (dashboard-only charts too) is registered in the bundle."""
    import plotly.graph_objects as go
    from plotly.basedatatypes import BaseTraceType

    tree = ast.parse((ROOT / "analysis" / "report" / "charts.py").read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id == "go"}
    traces = {name.lower() for name in used
              if isinstance(getattr(go, name, None), type) and issubclass(getattr(go, name), BaseTraceType)}
    assert traces, "no trace classes found in analysis/report/charts.py"
    assert traces <= bundled_traces(), f"add {traces - bundled_traces()} to {ENTRY} and rebuild the bundle"


def test_report_uses_only_bundled_traces_and_stays_under_two_megabytes(report):
    assert _trace_types(report) <= bundled_traces()
    for for_print in (False, True):
        size = len(report_html(report, for_print=for_print).encode("utf-8"))
        assert size < MAX_BYTES, f"{size / 1e6:.2f} MB"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is required (REQUIRE_BROWSER) but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield instance
        instance.close()


def _open(browser, path: Path, width: int = 1280, height: int = 720):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # Offline means offline: any request leaving the file fails the test.
    page.route(re.compile(r"^https?://"), lambda route: (errors.append(f"request {route.request.url}"),
                                                          route.abort()))
    page.goto(path.as_uri())
    page.wait_for_function("[...document.querySelectorAll('.chart[id]')].every(c => c.querySelector('.main-svg'))",
                           timeout=30000)
    return page, errors


@pytest.mark.browser
@pytest.mark.parametrize("for_print", [False, True], ids=["hand-out", "print"])
def test_the_bundle_draws_every_chart_of_the_report(report, browser, tmp_path, for_print):
    path = tmp_path / "rapport.html"
    path.write_text(report_html(report, for_print=for_print), encoding="utf-8")
    page, errors = _open(browser, path)
    try:
        charts = page.locator(".chart[id]")
        assert charts.count() == sum(1 for slide in report.slides for spec in slide.charts
                                     if not (for_print and spec.kind == "group_heatmap"))
        drawn_types: set[str] = set()
        for index in range(charts.count()):
            chart = charts.nth(index)
            types = set(chart.evaluate("el => el.data.map(t => t.type || 'scatter')"))
            assert types, f"chart {index} has no traces"
            for trace_type in types:
                # A trace drawn leaves its SVG (or, for a heatmap, its image) in the chart, with a real size.
                drawn = chart.locator(DRAWN[trace_type])
                assert drawn.count() > 0, f"{trace_type} not drawn in chart {index}"
                # Some mark has a real size (a bar of 0% is a path of width 0, so not just the first one).
                sized = drawn.evaluate_all("els => els.some(e => { const b = e.getBoundingClientRect(); "
                                           "return b.width > 0 && b.height > 0; })")
                assert sized, f"{trace_type} empty in chart {index}"
            drawn_types |= types
        assert drawn_types == _trace_types(report) - ({"heatmap"} if for_print else set())
        assert page.evaluate("Plotly.version") == get_plotlyjs_version()
        assert errors == []
    finally:
        page.close()
