"""Load benchmark of a live session (issue "Live bijeenkomst"): N phones answering the whole QuickScan at once.

Goals on this 2-core machine: 60 participants, each in its own browser context (360x740, touch), answer all
24 statements within 2 minutes; every answer lands (counted in the store); the facilitator's Live page shows
the final count within 5 s; the participant page's median time per answer (tap until the progress line counts
it and the next statement shows: what a participant waits for) under 300 ms. The page sends each answer in the
background from an outbox on the phone, so the phase ends only when every phone's outbox is empty, and only then
is the store counted; the round trip of those background requests is printed too. Localhost only and bounded: a
server (``app.py``) on 127.0.0.1, at most --participants phones (capped at MAX_PARTICIPANTS), everything stopped
after --limit seconds.

As in a meeting, the run has two phases. Arrival: every phone opens the join link and taps Beginnen (a few
pages at a time: opening the app is the heaviest step for the browser). Answering: at one signal every phone
answers the 24 statements, reading 1.5-3 s (--think) before each tap; the two-minute goal is for this phase.
One Chromium drives all phones, each a browser context of its own with real taps (images are not drawn).

Besides the goals it prints where the time went: CPU seconds of the server (dashboard and participant API),
of the Chromium that plays all the phones (and the facilitator's screen), and of everything else on the machine
(other people's work on a shared machine), per phase and per answer.

Usage: ``python benchmarks/bench_live.py [--participants 60] [--database-url URL|temp]
[--streamlit-option runner.postScriptGC=false ...]`` (``temp`` starts a throw-away PostgreSQL server with
tests/pg_server.py; default SQLite in a temporary folder).
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
        "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
        "--blink-settings=imagesEnabled=false"]
PHONE = {"user_agent": "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/120.0.0.0 Mobile Safari/537.36",
         "viewport": {"width": 360, "height": 740}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True,
         # The page forbids evaluating strings as script; the bench's own checks of the page are such strings.
         "bypass_csp": True}
ORDER = [1, 2, 3, 4, 5, 0]  # the options on screen: Inactief .. Vergevorderd, then Onbekend
STATEMENTS = 24
MAX_PARTICIPANTS = 200
OUT = ROOT / "benchmarks" / "out"
HZ = os.sysconf("SC_CLK_TCK")


# -- CPU accounting from /proc ---------------------------------------------------------------------------------
def _process_table() -> dict[int, tuple[int, float, str]]:
    """pid -> (parent pid, CPU seconds, command line) of every process now."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        table[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / HZ, command)
    return table


def _machine_cpu() -> float:
    """CPU seconds spent by the whole machine (all cores, not idle) since boot."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    return (sum(values) - values[3] - values[4]) / HZ  # minus idle and iowait


class CpuMeter:
    """CPU seconds of the server, of the browser (Chromium started by this process), of this script with its
    Playwright driver, and of the whole machine."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def sample(self) -> dict[str, float]:
        table = _process_table()
        me = os.getpid()

        def ours(pid: int) -> bool:
            for _ in range(20):
                if pid == me:
                    return True
                pid = table.get(pid, (0,))[0]
                if pid <= 1:
                    return False
            return False

        mine = [(pid, cpu, command) for pid, (_, cpu, command) in table.items()
                if pid != me and pid != self.server_pid and ours(pid)]
        browser = sum(cpu for _, cpu, command in mine if "chrom" in command)
        driver = sum(cpu for _, cpu, command in mine if "chrom" not in command)  # Playwright's node driver
        times = os.times()
        return {"server": table.get(self.server_pid, (0, 0.0))[1], "browser": browser,
                "bench": times.user + times.system + driver, "machine": _machine_cpu(), "wall": time.perf_counter()}

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        spent = {key: after[key] - before[key] for key in before}
        spent["other"] = max(spent["machine"] - spent["server"] - spent["browser"] - spent["bench"], 0.0)
        return spent


def progress(line: str) -> None:
    print(f"  .. {line}", file=sys.stderr, flush=True)


# -- the server and the phones ---------------------------------------------------------------------------------
def start_server(env: dict, options: list[str]) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    extra = [f"--{option.split('=', 1)[0]}={option.split('=', 1)[1]}" for option in options]
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true", *extra], cwd=ROOT,
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


# Resolves once the page shows TEXTS and no chosen option, or with false after MS milliseconds. The page tells by
# itself (a MutationObserver): looking at sixty pages every few milliseconds from outside cost the one Chromium
# more CPU than the pages' own work, and no phone in a room pays it.
SHOWN = """([texts, ms]) => new Promise((resolve) => {
  const done = () => texts.every((text) => document.body.textContent.includes(text))
    && !document.querySelector('fieldset input:checked');
  if (done()) { resolve(true); return; }
  const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(true); } });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  setTimeout(() => { observer.disconnect(); resolve(done()); }, ms);
})"""


