"""Make the demo exports of the Diversiteitskader wijkteams checklist, deterministically.

Four fictional wijkteams of "Gemeente Voorbeeldstad" ticked what they already meet, twice, half a
year apart: in spring through a Google Forms checkbox question per block (ticked items joined by
", "), in autumn as a per-item Ja/Nee spreadsheet. One team is too small to show on its own, and the
Proces block moves forward most, so every checklist view has something to show. Run:
``python sample_data/make_checklist_samples.py`` (writes next to this file).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.instrument import get_instrument  # noqa: E402

OUT = Path(__file__).resolve().parent
INSTRUMENT_ID = "diversiteitskader-wijkteams"
TEAM_COLUMN = "In welk wijkteam werkt u?"
TEAMS = {"Wijkteam Oost": 8, "Wijkteam West": 7, "Wijkteam Noord": 6, "Wijkteam Zuid": 3}
TEAM_OFFSET = {"Wijkteam Oost": 0.12, "Wijkteam West": -0.1, "Wijkteam Noord": 0.0, "Wijkteam Zuid": -0.2}
BLOCK_BASE = {"Werkwijze": 0.55, "Competenties": 0.6, "Informele netwerken": 0.35, "Diversiteit team": 0.45,
              "Proces": 0.3}
GAIN = {"Proces": 0.25}  # half a year of working on the process shows
BLOCK_QUESTION = "{block}: aan welke punten voldoet uw wijkteam al? (meerdere antwoorden mogelijk)"


def chance(item, block: str, team: str, progress: float) -> float:
    offset = random.Random(item.id).uniform(-0.25, 0.25)
    gain = progress * (GAIN.get(block, 0.08))
    return min(max(BLOCK_BASE[block] + TEAM_OFFSET[team] + offset + gain, 0.03), 0.97)


def respondents(seed: int, progress: float) -> list[dict]:
    """One dict per respondent: team and per item True (met), False (not met) or None (unknown)."""
    rng = random.Random(seed)
    instrument = get_instrument(INSTRUMENT_ID)
    people = []
    for team, size in TEAMS.items():
        for _ in range(size):
            ticks = {}
            for item in instrument.statements:
                roll = rng.random()
                ticks[item.id] = None if roll < 0.04 else rng.random() < chance(item, item.theme, team, progress)
            people.append({"team": team, "ticks": ticks})
    rng.shuffle(people)
    return people


def google_forms_csv(people: list[dict], start: dt.datetime) -> bytes:
    """A Google Forms export: one checkbox question per block, ticked options joined by ', '."""
    instrument = get_instrument(INSTRUMENT_ID)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Tijdstempel", TEAM_COLUMN, *[BLOCK_QUESTION.format(block=b) for b in instrument.themes]])
    for n, person in enumerate(people):
        stamp = (start + dt.timedelta(minutes=37 * n)).strftime("%Y/%m/%d %-I:%M:%S %p") + " CET"
        cells = [", ".join(i.text for i in instrument.statements_in(block) if person["ticks"][i.id])
                 for block in instrument.themes]
        writer.writerow([stamp, person["team"], *cells])
    return buffer.getvalue().encode("utf-8")


def per_item_xlsx(people: list[dict], path: Path) -> None:
    """A spreadsheet with one Ja/Nee column per item, headed by its number and text."""
    instrument = get_instrument(INSTRUMENT_ID)
    book = Workbook()
    sheet = book.active
    sheet.title = "Antwoorden"
    sheet.append(["Respondent", TEAM_COLUMN, *[f"{i.id} {i.text}" for i in instrument.statements]])
    answer = {True: "Ja", False: "Nee", None: "Weet ik niet"}
    for n, person in enumerate(people, start=1):
        sheet.append([f"R{n:03d}", person["team"], *[answer[person["ticks"][i.id]] for i in instrument.statements]])
    book.properties.created = dt.datetime(2025, 10, 1)  # same bytes on every run
    book.properties.modified = dt.datetime(2025, 10, 1)
    book.save(path)


def main() -> None:
    spring = respondents(seed=2025_03, progress=0.0)
    autumn = respondents(seed=2025_09, progress=1.0)
    (OUT / "diversiteitskader_voorjaar_2025_google_forms.csv").write_bytes(
        google_forms_csv(spring, dt.datetime(2025, 3, 17, 9, 0)))
    per_item_xlsx(autumn, OUT / "diversiteitskader_najaar_2025.xlsx")


if __name__ == "__main__":
    main()
