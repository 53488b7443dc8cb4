"""Make the demo exports in this folder, deterministically (same bytes on every run).

A fictional municipality ("Gemeente Voorbeeldstad", afdeling Werk & Inkomen) filled in the
QuickScan twice, half a year apart. Teams differ in maturity and one team is small enough to
be suppressed, so every part of the dashboard has something to show. Run:
``python sample_data/make_samples.py`` (writes next to this file).
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
TEAMS = {"Team Noord": 13, "Team Zuid": 12, "Team Oost": 9, "Team West": 6, "Team Centrum": 3}
# Half a year earlier the teams were composed differently, so suppression differs per round.
TEAMS_SPRING = {"Team Noord": 11, "Team Zuid": 12, "Team Oost": 8, "Team West": 4, "Team Centrum": 5}
# Not everything improves: two experienced colleagues left and the interpreter budget was cut.
SETBACK = {11: -1.0, 17: -1.1}
FUNCTIONS = ["Klantmanager", "Werkcoach", "Jobhunter", "Teamleider", "Beleidsmedewerker"]
THEME_BASE = {"Competenties": 3.1, "Methodiek": 2.7, "Randvoorwaarden": 2.4, "Proces": 2.0}
TEAM_OFFSET = {"Team Noord": 0.4, "Team Zuid": -0.2, "Team Oost": 0.1, "Team West": -0.5, "Team Centrum": 0.3}
LABELS = ["Inactief", "Startend", "Goed op weg", "Gevorderd", "Vergevorderd"]
UNKNOWN = "Onbekend/n.v.t."


def answer(rng: random.Random, mean: float) -> str:
    roll = rng.random()
    if roll < 0.03:
        return ""
    if roll < 0.09:
        return UNKNOWN
    level = round(rng.gauss(mean, 0.8))
    return LABELS[min(max(level, 1), 5) - 1]


def respondents(seed: int, progress: float = 0.0, teams: dict[str, int] = TEAMS) -> list[dict]:
    """One dict per respondent: team, function, answers by statement id."""
    rng = random.Random(seed)
    instrument = get_instrument()
    statement_offset = {s.id: random.Random(s.id).uniform(-0.6, 0.6) for s in instrument.statements}
    people = []
    for team, size in teams.items():
        for _ in range(size):
            answers = {}
            for s in instrument.statements:
                # Process items improve most after half a year of working on them.
                gain = progress * (1.4 if s.theme == "Proces" else 1.0) + (SETBACK.get(s.id, 0) if progress else 0)
                mean = THEME_BASE[s.theme] + TEAM_OFFSET[team] + statement_offset[s.id] + gain
                answers[s.id] = answer(rng, mean)
            people.append({"team": team, "function": rng.choice(FUNCTIONS), "answers": answers})
    rng.shuffle(people)
    return people


def write_msforms_xlsx(path: Path, people: list[dict], start: dt.datetime) -> None:
    instrument = get_instrument()
    book = Workbook()
    sheet = book.active
    sheet.title = "Form1"
    sheet.append(["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "In welk team werkt u?",
                  "Wat is uw functie?"] + [s.text for s in instrument.statements])
    for number, person in enumerate(people, start=1):
        begin = start + dt.timedelta(hours=number * 3, minutes=number * 7 % 60)
        sheet.append([number, begin, begin + dt.timedelta(minutes=11 + number % 9), "anonymous", "",
                      person["team"], person["function"]]
                     + [person["answers"][s.id] or None for s in instrument.statements])
    book.properties.created = start  # a fixed date keeps the file identical between runs
    book.properties.modified = start
    book.save(path)


def write_google_csv(path: Path, people: list[dict]) -> None:
    instrument = get_instrument()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Tijdstempel", "Team"] + [
        f"Hoe ver is uw organisatie? [{s.id}. {s.text}]" for s in instrument.statements])
    for number, person in enumerate(people):
        stamp = f"2025/10/{1 + number % 28:02d} {9 + number % 8}:{number * 13 % 60:02d}:00"
        writer.writerow([stamp, person["team"]] + [person["answers"][s.id] for s in instrument.statements])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_long_csv(path: Path, people: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["respondent", "team", "stelling", "antwoord"])
    for number, person in enumerate(people, start=1):
        for statement_id, value in person["answers"].items():
            if value:  # a long export has no row for a statement that was skipped
                writer.writerow([f"R{number:03d}", person["team"], statement_id, value])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def main() -> None:
    first = respondents(seed=2025, progress=0.0, teams=TEAMS_SPRING)
    second = respondents(seed=2026, progress=0.45)
    write_msforms_xlsx(OUT / "quickscan_voorbeeld.xlsx", second, dt.datetime(2025, 10, 6, 9, 0))
    write_google_csv(OUT / "quickscan_google_forms.csv", second)
    write_long_csv(OUT / "quickscan_lang.csv", second)
    write_msforms_xlsx(OUT / "ronde_2025_voorjaar.xlsx", first, dt.datetime(2025, 4, 7, 9, 0))
    write_msforms_xlsx(OUT / "ronde_2025_najaar.xlsx", second, dt.datetime(2025, 10, 6, 9, 0))


if __name__ == "__main__":
    main()