# Where the option is on screen, scrolled into view first as a thumb would. A real mouse event is then sent at
# that point: Playwright's click() also waits for the element to be stable over animation frames and checks what
# is under the pointer, which cost the one Chromium ~12 ms of CPU and ~100 ms of latency per tap at 20 phones.
WHERE = """(n) => {
  const option = document.querySelectorAll('fieldset .option')[n];  // ui/participant/static/page.js
  option.scrollIntoView({block: 'nearest'});
  const box = option.getBoundingClientRect();
  return [box.x + box.width / 2, box.y + box.height / 2];
}"""


async def tap(page, n: int) -> None:
    x, y = await page.evaluate(WHERE, n)
    await page.mouse.click(x, y)


def counted_texts(n: int) -> list[str]:
    """The progress line says N statements are answered, and the next statement (or the end) is on screen."""
    return [f"{n} van {STATEMENTS} stellingen beantwoord",
            f"Stelling {n + 1} van {STATEMENTS}" if n < STATEMENTS else "Klaar?"]


async def shown(page, texts: list[str], seconds: float) -> bool:
    return await page.evaluate(SHOWN, [texts, int(seconds * 1000)])


# Resolves true once the phone's outbox (answers given and not yet taken by the server, in localStorage) is empty,
# or false after MS milliseconds.
DRAINED = """(ms) => new Promise((resolve) => {
  const empty = () => !Object.keys(localStorage).some((key) => key.startsWith('quickscan-live-outbox-'));
  const until = Date.now() + ms;
  const look = () => {
    if (empty()) resolve(true); else if (Date.now() > until) resolve(false); else setTimeout(look, 100);
  };
  look();
})"""

# The background requests that carried this phone's answers: milliseconds from sending until the reply.
ROUND_TRIPS = """() => performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/answer'))
  .map((entry) => entry.responseEnd - entry.startTime)"""


