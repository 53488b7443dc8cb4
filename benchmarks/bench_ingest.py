"""Benchmark: ingest + scoring against the plain read of the same file by the library we read it with.

csv against pyarrow's read_csv (goal: within 2x at 100k and 1M respondents); xlsx shaped like a
Microsoft Forms export against python-calamine's plain read of the sheet (goal: within 1.5x at 10k
and 100k); both growing linearly. Each measurement runs in a fresh process so its peak memory
(ru_maxrss) is its own; the best of a few runs counts. Seconds are wall-clock; CPU seconds (all threads of
the process) are printed too, because on a shared machine they vary much less. ``--load`` adds a second
table measured with two identical processes running at once (each side competes with a copy of itself), as on
a busy server. Usage:
``python benchmarks/bench_ingest.py [--sizes 1000 ...] [--xlsx-sizes 1000 10000 100000] [--repeat 3] [--load]``
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
LABELS = ["Inactief", "Startend", "Goed op weg", "Gevorderd", "Vergevorderd", "Onbekend/n.v.t.", ""]
TEAMS = ["Team Noord", "Team Zuid", "Team Oost", "Team West", "Team Centrum"]

MEASURE = r"""
import json, resource, sys, time
import pyarrow.csv as pacsv
from analysis.ingest.dataset import ingest_file
from analysis.scoring.summary import summarize
import python_calamine
kind, path = sys.argv[1], sys.argv[2]
start, cpu = time.perf_counter(), time.process_time()  # imports are outside the timing: both sides pay them
if kind == "pyarrow":
    table = pacsv.read_csv(path)
    rows = table.num_rows
elif kind == "calamine":
    book = python_calamine.CalamineWorkbook.from_path(path)
    rows = len(book.get_sheet_by_index(0).to_python(skip_empty_area=False)) - 1
else:
    dataset = ingest_file(path)
    summary = summarize(dataset, "Team")
    rows = summary.respondents
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_file(n: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"wide_{n}.csv"
    if path.exists():
        return path
    rng = random.Random(n)
    header = "Team," + ",".join(f"Stelling {i}" for i in range(1, 25)) + "\n"
    # A few thousand distinct rows repeated keeps generation fast while cells still vary.
    pool = [",".join([rng.choice(TEAMS)] + [rng.choices(LABELS, weights=[2, 4, 6, 5, 2, 1, 1])[0]
                                           for _ in range(24)]) + "\n" for _ in range(5000)]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        for start in range(0, n, len(pool)):
            handle.writelines(pool[: min(len(pool), n - start)])
    return path


def make_xlsx(n: int) -> Path:
    """Microsoft Forms-like: id, times, e-mail, name, team, function, then the statements' full texts."""
    import datetime as dt

    import xlsxwriter
    import yaml

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"msforms_{n}.xlsx"
    if path.exists():
        return path
    texts = [s["text"] for s in yaml.safe_load((ROOT / "instruments" / "quickscan_dsb.yaml").read_text("utf-8"))
             ["statements"]]
    rng = random.Random(n)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Form1")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_row(0, 0, ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Team", "Functie"] + texts)
    start = dt.datetime(2025, 3, 1, 9, 0)
    for r in range(1, n + 1):
        sheet.write_number(r, 0, r)
        sheet.write_datetime(r, 1, start, when)
        sheet.write_datetime(r, 2, start + dt.timedelta(minutes=12), when)
        sheet.write_string(r, 3, "anonymous")
        sheet.write_string(r, 5, rng.choice(TEAMS))
        sheet.write_string(r, 6, rng.choice(["Klantmanager", "Jobcoach", "Teamleider"]))
        for c in range(24):
            label = rng.choices(LABELS, weights=[2, 4, 6, 5, 2, 1, 1])[0]
            if label:
                sheet.write_string(r, 7 + c, label)
    book.close()
    return path


def run_once(kind: str, path: Path, copies: int) -> dict:
    """One run; with COPIES > 1 that many identical processes run at once and the slowest counts."""
    processes = [subprocess.Popen([sys.executable, "-c", MEASURE, kind, str(path)], stdout=subprocess.PIPE,
                                  text=True, cwd=ROOT) for _ in range(copies)]
    results = []
    for process in processes:
        output, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"meting mislukt ({kind}, {path.name}): exit {process.returncode}")
        results.append(json.loads(output))
    return max(results, key=lambda r: r["seconds"])


def measure(kinds: tuple[str, str], path: Path, repeat: int, copies: int = 1) -> list[dict]:
    """Best of REPEAT runs per kind. The kinds take turns, so a busy spell of a shared machine falls on both
    sides instead of on whichever happened to run then."""
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for _ in range(repeat):
        for kind in kinds:
            runs[kind].append(run_once(kind, path, copies))
    return [{**min(runs[k], key=lambda r: r["seconds"]), "cpu": min(r["cpu"] for r in runs[k])} for k in kinds]


def print_table(runs, repeat: int, copies: int) -> None:
    print(f"{'bestand':<6} {'respondenten':>12} {'MB':>7} {'kaal s':>8} {'ingest+score s':>15} {'ratio':>6} "
          f"{'cpu ratio':>9} {'piek MB kaal':>13} {'piek MB ons':>12} {'s per 100k':>11}")
    for label, plain_kind, n, make in runs:
        path = make(n)
        plain, ours = measure((plain_kind, "ingest"), path, repeat, copies)
        assert ours["rows"] == plain["rows"] == n, (ours, plain)
        print(f"{label:<6} {n:>12,} {path.stat().st_size / 1e6:>7.1f} {plain['seconds']:>8.3f} "
              f"{ours['seconds']:>15.3f} {ours['seconds'] / plain['seconds']:>6.2f} "
              f"{ours['cpu'] / max(plain['cpu'], 1e-9):>9.2f} {plain['peak_mb']:>13.0f} "
              f"{ours['peak_mb']:>12.0f} {ours['seconds'] / n * 1e5:>11.3f}", flush=True)


def print_fixed_costs(repeat: int) -> None:
    """What a process pays whatever the file's size (first use of the instruments, Arrow's and pandas' code):
    at 100k respondents it is a good part of the difference with the plain read."""
    plain, ours = measure(("pyarrow", "ingest"), make_file(10), repeat)
    print(f"Vaste kosten per proces (csv, 10 respondenten): kaal {plain['seconds'] * 1000:.1f} ms, "
          f"ingest+score {ours['seconds'] * 1000:.1f} ms\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--xlsx-sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="ook meten met twee gelijke processen tegelijk")
    args = parser.parse_args()
    runs = [("csv", "pyarrow", n, make_file) for n in args.sizes]
    runs += [("xlsx", "calamine", n, make_xlsx) for n in args.xlsx_sizes]
    print_fixed_costs(args.repeat)
    print("Eén proces tegelijk:")
    print_table(runs, args.repeat, copies=1)
    if args.load:
        print("\nOnder belasting (twee gelijke processen tegelijk; het langzaamste telt):")
        print_table(runs, args.repeat, copies=2)


if __name__ == "__main__":
    main()
