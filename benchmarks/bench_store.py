"""Benchmark of the store on SQLite and on a throw-away PostgreSQL server: rounds and concurrent small writes.

Rounds: 50 rounds of 1,000 respondents saved, then ``list`` (goal < 0.2 s) and ``open`` one round
(goal < 0.3 s) timed, best of a few. The answer matrix is kept as one Parquet document per round; the
alternative, one row per answer, is timed beside it for one round (write and read back), which is
why the store keeps a document. Writes: 20 processes record 50 answers each at once, as phones in
a live session do (goal: 200 answers a second on SQLite, more on PostgreSQL); every answer is
counted back. Usage: ``python benchmarks/bench_store.py [--rounds 50] [--respondents 1000]
[--writers 20] [--answers 50] [--backends sqlite postgresql]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best  # noqa: E402

from analysis.ingest.dataset import ingest_file  # noqa: E402
from analysis.store import RoundStore, open_database  # noqa: E402
from analysis.store.database import forget_open_databases  # noqa: E402
from analysis.store.live import LiveStore  # noqa: E402
from tests.pg_server import start_server  # noqa: E402

SAMPLE = ROOT / "sample_data" / "quickscan_voorbeeld.xlsx"
WRITER = """
import sys, time
from analysis.store.live import LiveStore
live = LiveStore()
me = live.join(sys.argv[1]).participant
print("ready", flush=True)
sys.stdin.readline()
for item in range(int(sys.argv[3])):
    live.record_answer(sys.argv[1], me, str(item), item % 5 + 1)
print("done", flush=True)
"""


def scaled_sample(respondents: int):
    dataset = ingest_file(SAMPLE)
    rows = np.random.default_rng(7).integers(0, dataset.n_respondents, respondents)
    dataset.codes = np.asfortranarray(dataset.codes[rows])
    dataset.metadata = dataset.metadata.iloc[rows].reset_index(drop=True)
    dataset.respondent_ids = [f"R{i}" for i in range(respondents)]
    return dataset


def rounds_figures(database, dataset, count: int) -> dict:
    store = RoundStore(database)
    start = time.perf_counter()
    for i in range(count):
        store.save(dataset, "Gemeente Benchmark", f"Ronde {i + 1}", f"20{10 + i // 12:02d}-{i % 12 + 1:02d}-01")
    save = (time.perf_counter() - start) / count
    middle = store.list()[count // 2].round_id
    return {"save": save, "list": best(store.list, 5, warm_up=True),
            "open": best(lambda: store.load(middle), 5, warm_up=True),
            "kB": len(store.document(middle)) / 1024, **rows_alternative(database, dataset)}


def rows_alternative(database, dataset) -> dict:
    """One row per answer (respondent, statement, code) for one round: what the document saves us."""
    import sqlalchemy as sa

    table = sa.Table("bench_answer_rows", sa.MetaData(), sa.Column("respondent", sa.Integer),
                     sa.Column("statement", sa.Integer), sa.Column("code", sa.SmallInteger))
    rows = [{"respondent": r, "statement": s, "code": int(dataset.codes[r, s])}
            for r in range(dataset.codes.shape[0]) for s in range(dataset.codes.shape[1])]
    with database.write() as connection:
        table.create(connection)
    start = time.perf_counter()
    with database.write() as connection:
        connection.execute(sa.insert(table), rows)
    write = time.perf_counter() - start

    def read():
        with database.read() as connection:
            found = connection.execute(sa.select(table.c.respondent, table.c.statement, table.c.code)).all()
        matrix = np.full(dataset.codes.shape, -1, dtype=np.int8)
        for respondent, statement, code in found:
            matrix[respondent, statement] = code
        return matrix

    opened = best(read, 3, warm_up=True)
    with database.write() as connection:
        table.drop(connection)
    return {"rows_write": write, "rows_open": opened}


def writes_figures(environ: dict, database, writers: int, answers: int) -> dict:
    live = LiveStore(database)
    session = live.create_session("Benchmark", "quickscan-dsb").session_id
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, session, f"p{n}", str(answers)], cwd=ROOT, text=True,
                                  env={**os.environ, **environ}, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                 for n in range(writers)]
    for process in processes:  # every writer started and connected: only the writing is timed
        assert process.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in processes:
        assert process.stdout.readline().strip() == "done"
        process.wait(timeout=300)
    seconds = time.perf_counter() - start
    counted = live.answer_count(session)
    return {"seconds": seconds, "per_second": counted / seconds, "counted": counted, "expected": writers * answers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    dataset = scaled_sample(args.respondents)
    results = {}
    server = start_server() if "postgresql" in args.backends else None
    try:
        for backend in args.backends:
            with tempfile.TemporaryDirectory() as directory:
                environ = {"QUICKSCAN_DATA_DIR": directory}
                if backend == "postgresql":
                    if server is None:
                        print("PostgreSQL niet geïnstalleerd: scripts/install_postgresql.sh")
                        continue
                    environ["QUICKSCAN_DATABASE_URL"] = server.new_database()
                database = open_database(environ=environ)
                results[backend] = {**rounds_figures(database, dataset, args.rounds),
                                    **writes_figures(environ, database, args.writers, args.answers)}
                forget_open_databases()
    finally:
        if server is not None:
            server.stop()
    print_table(results, args)


def print_table(results: dict, args) -> None:
    print(f"Store: {args.rounds} rounds of {args.respondents} respondents; {args.writers} writers x {args.answers} "
          "answers")
    print(f"{'':34}" + "".join(f"{name:>14}" for name in results))
    lines = [("save one round (ms)", "save", 1000), ("list all rounds (ms, goal < 200)", "list", 1000),
             ("open one round (ms, goal < 300)", "open", 1000), ("round document (kB)", "kB", 1),
             ("one row per answer: write (ms)", "rows_write", 1000),
             ("one row per answer: open (ms)", "rows_open", 1000),
             ("concurrent answers a second", "per_second", 1), ("answers counted back", "counted", 1)]
    for label, key, factor in lines:
        print(f"{label:34}" + "".join(f"{figures[key] * factor:>14.1f}" for figures in results.values()))
    lost = [name for name, figures in results.items() if figures["counted"] != figures["expected"]]
    print("every answer landed" if not lost else f"ANSWERS LOST on {', '.join(lost)}")


if __name__ == "__main__":
    main()
