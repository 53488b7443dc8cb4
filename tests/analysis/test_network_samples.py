"""The example leernetwerk in sample_data/leernetwerk/: four organisations, two rounds each, one too small,
made deterministically and as current as the script that makes it."""

from __future__ import annotations

import json

import numpy as np

from analysis.ingest import ingest_file
from sample_data import make_network_samples
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "leernetwerk"


def test_four_organisations_two_rounds_each_one_too_small():
    manifest = json.loads((FOLDER / "leernetwerk.json").read_text(encoding="utf-8"))
    assert manifest["fictitious"] is True and manifest["instrument"] == "quickscan-dsb"
    by_organisation: dict[str, list[dict]] = {}
    for row in manifest["rounds"]:
        by_organisation.setdefault(row["organisation"], []).append(row)
    assert len(by_organisation) == 4
    for rows in by_organisation.values():
        assert [r["name"] for r in rows] == ["Voorjaar 2025", "Najaar 2025"]
        assert rows[0]["date"].startswith("2025-0") and rows[1]["date"] > "2025-09"
    sizes = {}
    for row in manifest["rounds"]:
        dataset = ingest_file(FOLDER / row["file"])
        assert dataset.instrument.id == "quickscan-dsb"
        assert dataset.blocking_issues.empty
        assert dataset.n_respondents == row["respondents"]
        sizes.setdefault(row["organisation"], []).append(dataset.n_respondents)
    small = [name for name, counts in sizes.items() if max(counts) < 5]
    assert small == ["Gemeente Klein Voorbeeld"]
    assert all(min(counts) >= 5 for name, counts in sizes.items() if name not in small)


def test_generator_is_deterministic_and_the_files_are_current(tmp_path):
    first = make_network_samples.main(tmp_path / "a")
    second = make_network_samples.main(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    for path in first:
        committed = FOLDER / path.name
        if path.suffix == ".json":
            assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
        else:
            assert np.array_equal(ingest_file(committed).codes, ingest_file(path).codes), path.name
