"""The example leernetwerk in sample_data/leernetwerk/: four organisations, two rounds each, one too small,
made deterministically and as current as the script that makes it."""

from __future__ import annotations

import json

import numpy as np

from analysis.ingest.dataset import ingest_file
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


def test_a_plan_for_one_organisations_first_round_on_its_weak_statements():
    """Issue 13, point 6: "and a plan for one of them". It is agreed on the first round of a member that counts
    (not the small one), its focuses are weak statements of that round (by the reference computation), and the
    member has a later round to measure it against on the return day."""
    from analysis.meeting.plan import plan_from_dict
    from tests.conftest import reference_summary

    manifest = json.loads((FOLDER / "leernetwerk.json").read_text(encoding="utf-8"))
    assert manifest["plans"] == make_network_samples.PLANS
    [row] = manifest["plans"]
    own = [r for r in manifest["rounds"] if r["organisation"] == row["organisation"]]
    assert row["name"] == own[0]["name"] == "Voorjaar 2025" and len(own) == 2
    assert min(r["respondents"] for r in own) >= 5
    plan = plan_from_dict(json.loads((FOLDER / row["file"]).read_text(encoding="utf-8")))
    assert plan.instrument_id == manifest["instrument"] and len(plan.focuses) == 3
    assert all(a.what and a.who and a.when for f in plan.focuses for a in f.actions)
    assert {a.status for f in plan.focuses for a in f.actions} >= {"klaar", "bezig", "gepland"}
    weak = reference_summary(ingest_file(FOLDER / own[0]["file"]).codes.tolist())["weak_statements"]
    assert set(plan.item_ids) <= set(weak[:5]), (plan.item_ids, weak)


def test_the_example_network_carries_the_plan_on_its_round():
    from ui.sample_network import read_sample_network

    sample = read_sample_network(FOLDER)
    [(round_id, plan)] = sample.plans.items()
    [info] = [r for r in sample.rounds if r.round_id == round_id]
    assert (info.organisation, info.name, plan.round_id) == ("Gemeente Oefenstad", "Voorjaar 2025", round_id)
    assert sample.plan_of(info) is plan
    assert all(sample.plan_of(r) is None for r in sample.rounds if r.round_id != round_id)
