"""Leernetwerken and verbeterplannen in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.meeting.plan import Action, Focus, PlanError
from analysis.rounds import RoundError
from analysis.store import RoundStore
from analysis.store.networks import NetworkError, NetworkStore
from analysis.store.plans import PlanConflict, PlanStore
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "quickscan_voorbeeld.xlsx"


@pytest.fixture(scope="module")
def sample():
    return ingest_file(SAMPLE)


def test_a_network_is_created_renamed_filled_emptied_and_deleted(backend):
    store = NetworkStore(backend.database)
    network = store.create("Leernetwerk Oost", "quickscan-dsb", ["Gemeente A", " gemeente  a ", "Wijkteam B"])
    assert network.organisations == ("Gemeente A", "Wijkteam B") and not network.show_names
    assert len(network.name_secret) >= 32
    with pytest.raises(NetworkError, match="al een leernetwerk 'leernetwerk oost'"):
        store.create("leernetwerk oost", "quickscan-dsb")
    store.create("Leernetwerk Oost", "diversiteitskader-wijkteams")  # another instrument: another network
    network = store.add_organisation(network.network_id, "Zorg C")
    network = store.remove_organisation(network.network_id, "GEMEENTE A")
    assert network.organisations == ("Wijkteam B", "Zorg C")
    renamed = store.rename(network.network_id, "Leernetwerk Noord-Oost")
    assert renamed.name == "Leernetwerk Noord-Oost" and renamed.name_secret == network.name_secret
    assert store.set_show_names(network.network_id, True).show_names
    assert [n.name for n in store.list("quickscan-dsb")] == ["Leernetwerk Noord-Oost"]
    assert store.find("leernetwerk noord-oost").network_id == network.network_id
    store.delete(network.network_id)
    with pytest.raises(NetworkError, match="bestaat niet"):
        store.add_organisation(network.network_id, "X")
    assert [n.instrument_id for n in store.list()] == ["diversiteitskader-wijkteams"]


def test_two_facilitators_adding_members_at_once_both_land(backend):
    store = NetworkStore(backend.database)
    network = store.create("Samen", "quickscan-dsb")
    threads = [threading.Thread(target=store.add_organisation, args=(network.network_id, f"Organisatie {n}"))
               for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.get(network.network_id).organisations) == 8


def a_plan(plan, *texts):
    return dataclasses.replace(plan, focuses=(Focus(7, tuple(Action(text, "teamleider", dt.date(2026, 3, 1), "bezig")
                                                            for text in texts)),), notes="Eerste les")


def test_a_plan_round_trips_and_keeps_its_history(backend, sample):
    info = RoundStore(backend.database).save(sample, "Org", "Voorjaar", "2025-04-01")
    plans = PlanStore(backend.database)
    empty = plans.get(info.round_id)
    assert empty.version == 0 and empty.focuses == ()
    first = plans.save(a_plan(empty, "Intervisie over tolkgebruik"), user="ana@example.nl")
    again = plans.get(info.round_id)
    assert again.version == first.version == 1 and again.updated_by == "ana@example.nl"
    assert again.focuses[0].item_id == 7 and again.focuses[0].actions[0].what == "Intervisie over tolkgebruik"
    assert again.focuses[0].actions[0].when == dt.date(2026, 3, 1) and again.notes == "Eerste les"
    second = plans.save(dataclasses.replace(again, notes="Tweede les"), user="bo@example.nl")
    assert plans.get(info.round_id).notes == "Tweede les" and second.version == 2
    assert [(v, who) for v, _, who in plans.history(info.round_id)] == [(1, "ana@example.nl"), (2, "bo@example.nl")]
    with pytest.raises(PlanError):
        plans.save(dataclasses.replace(again, version=2, focuses=(Focus(99),)))


def test_two_people_editing_one_plan_never_lose_an_edit_silently(backend, sample):
    info = RoundStore(backend.database).save(sample, "Org", "Voorjaar", "2025-04-01")
    plans = PlanStore(backend.database)
    opened_by_ana = plans.get(info.round_id)
    opened_by_bo = plans.get(info.round_id)
    plans.save(a_plan(opened_by_ana, "Ana's actie"), user="Ana")
    with pytest.raises(PlanConflict, match="intussen gewijzigd door Ana"):
        plans.save(a_plan(opened_by_bo, "Bo's actie"), user="Bo")
    assert plans.get(info.round_id).focuses[0].actions[0].what == "Ana's actie"
    # Many saves of the same version at once: exactly one lands, every other one is told.
    base = plans.get(info.round_id)
    outcomes = []

    def save(n):
        try:
            plans.save(a_plan(base, f"Gelijktijdig {n}"), user=f"p{n}")
            outcomes.append("ok")
        except PlanConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["ok"]
    assert plans.get(info.round_id).version == base.version + 1


def test_a_plan_follows_its_round_when_replaced_and_goes_when_deleted(backend, sample):
    rounds = RoundStore(backend.database)
    plans = PlanStore(backend.database)
    old = rounds.save(sample, "Org", "Voorjaar", "2025-04-01")
    plans.save(a_plan(plans.get(old.round_id), "Blijft staan"))
    new = rounds.save(sample, "Org", "Voorjaar", "2025-04-01", replace=True)
    kept = plans.get(new.round_id)
    assert kept.round_id == new.round_id and kept.focuses[0].actions[0].what == "Blijft staan"
    assert len(plans.history(new.round_id)) == 1
    rounds.delete(new.round_id)
    with pytest.raises(RoundError, match="bestaat niet"):
        plans.get(new.round_id)
    assert plans.history(new.round_id) == []
