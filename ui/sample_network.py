"""The example leernetwerk: four fictitious organisations' rounds from sample_data/leernetwerk/, held in memory.

Shown on the Leernetwerk page while the store has no network yet, so a new user sees every view filled,
including a verbeterplan: the manifest's ``plans`` name the round each fictitious plan file belongs to
(read with ``analysis.meeting.plan.plan_from_dict``), shown when that organisation is looking. The files are read
once per process (a bounded cache at the page edge) and never saved; a facilitator who
wants them as rounds uploads them on Gegevens like any export (sample_data/leernetwerk/leernetwerk.json
says which organisation, round name and date belong to each file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import streamlit as st

from analysis.ingest.dataset import ingest_file
from analysis.instrument import get_instrument
from analysis.meeting.plan import Plan, plan_from_dict
from analysis.rounds import RoundInfo
from analysis.scoring.network_moment import normal
from analysis.scoring.scores import Summary
from analysis.scoring.summary import privacy_settings, summarize
from analysis.store.networks import NetworkInfo

SAMPLE_NETWORK_DIR = Path(__file__).resolve().parent.parent / "sample_data" / "leernetwerk"
MANIFEST = "leernetwerk.json"
SAMPLE_NETWORK_NOTICE = (
    "**Voorbeeld-leernetwerk (fictief).** Er is nog geen leernetwerk opgeslagen. Dit voorbeeld met vier verzonnen "
    "organisaties laat zien wat deze pagina toont; de cijfers zijn van geen enkele echte organisatie. Maak een eigen "
    "leernetwerk van opgeslagen meetrondes met **Nieuw leernetwerk maken**.")
# Fixed, not secret: the organisations are made up, and the letters should be the same for every visitor.
SAMPLE_KEY = "voorbeeld-leernetwerk"


@dataclass(frozen=True)
class SampleNetwork:
    info: NetworkInfo
    rounds: tuple[RoundInfo, ...]
    summaries: dict[str, Summary]   # round id -> summary under the deployment's default privacy settings
    plans: dict[str, Plan] = field(default_factory=dict)  # round id -> its fictitious verbeterplan

    def summary_of(self, info: RoundInfo) -> Summary:
        return self.summaries[info.round_id]

    def plan_of(self, info: RoundInfo) -> Plan | None:
        return self.plans.get(info.round_id)


def read_sample_network(directory: Path = SAMPLE_NETWORK_DIR) -> SampleNetwork:
    """Ingest every file the manifest lists, as an upload would be (default privacy settings, minimum 5)."""
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    rounds, summaries = [], {}
    for number, row in enumerate(manifest["rounds"]):
        dataset = ingest_file(directory / row["file"])
        round_id = f"{number:032x}"  # never shown; the sample's rounds are in memory only
        info = RoundInfo(round_id=round_id, organisation=row["organisation"], name=row["name"], date=row["date"],
                         instrument_id=dataset.instrument.id, respondents=dataset.n_respondents,
                         source_name=row["file"])
        rounds.append(info)
        summaries[round_id] = summarize(dataset, None, None, privacy_settings(dataset).min_group_size)
    plans = {}
    for row in manifest.get("plans", []):
        [info] = [r for r in rounds if normal(r.organisation) == normal(row["organisation"])
                  and r.name == row["name"]]
        data = json.loads((directory / row["file"]).read_text(encoding="utf-8"))
        plan = plan_from_dict(data, get_instrument(info.instrument_id))
        plans[info.round_id] = replace(plan, round_id=info.round_id)  # the file's id is a placeholder
    organisations = tuple(sorted(dict.fromkeys(r.organisation for r in rounds), key=str.casefold))
    info = NetworkInfo(network_id="voorbeeld", name=manifest["name"], instrument_id=manifest["instrument"],
                       organisations=organisations, show_names=False, name_secret=SAMPLE_KEY, created_at="",
                       version=0)
    return SampleNetwork(info, tuple(rounds), summaries, plans)


@st.cache_data(max_entries=1, show_spinner="Voorbeeld-leernetwerk inlezen…")
def sample_network() -> SampleNetwork:
    """The example network, read once per process."""
    return read_sample_network()
