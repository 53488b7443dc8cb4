"""Benchmark: time to build each export for the sample data, and PNG per chart once warm.

Goal (issue "Presentation and exports"): each export under 5 s, the PDF under 2 s and the offline HTML
under 2 MB (issue 11); a PNG under 0.5 s per chart once
the render server runs. Each export is timed from the summary to the finished bytes (the report
model included), best of a few runs. The PDF is printed by a Chromium kept running (to_pdf.PdfPrinter): its
first PDF, which starts that Chromium, is printed apart; beside the warm figure, the Python part (report model
and charts, which Chromium draws while the next is built) and, to compare, printing the whole print HTML.
Usage: ``python benchmarks/bench_exports.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plotly.offline import get_plotlyjs  # noqa: E402
from timing import best  # noqa: E402

from analysis.ingest.dataset import ingest_file  # noqa: E402
from analysis.report.charts import figure_for  # noqa: E402
from analysis.report.exports.to_html import plotly_js, report_html, report_page  # noqa: E402
from analysis.report.exports.to_pdf import find_chromium, printer, report_pdf  # noqa: E402
from analysis.report.exports.to_png import ChartImages  # noqa: E402
from analysis.report.exports.to_pptx import report_pptx  # noqa: E402
from analysis.report.exports.to_xlsx import report_xlsx  # noqa: E402
from analysis.report.model import build_report  # noqa: E402
from analysis.scoring.summary import summarize  # noqa: E402

SAMPLE = ROOT / "sample_data" / "quickscan_voorbeeld.xlsx"
EXPORTS = {"HTML": lambda s: report_html(build_report(s, SAMPLE.name)),
           "PowerPoint": lambda s: report_pptx(build_report(s, SAMPLE.name)),
           "Excel": lambda s: report_xlsx(build_report(s, SAMPLE.name)),
           "PDF": lambda s: report_pdf(build_report(s, SAMPLE.name))}
GOALS = {"PDF": 2}
DRAWN = "[...document.querySelectorAll('.chart[id]')].every(c => c.querySelector('.main-svg'))"


def open_seconds(html: str, chromium: str) -> float:
    """Seconds from opening the hand-out in a new Chromium tab to every chart drawn (Chromium already running)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        path = Path(directory) / "rapport.html"
        path.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(DRAWN, timeout=60000)
        seconds = time.perf_counter() - start
        browser.close()
        return seconds  # seconds; issue 11: a facilitator waits for the PDF before a meeting



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    summary = summarize(ingest_file(SAMPLE), "In welk team werkt u?")
    chromium = find_chromium()
    print(f"Voorbeelddata: {summary.respondents} respondenten; Chromium: {chromium or 'niet gevonden'}")
    for name, export in EXPORTS.items():
        if name == "PDF" and not chromium:
            print(f"{name:<12} overgeslagen (geen Chromium)")
            continue
        if name == "PDF":
            start = time.perf_counter()
            export(summary)
            print(f"{'PDF koud':<12} {time.perf_counter() - start:6.2f} s   (eerste PDF: Chromium starten)")
        seconds = best(lambda export=export: export(summary), args.repeat)
        print(f"{name:<12} {seconds:6.2f} s   (doel < {GOALS.get(name, 5)} s)")
    if chromium:
        python = best(lambda: dict(report_page(build_report(summary, SAMPLE.name), for_print=True).figures()),
                      args.repeat)
        html = report_html(build_report(summary, SAMPLE.name), for_print=True)
        whole = best(lambda: printer(chromium).pdf(html), args.repeat)
        print(f"  waarvan    {python:6.2f} s rapport en grafieken bouwen in Python (Chromium tekent ondertussen); "
              f"ter vergelijking: de hele print-HTML laden en printen {whole:.2f} s")
    handout = report_html(build_report(summary, SAMPLE.name))
    size = len(handout.encode("utf-8")) / 1e6
    print(f"HTML grootte {size:6.2f} MB  (doel < 2 MB: het uitdeelbestand)")
    if chromium:
        full = handout.replace(plotly_js(), get_plotlyjs())  # the same hand-out with the whole plotly.js, as before
        opened, before = (best(lambda html=html: open_seconds(html, chromium), args.repeat) for html in (handout, full))
        print(f"HTML openen  {opened:6.2f} s   (tot elke grafiek getekend, Chromium; met de hele plotly.js "
              f"{before:.2f} s)")
    if not chromium:
        print("PNG          overgeslagen (geen Chromium)")
        return
    report = build_report(summary, SAMPLE.name)
    figures = [figure_for(spec, report.instrument) for slide in report.slides for spec in slide.charts]
    renderer = ChartImages(chromium)
    start = time.perf_counter()
    renderer.png(figures[0])
    cold = time.perf_counter() - start
    warm = []
    for figure in figures:
        start = time.perf_counter()
        renderer.png(figure)
        warm.append(time.perf_counter() - start)
    renderer.close()
    print(f"PNG koud     {cold:6.2f} s   (render-server starten + eerste grafiek)")
    print(f"PNG warm     {statistics.median(warm):6.2f} s mediaan, {max(warm):.2f} s max over {len(warm)} "
          "grafieken   (doel < 0,5 s)")


if __name__ == "__main__":
    main()