async def arrive(browser, url: str, number: int, loading: asyncio.Semaphore, failures: list):
    """Open the join link and tap Beginnen; the page (or None when it failed) is ready at statement 1.

    A phone's browser is made when its turn comes: sixty made at once kept the one Chromium busy for a minute
    before the first page could open."""
    async with loading:
        context = await browser.new_context(**PHONE)
    try:
        async with loading:
            page = await context.new_page()
            await page.goto(url, timeout=180000)
            await page.get_by_role("button", name="Beginnen").click(timeout=180000)
            await page.get_by_text(f"0 van {STATEMENTS} stellingen beantwoord").wait_for(timeout=180000)
        return context, page
    except Exception as exc:  # noqa: BLE001 - counted and reported, the others go on
        failures.append(f"deelnemer {number} (aankomst): {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        await context.close()
        return None


async def answer_all(page, number: int, timings: list, failures: list, retries: list,
                     think: tuple[float, float]) -> None:
    chooser = random.Random(number)
    try:
        await page.wait_for_timeout(chooser.uniform(0, think[1]) * 1000)  # not all at the same instant
        for n in range(STATEMENTS):
            code = chooser.choice(ORDER)
            started = time.perf_counter()
            counted = counted_texts(n + 1)
            await tap(page, ORDER.index(code))
            if not await shown(page, counted, 15):  # not counted in 15 s: shown, and tapped again if it got lost
                OUT.mkdir(exist_ok=True)
                await page.screenshot(path=str(OUT / f"bench_live_slow_tap_{number}_{n}.png"))
                retries.append((number, n))
                await tap(page, ORDER.index(code))
                if not await shown(page, counted, 45):
                    raise TimeoutError(f"antwoord {n + 1} niet geteld na 60 s")
            timings.append((time.perf_counter() - started, time.perf_counter()))
            await page.wait_for_timeout(chooser.uniform(*think) * 1000)  # reading the next statement
    except Exception as exc:  # noqa: BLE001 - counted and reported, the others go on
        failures.append(f"deelnemer {number}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")


async def run(args, url: str, store, session, meter: CpuMeter) -> dict:
    from playwright.async_api import async_playwright

    timings, failures, retries = [], [], []
    result = {"expected": args.participants * STATEMENTS, "timings": timings, "failures": failures,
              "retries": retries, "seen_after": None}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        screen = await (await browser.new_context(viewport={"width": 1280, "height": 720})).new_page()
        await screen.goto(f"{url}/live")
        await screen.get_by_role("button", name="Verder").first.click()
        await screen.get_by_text("Deelnemers").wait_for(timeout=60000)
        join_url = f"{url}/deelnemen?code={session.join_code}"
        deadline = time.perf_counter() + args.limit

        # Arrival: every phone opens the page and joins, a few at a time.
        before = meter.sample()
        loading = asyncio.Semaphore(args.loading)
        arrivals = [asyncio.ensure_future(arrive(browser, join_url, n, loading, failures))
                    for n in range(args.participants)]
        pending = set(arrivals)
        while pending and time.perf_counter() < deadline:
            _, pending = await asyncio.wait(pending, timeout=min(15.0, max(deadline - time.perf_counter(), 0.1)))
            progress(f"aankomst: {len(arrivals) - len(pending)} van {args.participants} telefoons binnen na "
                     f"{time.perf_counter() - before['wall']:.0f} s")
        for task in pending:
            task.cancel()
        if pending:
            failures.append(f"aankomst gestopt na {args.limit:.0f} s: {len(pending)} telefoons niet binnen")
            await asyncio.gather(*pending, return_exceptions=True)
        phones = [task.result() if task.done() and not task.cancelled() else None for task in arrivals]
        arrived = meter.sample()
        ready = [(n, phone) for n, phone in enumerate(phones) if phone is not None]
        result.update(joined=len(ready), arrival=CpuMeter.spent(before, arrived))

        # Answering: at one signal, every phone that joined answers the whole QuickScan.
        tasks = {asyncio.ensure_future(answer_all(page, n, timings, failures, retries, tuple(args.think)))
                 for n, (_, page) in ready}
        while tasks and time.perf_counter() < deadline:
            _, tasks = await asyncio.wait(tasks, timeout=min(15.0, max(deadline - time.perf_counter(), 0.1)))
            progress(f"invullen: {len(timings)} antwoorden na {time.perf_counter() - arrived['wall']:.0f} s")
        if tasks:
            failures.append(f"invullen gestopt na in totaal {args.limit:.0f} s")
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        # The last taps' answers may still be on their way: every phone's outbox must be empty before counting.
        tapped = time.perf_counter()
        waiting = [page for _, (_, page) in ready]
        emptied = await asyncio.gather(*(page.evaluate(DRAINED, int(max(deadline - tapped, 1) * 1000))
                                         for page in waiting), return_exceptions=True)
        result["drain"] = time.perf_counter() - tapped
        unsent = sum(outcome is not True for outcome in emptied)
        if unsent:
            failures.append(f"{unsent} telefoons hielden antwoorden die niet verstuurd konden worden")
        answered = meter.sample()
        result["answering"] = CpuMeter.spent(arrived, answered)
        result["landed"] = store.answer_count(session.session_id)
        trips = await asyncio.gather(*(page.evaluate(ROUND_TRIPS) for page in waiting), return_exceptions=True)
        result["round_trips"] = [ms / 1000 for per_phone in trips if isinstance(per_phone, list) for ms in per_phone]
        # The facilitator's screen: from the moment the store holds the final count until the page shows it.
        shown_from = time.perf_counter()
        try:
            await screen.locator("[data-testid='stMetricValue']").filter(has_text=str(result["landed"])).first \
                .wait_for(timeout=15000)
            result["seen_after"] = time.perf_counter() - shown_from
        except Exception:  # noqa: BLE001 - reported as not seen
            pass
        for phone in phones:
            if phone is not None:
                await phone[0].close()
        await browser.close()
    return result


# -- the report ------------------------------------------------------------------------------------------------
def _cpu_line(spent: dict, per: int, what: str) -> str:
    wall = spent["wall"]
    parts = [f"{name} {spent[name]:.0f} s ({100 * spent[name] / wall:.0f}%)"
             for name in ("server", "browser", "bench", "other")]
    line = f"{wall:.0f} s wall; CPU: " + ", ".join(parts)
    if per:
        line += (f"; per {what}: server {1000 * spent['server'] / per:.0f} ms, "
                 f"browser {1000 * spent['browser'] / per:.0f} ms")
    return line


def report(args, result: dict, backend: str) -> int:
    timings = sorted(duration for duration, _ in result["timings"])
    median = statistics.median(timings) if timings else float("nan")
    p95 = timings[int(0.95 * (len(timings) - 1))] if timings else float("nan")
    window = result["answering"]["wall"]
    seen = result["seen_after"]
    trips = sorted(result["round_trips"])
    trip = statistics.median(trips) if trips else float("nan")
    trip95 = trips[int(0.95 * (len(trips) - 1))] if trips else float("nan")
    rows = [
        ("deelnemers (browsercontexten)", f"{result['joined']} van {args.participants}",
         "ok" if result["joined"] == args.participants else "NIET ALLEN BINNEN"),
        ("database", backend, ""),
        ("aankomst (openen + Beginnen)", f"{result['arrival']['wall']:.1f} s", f"{args.loading} tegelijk"),
        ("antwoorden in de store", f"{result['landed']} van {result['expected']}",
         "ok" if result["landed"] == result["expected"] else "TE WEINIG"),
        ("invullen, start tot laatste antwoord in de store", f"{window:.1f} s",
         "ok" if window <= 120 and result["landed"] == result["expected"] else
         "te traag (doel 120 s)" if window > 120 else "niet alles ingevuld"),
        ("mediaan per antwoord (tik tot volgende stelling)", f"{median * 1000:.0f} ms",
         "ok" if median < 0.3 else "boven doel 300 ms"),
        ("95e percentiel per antwoord", f"{p95 * 1000:.0f} ms", ""),
        ("na de laatste tik nog verstuurd (outboxen leeg)", f"{result['drain']:.1f} s", ""),
        ("verzenden op de achtergrond, mediaan / 95e pct", f"{trip * 1000:.0f} / {trip95 * 1000:.0f} ms",
         f"{len(trips)} verzoeken"),
        ("tikken opnieuw gedaan (na 15 s niet geteld)", f"{len(result['retries'])}", "" if not result["retries"]
         else f"schermafdrukken in {OUT.relative_to(ROOT)}"),
        ("nieuwe telling op scherm begeleider", "niet gezien" if seen is None else f"{seen:.1f} s",
         "ok" if seen is not None and seen <= 5 else "boven doel 5 s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nbench_live: {args.participants} telefoons vullen de QuickScan in ({STATEMENTS} stellingen), "
          f"{os.cpu_count()} cores, denktijd {args.think[0]}-{args.think[1]} s"
          + (f", streamlit {' '.join(args.streamlit_option)}" if args.streamlit_option else ""))
    for name, value, verdict in rows:
        print(f"  {name:<{width}}  {value:>14}  {verdict}")
    print(f"  waar de tijd heen ging (aankomst): {_cpu_line(result['arrival'], result['joined'], 'telefoon')}")
    print(f"  waar de tijd heen ging (invullen): {_cpu_line(result['answering'], len(timings), 'antwoord')}")
    print(f"  belasting van de machine bij de start: {result['load']}")
    print(f"MEDIAN_ANSWER_MS={median * 1000:.0f}")
    for failure in result["failures"][:10]:
        print(f"  ! {failure}")
    return 0 if result["landed"] == result["expected"] and not result["failures"] else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=(1.5, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a person reads a statement before tapping (24 x 2.25 s: 54 s of reading)")
    parser.add_argument("--loading", type=int, default=6, help="phones opening the page at the same time")
    parser.add_argument("--limit", type=float, default=400.0, help="stop everything after this many seconds")
    parser.add_argument("--database-url", help="PostgreSQL URL, or 'temp' for a throw-away local server")
    parser.add_argument("--streamlit-option", action="append", default=[], metavar="NAME=VALUE",
                        help="a server option for this run, e.g. runner.postScriptGC=false (repeatable)")
    args = parser.parse_args()
    args.participants = max(1, min(args.participants, MAX_PARTICIPANTS))
    if any("=" not in option for option in args.streamlit_option):
        parser.error("--streamlit-option needs NAME=VALUE")

    pg = None
    env = {k: v for k, v in os.environ.items() if k not in ("QUICKSCAN_DATABASE_URL", "QUICKSCAN_DATA_DIR")}
    with tempfile.TemporaryDirectory(prefix="bench-live-") as data_dir:
        if args.database_url == "temp":
            from tests.pg_server import start_server as start_postgres

            pg = start_postgres()
            if pg is None:
                raise SystemExit("geen PostgreSQL-binaries gevonden (/usr/lib/postgresql/*/bin)")
            args.database_url = pg.new_database()
        try:
            if args.database_url:
                env["QUICKSCAN_DATABASE_URL"] = args.database_url
            else:
                env["QUICKSCAN_DATA_DIR"] = data_dir
            os.environ.pop("QUICKSCAN_DATABASE_URL", None)
            os.environ.update({k: v for k, v in env.items() if k.startswith("QUICKSCAN_")})
            from analysis.store.live import LiveStore

            store = LiveStore()
            session = store.create_session("Benchmark", "quickscan-dsb")
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            server, url = start_server(env, args.streamlit_option)
            try:
                result = asyncio.run(run(args, url, store, session, CpuMeter(server.pid)))
                result["load"] = f"load average {load} (1, 5, 15 min)"
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
        finally:
            if pg is not None:
                pg.stop()
        return report(args, result, "PostgreSQL" if args.database_url else "SQLite")


if __name__ == "__main__":
    raise SystemExit(main())
