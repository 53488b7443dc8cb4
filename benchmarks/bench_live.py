"""Load benchmark of a live session (issue "Live bijeenkomst"): N phones answering the whole QuickScan at once.

Goals on this 2-core machine: 60 participants, each in its own browser context (360x740, touch), answer all
24 statements within 2 minutes; every answer lands (counted in the store); the facilitator's Live page shows
the final count within 5 s; the participant page's median time per answer (tap until the progress line counts
it) under 300 ms. Localhost only and bounded: a server on 127.0.0.1, at most --participants phones (capped at
MAX_PARTICIPANTS), everything stopped after --limit seconds.

Usage: ``python benchmarks/bench_live.py [--participants 60] [--concurrency 60] [--database-url URL|temp]``
(``temp`` starts a throw-away PostgreSQL server with tests/pg_server.py; default SQLite in a temporary folder).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-renderer-backgrounding",
        "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows"]
PHONE = {"user_agent": "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0.0.0 Mobile Safari/537.36",
         "viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
ORDER = [1, 2, 3, 4, 5, 0]  # the options on screen: Inactief .. Vergevorderd, then Onbekend
STATEMENTS = 24
MAX_PARTICIPANTS = 200
OUT = ROOT / "benchmarks" / "out"
IDLE = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
# The next statement is on screen when no option is chosen any more: the old radio can linger while a rerun runs,
# and one that had the focus is kept, hidden ("data-retained"), after the fragment run that left it out.
FRESH = ("!document.querySelector(\"[data-testid='stElementContainer']:not([data-retained]) [data-testid='stRadio'] "
         "input:checked\")")


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("streamlit did not start within 60 s")


async def idle(page) -> None:
    await page.wait_for_timeout(100)
    await page.wait_for_function(IDLE, timeout=60000)


async def participant(browser, url: str, number: int, start_delay: float, gate: asyncio.Semaphore,
                      loading: asyncio.Semaphore, timings: list, failures: list, retries: list,
                      think: tuple[float, float]) -> None:
    await asyncio.sleep(start_delay)
    async with gate:
        context = await browser.new_context(**PHONE)
        page = await context.new_page()
        try:
            # Opening the app (its JavaScript) is the heaviest step for a browser on two cores: a few at a time.
            async with loading:
                await page.goto(url, timeout=180000)
                await page.get_by_role("button", name="Beginnen").click(timeout=180000)
                await page.get_by_text(f"0 van {STATEMENTS} stellingen beantwoord").wait_for(timeout=180000)
                await idle(page)
            chooser = random.Random(number)
            for n in range(STATEMENTS):
                code = chooser.choice(ORDER)
                started = time.perf_counter()
                counted = page.get_by_text(f"{n + 1} van {STATEMENTS} stellingen beantwoord")
                await page.locator("[data-testid='stRadioOption']").nth(ORDER.index(code)).click()
                try:
                    await counted.wait_for(timeout=15000)
                except Exception:  # noqa: BLE001 - a tap that got lost: shown, then tapped again as a person would
                    OUT.mkdir(exist_ok=True)
                    await page.screenshot(path=str(OUT / f"bench_live_lost_tap_{number}_{n}.png"))
                    retries.append((number, n))
                    await idle(page)
                    await page.locator("[data-testid='stRadioOption']").nth(ORDER.index(code)).click()
                    await counted.wait_for(timeout=45000)
                timings.append((time.perf_counter() - started, time.perf_counter()))
                await page.wait_for_function(FRESH, timeout=60000)
                await idle(page)
                await page.wait_for_timeout(chooser.uniform(*think) * 1000)  # reading the next statement
        except Exception as exc:  # noqa: BLE001 - counted and reported, the others go on
            failures.append(f"deelnemer {number}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        finally:
            await context.close()


async def run(args, url: str, store, session) -> dict:
    from playwright.async_api import async_playwright

    expected = args.participants * STATEMENTS
    timings, failures, retries = [], [], []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        screen = await (await browser.new_context(viewport={"width": 1280, "height": 720})).new_page()
        await screen.goto(f"{url}/live")
        await screen.get_by_role("button", name="Verder").first.click()
        await screen.get_by_text("Deelnemers").wait_for(timeout=60000)
        gate, loading = asyncio.Semaphore(args.concurrency), asyncio.Semaphore(args.loading)
        join_url = f"{url}/deelnemen?code={session.join_code}"
        started = time.perf_counter()
        tasks = [participant(browser, join_url, n, n * args.ramp / max(args.participants, 1), gate, loading,
                             timings, failures, retries, tuple(args.think)) for n in range(args.participants)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.limit)
        except TimeoutError:
            failures.append(f"gestopt na {args.limit} s")
        elapsed = time.perf_counter() - started
        landed = store.answer_count(session.session_id)
        # The facilitator's screen: from the moment the store holds the final count until the page shows it.
        seen_after = None
        shown_from = time.perf_counter()
        try:
            await screen.locator("[data-testid='stMetricValue']").filter(has_text=str(landed)).first.wait_for(
                timeout=15000)
            seen_after = time.perf_counter() - shown_from
        except Exception:  # noqa: BLE001
            pass
        await browser.close()
    return {"expected": expected, "landed": landed, "elapsed": elapsed, "timings": timings, "failures": failures,
            "seen_after": seen_after, "retries": retries}


def report(args, result: dict, backend: str) -> int:
    timings = sorted(duration for duration, _ in result["timings"])
    moments = [finished for _, finished in result["timings"]]
    answering = max(moments) - min(moments) if moments else float("nan")
    median = statistics.median(timings) if timings else float("nan")
    p95 = timings[int(0.95 * (len(timings) - 1))] if timings else float("nan")
    seen = result["seen_after"]
    rows = [
        ("deelnemers (browsercontexten)", f"{args.participants}", ""),
        ("database", backend, ""),
        ("antwoorden in de store", f"{result['landed']} van {result['expected']}",
         "ok" if result["landed"] == result["expected"] else "TE WEINIG"),
        ("eerste tot laatste antwoord", f"{answering:.1f} s", "ok" if answering <= 120 else "te traag (doel 120 s)"),
        ("hele run (aankomst, laden, invullen)", f"{result['elapsed']:.1f} s", ""),
        ("mediaan per antwoord (tik tot geteld)", f"{median * 1000:.0f} ms",
         "ok" if median < 0.3 else "boven doel 300 ms"),
        ("95e percentiel per antwoord", f"{p95 * 1000:.0f} ms", ""),
        ("tikken opnieuw gedaan (verloren)", f"{len(result['retries'])}", "" if not result["retries"] else
         f"schermafdrukken in {OUT.relative_to(ROOT)}"),
        ("nieuwe telling op scherm begeleider", "niet gezien" if seen is None else f"{seen:.1f} s",
         "ok" if seen is not None and seen <= 5 else "boven doel 5 s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nbench_live: {args.participants} telefoons vullen de QuickScan in ({STATEMENTS} stellingen)")
    for name, value, verdict in rows:
        print(f"  {name:<{width}}  {value:>14}  {verdict}")
    print(f"MEDIAN_ANSWER_MS={median * 1000:.0f}")
    for failure in result["failures"][:10]:
        print(f"  ! {failure}")
    return 0 if result["landed"] == result["expected"] and not result["failures"] else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=60, help="phones answering at the same time")
    parser.add_argument("--ramp", type=float, default=30.0, help="seconds over which the phones arrive")
    parser.add_argument("--think", type=float, nargs=2, default=(1.5, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a person reads a statement before tapping (24 x 2.25 s: 54 s of reading)")
    parser.add_argument("--loading", type=int, default=6, help="phones opening the page at the same time")
    parser.add_argument("--limit", type=float, default=300.0, help="stop everything after this many seconds")
    parser.add_argument("--database-url", help="PostgreSQL URL, or 'temp' for a throw-away local server")
    args = parser.parse_args()
    args.participants = max(1, min(args.participants, MAX_PARTICIPANTS))

    pg = None
    env = {k: v for k, v in os.environ.items() if k not in ("QUICKSCAN_DATABASE_URL", "QUICKSCAN_DATA_DIR")}
    with tempfile.TemporaryDirectory(prefix="bench-live-") as data_dir:
        if args.database_url == "temp":
            from tests.pg_server import start_server as start_postgres

            pg = start_postgres()
            if pg is None:
                raise SystemExit("geen PostgreSQL-binaries gevonden (/usr/lib/postgresql/*/bin)")
            args.database_url = pg.new_database()
        if args.database_url:
            env["QUICKSCAN_DATABASE_URL"] = args.database_url
        else:
            env["QUICKSCAN_DATA_DIR"] = data_dir
        os.environ.pop("QUICKSCAN_DATABASE_URL", None)
        os.environ.update({k: v for k, v in env.items() if k.startswith("QUICKSCAN_")})
        from analysis.store.live import LiveStore

        store = LiveStore()
        session = store.create_session("Benchmark", "quickscan-dsb")
        server, url = start_server(env)
        try:
            result = asyncio.run(run(args, url, store, session))
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            if pg is not None:
                pg.stop()
        return report(args, result, "PostgreSQL" if args.database_url else "SQLite")


if __name__ == "__main__":
    raise SystemExit(main())
