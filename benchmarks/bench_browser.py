"""Benchmark in a real browser: upload -> overview radar drawn, and page switches afterwards.

Goal (issue "Dashboard"): upload to radar under 2 s for 10k respondents, page switch under 0.5 s.
Each size runs in a fresh browser context (no cache), starting on the Gegevens page once it has
been drawn; the clock runs from choosing the file to the overview radar, including the click.
Page switches are timed over a few rounds through the pages: the median is the everyday figure,
the first visit of a page (Python imports, first chart of its kind) is printed beside it.
The speed a user feels (issue 11) is timed first: a first visit until the overview's charts are drawn
(goal < 2 s, with a line saying where its time went), opening a saved round from Meetrondes until the
overview shows it (< 1 s), and a page switch (< 0.5 s); each in a fresh browser context on a server whose
round store holds the two sample rounds.
Starts ``streamlit run`` on a free localhost port and drives Debian's chromium with Playwright.
On a warm server the feel is timed in --repeat fresh sessions (default 3) and the median printed beside each.
Usage: ``python benchmarks/bench_browser.py [--sizes 1000 10000] [--feel-only] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_ingest import make_file  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ROUNDS = 4
PAGES = [("Stellingen", "text=Stelling in detail"), ("Teams", "text=Verschil met de hele organisatie"),
         ("Aan de slag", "text=Actielijst downloaden"), ("Overzicht", "text=Rapport downloaden")]
CHART_PAGES = {"Stellingen", "Teams", "Overzicht"}
IDLE = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"


def save_sample_rounds(data_dir: str) -> None:
    for name, date in (("voorjaar", "2025-04-07"), ("najaar", "2025-10-06")):
        subprocess.run([sys.executable, "-m", "analysis", "rounds", "save", f"sample_data/ronde_2025_{name}.xlsx",
                        "--organisation", "Gemeente Voorbeeldstad", "--name", name.capitalize() + " 2025", "--date",
                        date, "--data-dir", data_dir], cwd=ROOT, check=True, capture_output=True)


def start_server(data_dir: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "QUICKSCAN_DATA_DIR": data_dir})
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.3)
    raise SystemExit("streamlit did not start")


def settle(page) -> None:
    page.wait_for_timeout(100)
    page.wait_for_function(IDLE, timeout=60000)


def measure(browser, url: str, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{url}/gegevens")
    settle(page)
    # The user sees the page (with the sample data's chart) before choosing a file.
    page.locator(".js-plotly-plot .barlayer").first.wait_for(timeout=60000)
    start = time.perf_counter()
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text(f"Bestand: {path.name}").wait_for(timeout=60000)
    settle(page)
    page.get_by_role("link", name="Overzicht").first.click()
    page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=60000)
    upload_to_radar = time.perf_counter() - start
    switches: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        # The last thing each page draws: the switch counts as done when that is on screen.
        for name, marker in PAGES:
            start = time.perf_counter()
            page.get_by_role("link", name=name).first.click()
            page.get_by_role("heading", name=name).first.wait_for(timeout=60000)
            page.locator(marker).first.wait_for(timeout=60000)
            if name in CHART_PAGES:
                page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60000)
            # The new page's heading proves its rerun started, so no pause before the idle check here.
            page.wait_for_function(IDLE, timeout=60000)
            switches.setdefault(name, []).append(time.perf_counter() - start)
            page.wait_for_timeout(300)  # a person looks at the page before clicking on
    page.close()
    return {"upload_to_radar": upload_to_radar, "switches": switches}


RADAR = ".js-plotly-plot .scatterlayer .trace"
# Where a first visit's time goes, from the browser's own clock (ms since the navigation started): the page and
# Streamlit's frontend code loaded, and the JavaScript file that holds plotly.js (Streamlit's PlotlyChart chunk,
# 4.7 MB, or a partial bundle) fetched.
FIRST_VISIT_JS = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const plotly = performance.getEntriesByType('resource').filter(r => /plotly/i.test(r.name));
  const scripts = performance.getEntriesByType('resource').filter(r => /[.]js$/.test(r.name));
  return {frontend: nav.domContentLoadedEventEnd / 1000,
          plotly_start: plotly.length ? plotly[0].startTime / 1000 : null,
          plotly_end: plotly.length ? plotly[0].responseEnd / 1000 : null,
          plotly_mb: plotly.length ? plotly[0].decodedBodySize / 1e6 : null,
          js_mb: scripts.reduce((sum, r) => sum + r.decodedBodySize, 0) / 1e6};
})()"""


