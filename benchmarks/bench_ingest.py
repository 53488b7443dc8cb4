"""Benchmark: ingest + scoring against pyarrow's plain read_csv of the same wide file.

Goal (issue "Analysis core"): at 100k and 1M respondents ingest + scoring within 2x of the plain
read (3x at most), growing linearly. Each measurement runs in a fresh process so its peak memory
(ru_maxrss) is its own; the best of a few runs counts. Usage:
``python benchmarks/bench_ingest.py [--sizes 1000 10000 100000 1000000] [--repeat 3]``
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
from analysis.ingest import ingest_file
from analysis.summary import summarize
kind, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()  # imports are outside the timing: both sides pay the same ones
if kind == "pyarrow":
    table = pacsv.read_csv(path)
    rows = table.num_rows
else:
    dataset = ingest_file(path)
    summary = summarize(dataset, "Team")
    rows = summary.respondents
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": rows,
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


def measure(kind: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        result = subprocess.run([sys.executable, "-c", MEASURE, kind, str(path)], capture_output=True,
                                text=True, cwd=ROOT, check=True)
        runs.append(json.loads(result.stdout))
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'respondenten':>12} {'MB':>7} {'pyarrow s':>10} {'ingest+score s':>15} {'ratio':>6} "
          f"{'piek MB pa':>11} {'piek MB ons':>12} {'s per 100k':>11}")
    for n in args.sizes:
        path = make_file(n)
        plain, ours = measure("pyarrow", path, args.repeat), measure("ingest", path, args.repeat)
        assert ours["rows"] == plain["rows"] == n
        print(f"{n:>12,} {path.stat().st_size / 1e6:>7.1f} {plain['seconds']:>10.3f} {ours['seconds']:>15.3f} "
              f"{ours['seconds'] / plain['seconds']:>6.2f} {plain['peak_mb']:>11.0f} {ours['peak_mb']:>12.0f} "
              f"{ours['seconds'] / n * 1e5:>11.3f}", flush=True)


if __name__ == "__main__":
    main()
