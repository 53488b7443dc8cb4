"""Benchmark: the round store with 50 rounds of 1,000 respondents.

Goal (issue "Measurement rounds"): listing the rounds under 0.2 s, opening one under 0.3 s
(opening = reading its Parquet file back into a Dataset, plus scoring it with a group column).
Each figure is the best of a few runs, after one warm-up so imports are not counted. Usage:
``python benchmarks/bench_rounds.py [--rounds 50] [--respondents 1000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best  # noqa: E402

from analysis.ingest import ingest_file  # noqa: E402
from analysis.rounds import RoundStore  # noqa: E402
from analysis.summary import summarize  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "quickscan_voorbeeld.xlsx"
GROUP = "In welk team werkt u?"


def scaled_sample(respondents: int):
    """The sample export resampled to N respondents (rows drawn with replacement)."""
    dataset = ingest_file(SAMPLE)
    rows = np.random.default_rng(7).integers(0, dataset.n_respondents, respondents)
    dataset.codes = np.asfortranarray(dataset.codes[rows])
    dataset.metadata = dataset.metadata.iloc[rows].reset_index(drop=True)
    dataset.respondent_ids = [f"R{i}" for i in range(respondents)]
    return dataset



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    dataset = scaled_sample(args.respondents)
    with tempfile.TemporaryDirectory() as directory:
        store = RoundStore(directory)
        start = time.perf_counter()
        for i in range(args.rounds):
            store.save(dataset, "Gemeente Benchmark", f"Ronde {i + 1}", f"20{10 + i // 12:02d}-{i % 12 + 1:02d}-01")
        save_seconds = (time.perf_counter() - start) / args.rounds
        infos = store.list()
        middle = infos[len(infos) // 2].round_id
        list_seconds = best(store.list, args.repeat, warm_up=True)
        open_seconds = best(lambda: store.load(middle), args.repeat, warm_up=True)
        score_seconds = best(lambda: summarize(store.load(middle), GROUP), args.repeat, warm_up=True)
        size_kb = sum(p.stat().st_size for p in Path(directory).glob("*.parquet")) / len(infos) / 1024
    print(f"Store: {len(infos)} rounds of {args.respondents} respondents, {size_kb:.0f} kB per round")
    print(f"save one round          {save_seconds * 1000:7.1f} ms")
    print(f"list all rounds         {list_seconds * 1000:7.1f} ms   (goal < 200 ms)")
    print(f"open one round          {open_seconds * 1000:7.1f} ms   (goal < 300 ms)")
    print(f"open + score with group {score_seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