def feel(browser, url: str) -> dict[str, float]:
    """First visit, opening a saved round, and switching pages, as a new user meets them (fresh context)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    # The page's own CPU time (Chromium's Performance domain): unlike the clock, hardly changed by other work on
    # the machine, so a before/after comparison on a busy machine still means something.
    devtools = context.new_cdp_session(page)
    devtools.send("Performance.enable")
    start = time.perf_counter()
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60000)
    heading = time.perf_counter() - start
    page.locator(RADAR).first.wait_for(timeout=60000)
    first_visit = time.perf_counter() - start
    timings = page.evaluate(FIRST_VISIT_JS)
    metrics = {m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]}
    timings.update(cpu=metrics.get("ProcessTime", 0.0), script=metrics.get("ScriptDuration", 0.0))
    settle(page)
    page.get_by_role("link", name="Meetrondes").first.click()
    page.get_by_role("button", name="Openen in het dashboard").wait_for(timeout=60000)
    settle(page)
    start = time.perf_counter()
    page.get_by_role("button", name="Openen in het dashboard").click()
    page.get_by_text("40", exact=True).first.wait_for(timeout=60000)  # the spring round's respondents on Overzicht
    page.locator(RADAR).first.wait_for(timeout=60000)
    settle(page)
    open_round = time.perf_counter() - start
    switches = []
    for _ in range(ROUNDS):
        for name, marker in PAGES:
            start = time.perf_counter()
            page.get_by_role("link", name=name).first.click()
            page.get_by_role("heading", name=name).first.wait_for(timeout=60000)
            page.locator(marker).first.wait_for(timeout=60000)
            page.wait_for_function(IDLE, timeout=60000)
            switches.append(time.perf_counter() - start)
            page.wait_for_timeout(300)
    context.close()
    return {"first_visit": first_visit, "open_round": open_round, "switch_median": statistics.median(switches),
            "switch_max": max(switches), "breakdown": {"heading": heading, **timings}}


GOALS = {"first_visit": ("eerste bezoek tot grafieken", 2.0), "open_round": ("meetronde openen", 1.0),
         "switch_median": ("paginawissel (mediaan)", 0.5), "switch_max": ("paginawissel (max)", 0.5)}


def print_feel(result: dict[str, float]) -> None:
    print(f"{'wat':<30}{'s':>7}{'doel s':>9}  gehaald")
    for key, (label, goal) in GOALS.items():
        print(f"{label:<30}{result[key]:>7.2f}{goal:>9.1f}  {'ja' if result[key] < goal else 'nee'}", flush=True)
    parts = result["breakdown"]
    plotly = ""
    if parts["plotly_start"] is not None:
        plotly = (f"plotly.js ({parts['plotly_mb']:.1f} MB) opgehaald {parts['plotly_start']:.2f}-"
                  f"{parts['plotly_end']:.2f} s, ")
    print(f"  eerste bezoek: frontend geladen {parts['frontend']:.2f} s (JavaScript samen {parts['js_mb']:.1f} MB), "
          f"titel {parts['heading']:.2f} s, {plotly}grafiek getekend {result['first_visit']:.2f} s; "
          f"processortijd van de pagina {parts['cpu']:.2f} s, tijd in JavaScript {parts['script']:.2f} s", flush=True)


def print_medians(results: list[dict[str, float]]) -> None:
    """The median of several warm sessions: on a shared machine one session can be slowed by anything else."""
    print(f"Mediaan van {len(results)} sessies op de warme server:")
    print(f"{'wat':<30}{'s':>7}{'doel s':>9}  gehaald   (alle sessies)")
    for key, (label, goal) in GOALS.items():
        values = [r[key] for r in results]
        middle = statistics.median(values)
        print(f"{label:<30}{middle:>7.2f}{goal:>9.1f}  {'ja' if middle < goal else 'nee':<8}  "
              f"({', '.join(f'{v:.2f}' for v in values)})", flush=True)
    for key, label in (("cpu", "processortijd eerste bezoek"), ("script", "tijd in JavaScript")):
        values = [r["breakdown"][key] for r in results]
        listed = ", ".join(f"{v:.2f}" for v in values)
        print(f"{label:<30}{statistics.median(values):>7.2f}{'':>9}  {'':<8}  ({listed})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--feel-only", action="store_true", help="only first visit, open a round, page switch")
    parser.add_argument("--repeat", type=int, default=3, help="sessions on the warm server (the median is printed)")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="bench-meetrondes-")
    save_sample_rounds(data_dir)
    process, url = start_server(data_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            # The first session after a server start also pays Python's imports; a user usually meets a warm server.
            print("Koude server (eerste sessie na het starten):")
            print_feel(feel(browser, url))
            warm = []
            for number in range(1, args.repeat + 1):
                print(f"Warme server (nieuwe sessie, nieuwe browsercontext), sessie {number}:")
                warm.append(feel(browser, url))
                print_feel(warm[-1])
            print_medians(warm)
            if args.feel_only:
                browser.close()
                return
            print(f"{'respondenten':>12} {'upload→radar s':>15}  paginawissels in s: mediaan (eerste bezoek, max) "
                  f"over {ROUNDS} rondes")
            for n in args.sizes:
                result = measure(browser, url, make_file(n))
                switches = "  ".join(f"{name}: {statistics.median(times):.2f} ({times[0]:.2f}, {max(times):.2f})"
                                     for name, times in result["switches"].items())
                print(f"{n:>12,} {result['upload_to_radar']:>15.2f}  {switches}", flush=True)
            browser.close()
    finally:
        process.terminate()


if __name__ == "__main__":
    main()
