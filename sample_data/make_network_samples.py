"""Make the demo leernetwerk in sample_data/leernetwerk/, deterministically (same bytes on every run).

Four fictional organisations filled in the QuickScan twice in 2025, in spring and in autumn, each at a
date of its own, exported from Microsoft Forms as ``ronde_2025_voorjaar.xlsx`` is. They differ in
maturity; one of them ("Gemeente Klein Voorbeeld") had only 3 respondents, fewer than the minimum group
size of 5, so it is left out of every network figure. The statements that are weak for everyone make
the "gezamenlijke leervragen". ``leernetwerk.json`` lists each file's organisation, round name and date:
the dashboard reads it to show the example network, and a facilitator types the same on Gegevens to
save the files as rounds. The manifest also lists the example's verbeterplan: a fictitious plan that
Gemeente Oefenstad agreed on its spring round (``verbeterplan_oefenstad_voorjaar_2025.json``, written by
hand in the form ``analysis.meeting.plan.plan_to_dict`` gives; this script does not make or change it), so its
autumn round can be measured against it on the return day. Run: ``python sample_data/make_network_samples.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.instrument import get_instrument  # noqa: E402
from sample_data.make_samples import FUNCTIONS, THEME_BASE, answer, write_msforms_xlsx  # noqa: E402

OUT = Path(__file__).resolve().parent / "leernetwerk"
MANIFEST = "leernetwerk.json"
NETWORK_NAME = "Voorbeeld-leernetwerk (fictief)"
INSTRUMENT_ID = "quickscan-dsb"
SPRING, AUTUMN = "Voorjaar 2025", "Najaar 2025"


# Per organisation: file stem, teams per round, maturity offset, a theme it is stronger or weaker in,
# how far it moved in half a year, and its two measurement dates.
ORGANISATIONS = {
    "Gemeente Oefenstad": dict(stem="oefenstad", offset=0.45, theme={"Methodiek": 0.3}, progress=0.35,
                               teams={SPRING: {"Team Noord": 12, "Team Zuid": 10},
                                      AUTUMN: {"Team Noord": 13, "Team Zuid": 11}},
                               dates=("2025-03-17", "2025-09-22")),
    "Gemeente Proefdorp": dict(stem="proefdorp", offset=0.0, theme={"Randvoorwaarden": 0.4}, progress=0.5,
                               teams={SPRING: {"Team Werk": 8, "Team Inkomen": 6},
                                      AUTUMN: {"Team Werk": 9, "Team Inkomen": 6}},
                               dates=("2025-04-07", "2025-10-06")),
    "Werkplein Testland": dict(stem="testland", offset=-0.3, theme={"Competenties": 0.35}, progress=0.2,
                               teams={SPRING: {"Team Jongeren": 5, "Team Statushouders": 4},
                                      AUTUMN: {"Team Jongeren": 6, "Team Statushouders": 5}},
                               dates=("2025-04-14", "2025-10-13")),
    # Too small to count in the network: 3 respondents, below the minimum group size of 5.
    "Gemeente Klein Voorbeeld": dict(stem="klein_voorbeeld", offset=-0.5, theme={"Proces": 0.3}, progress=0.4,
                                     teams={SPRING: {"Team Klant": 3}, AUTUMN: {"Team Klant": 3}},
                                     dates=("2025-05-12", "2025-11-03")),
}


def respondents(seed: int, organisation: str, round_name: str) -> list[dict]:
    """One dict per respondent (team, function, answers by statement id), as make_samples.write_msforms_xlsx takes."""
    spec = ORGANISATIONS[organisation]
    progress = spec["progress"] if round_name == AUTUMN else 0.0
    rng = random.Random(seed)
    instrument = get_instrument(INSTRUMENT_ID)
    # The same per-statement offsets as the other samples: what is hard is hard everywhere (the learning questions).
    statement_offset = {s.id: random.Random(s.id).uniform(-0.6, 0.6) for s in instrument.statements}
    people = []
    for team, size in spec["teams"][round_name].items():
        for _ in range(size):
            answers = {}
            for s in instrument.statements:
                gain = progress * (1.3 if s.theme == "Proces" else 1.0)
                mean = (THEME_BASE[s.theme] + spec["offset"] + spec["theme"].get(s.theme, 0.0)
                        + statement_offset[s.id] + gain)
                answers[s.id] = answer(rng, mean)
            people.append({"team": team, "function": rng.choice(FUNCTIONS), "answers": answers})
    rng.shuffle(people)
    return people


# The example's verbeterplan(s): which organisation's round each plan file belongs to. Its focuses are
# weak statements of that round (a test keeps it so).
PLANS = [{"file": "verbeterplan_oefenstad_voorjaar_2025.json", "organisation": "Gemeente Oefenstad",
          "name": SPRING}]


def rounds() -> list[dict]:
    """The manifest's rows: file, organisation, round name, ISO date, respondents; spring first."""
    rows = []
    for round_index, round_name in enumerate((SPRING, AUTUMN)):
        for organisation, spec in ORGANISATIONS.items():
            season = "voorjaar" if round_name == SPRING else "najaar"
            rows.append({"file": f"{spec['stem']}_2025_{season}.xlsx", "organisation": organisation,
                         "name": round_name, "date": spec["dates"][round_index],
                         "respondents": sum(spec["teams"][round_name].values())})
    return rows


def fixed_bytes(path: Path, moment: dt.datetime) -> None:
    """Rewrite the workbook PATH so its bytes depend on its content only.

    openpyxl stamps the save time into docProps/core.xml ("modified") and into every zip entry; both
    become MOMENT, the measurement date, so running this script twice gives identical files.
    """
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, data)
    path.write_bytes(buffer.getvalue())


def main(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for number, row in enumerate(rounds()):
        people = respondents(3000 + number, row["organisation"], row["name"])
        start = dt.datetime.fromisoformat(row["date"]).replace(hour=9)
        write_msforms_xlsx(out / row["file"], people, start)
        fixed_bytes(out / row["file"], start)
        written.append(out / row["file"])
    manifest = {"name": NETWORK_NAME, "instrument": INSTRUMENT_ID, "fictitious": True,
                "team_column": "In welk team werkt u?", "rounds": rounds(), "plans": PLANS}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(out / MANIFEST)
    return written


if __name__ == "__main__":
    main()
