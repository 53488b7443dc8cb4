"""The return day (terugkomdag) with the checklist instrument, against values worked out by hand.

Two small rounds of the Diversiteitskader, one column per item, go through the real ingest. The expected
numbers follow the brief's checklist rules written out here on plain lists: item score = share of Ja among
Ja + Nee (Onbekend and empty are not scored); the change's 95% interval is
diff ± 1.96·√(s₁²/n₁ + s₂²/n₂) over the 0/1 answers (s with n − 1); a change is progress only when the
interval excludes 0. A checklist speaks in shares: "22% voldaan", "+57 procentpunt".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pytest

from analysis.ingest.dataset import ingest_bytes
from analysis.meeting.plan import Action, Focus, Plan
from analysis.report.model import build_report
from analysis.scoring.progress import (
    change_interval,
    change_table,
    comparison_to_dict,
    comparison_to_table,
    follow_up_lines,
    interval_text,
    plan_follow_up,
    statement_change,
)
from analysis.scoring.summary import summarize

CHECKLIST = "diversiteitskader-wijkteams"
ROWS = 20

# Per item and round the answers of 20 respondents, written out (J = Ja, N = Nee, ? = Onbekend, "" = empty).
SPRING = {"1.3": ["Ja"] * 4 + ["Nee"] * 14 + ["Onbekend", ""],        # 4 of 18: 22%
          "4.2": ["Ja"] * 10 + ["Nee"] * 10,                           # 10 of 20: 50%
          "1.10": ["Onbekend"] * 20}                                   # no score: geen oordeel
AUTUMN = {"1.3": ["Ja"] * 15 + ["Nee"] * 4 + ["Onbekend"],            # 15 of 19: 79%
          "4.2": ["Ja"] * 9 + ["Nee"] * 11,                            # 9 of 20: 45%
          "1.10": ["Ja"] * 12 + ["Nee"] * 8}                           # 12 of 20: 60%


def export(answers: dict[str, list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Wijkteam", *answers])
    for row in range(ROWS):
        writer.writerow(["Wijkteam Oost", *(column[row] for column in answers.values())])
    return buffer.getvalue().encode()


def zero_one(answers: list[str]) -> list[int]:
    return [1 if a == "Ja" else 0 for a in answers if a in ("Ja", "Nee")]


def by_hand(first: list[str], last: list[str]) -> tuple[float, float, float]:
    """diff, low, high of the brief's formula on the 0/1 answers."""
    a, b = zero_one(first), zero_one(last)

    def mean(xs):
        return sum(xs) / len(xs)

    def var(xs):
        return sum((x - mean(xs)) ** 2 for x in xs) / (len(xs) - 1)
    diff = mean(b) - mean(a)
    half = 1.96 * math.sqrt(var(a) / len(a) + var(b) / len(b))
    return diff, diff - half, diff + half


@pytest.fixture(scope="module")
def rounds():
    spring = ingest_bytes(export(SPRING), "voorjaar.csv")
    autumn = ingest_bytes(export(AUTUMN), "najaar.csv")
    assert spring.instrument.id == autumn.instrument.id == CHECKLIST
    assert spring.blocking_issues.empty and autumn.blocking_issues.empty
    return summarize(spring), summarize(autumn)


PLAN = Plan("r" * 32, CHECKLIST, focuses=(
    Focus("1.3", (Action("Training outreachend werken", "teamleider", dt.date(2026, 3, 1), "bezig"),)),
    Focus("4.2"),
    Focus("1.10", (Action("Intake ruimer plannen", "", None, "klaar"),))))


def test_the_hand_numbers_are_what_they_seem():
    """The anchor for everything below: 4/18 -> 15/19 is +56.7 points, an interval clear of 0."""
    diff, low, high = by_hand(SPRING["1.3"], AUTUMN["1.3"])
    assert diff == pytest.approx(15 / 19 - 4 / 18)
    assert (round(diff * 100), low > 0) == (57, True)
    diff, low, high = by_hand(SPRING["4.2"], AUTUMN["4.2"])
    assert (round(diff * 100), low < 0 < high) == (-5, True)


def test_follow_up_rows_of_a_checklist_plan(rounds):
    spring, autumn = rounds
    rows = plan_follow_up(PLAN, statement_change(spring, autumn), spring.instrument)
    assert [r["id"] for r in rows] == ["1.3", "4.2", "1.10"]  # the plan's order, the item ids as the plan has them
    first, second, third = rows
    diff, low, high = by_hand(SPRING["1.3"], AUTUMN["1.3"])
    assert (first["score_first"], first["score_last"], first["change"]) == pytest.approx((4 / 18, 15 / 19, diff))
    assert first["change_text"] == "+57 procentpunt" and first["verdict"] == "vooruitgang"
    assert first["interval"] == f"{round(low * 100):+d} tot {round(high * 100):+d} procentpunt"
    assert first["text"] == spring.instrument.statement("1.3").text
    diff, low, high = by_hand(SPRING["4.2"], AUTUMN["4.2"])
    assert (second["change_text"], second["verdict"]) == ("-5 procentpunt", "geen duidelijke verandering")
    assert second["interval"] == f"{round(low * 100):+d} tot {round(high * 100):+d} procentpunt"
    # Item 1.10 had no score in spring (only Onbekend): nothing to compare.
    assert (third["score_first"], third["score_last"]) == (None, pytest.approx(12 / 20))
    assert (third["change"], third["interval"], third["verdict"]) == (None, "–", "geen vergelijking mogelijk")


def test_follow_up_lines_speak_the_checklists_words(rounds):
    spring, autumn = rounds
    rows = plan_follow_up(PLAN, statement_change(spring, autumn), spring.instrument)
    lines = [follow_up_lines(r, spring.instrument) for r in rows]
    assert lines[0] == ("Item 1.3: 22% voldaan → 79% voldaan (+57 procentpunt; vooruitgang)",
                        ("Training outreachend werken · teamleider · 1 maart 2026 · Bezig",))
    assert lines[1] == ("Item 4.2: 50% voldaan → 45% voldaan (-5 procentpunt; geen duidelijke verandering)",
                        ("er was geen actie afgesproken",))
    assert lines[2] == ("Item 1.10: geen oordeel → 60% voldaan (–; geen vergelijking mogelijk)",
                        ("Intake ruimer plannen · Klaar",))


def test_the_return_day_slide_of_a_checklist(rounds):
    spring, autumn = rounds
    report = build_report(autumn, "Najaar 2025", previous=("Voorjaar 2025", spring), previous_plan=PLAN)
    slide = next(s for s in report.slides if s.key == "terugkomdag")
    assert [p.text for p in slide.points] == [
        "Item 1.3: 22% voldaan → 79% voldaan (+57 procentpunt; vooruitgang)",
        "Item 4.2: 50% voldaan → 45% voldaan (-5 procentpunt; geen duidelijke verandering)",
        "Item 1.10: geen oordeel → 60% voldaan (–; geen vergelijking mogelijk)"]
    assert slide.points[0].details == ("Training outreachend werken · teamleider · 1 maart 2026 · Bezig",)
    assert "Item 4.2: " + spring.instrument.statement("4.2").text in slide.notes
    assert "Stelling" not in " ".join(" ".join(p.lines()) for p in slide.points)


def test_change_table_and_comparison_of_a_checklist(rounds):
    spring, autumn = rounds
    table = change_table(spring, autumn).set_index("Item")
    assert list(table.index[:12]) == [f"1.{n}" for n in range(1, 13)]  # item order: 1.2 before 1.10
    diff, low, high = by_hand(SPRING["1.3"], AUTUMN["1.3"])
    assert table.loc["1.3", "Verandering"] == "+57 procentpunt"
    assert table.loc["1.3", "95%-interval verandering"] == interval_text(low, high, spring.instrument.kind)
    assert table.loc["1.3", "Oordeel"] == "vooruitgang"
    assert table.loc["1.10", "Verandering"] == "–" and table.loc["1.10", "Oordeel"] == "–"
    data = comparison_to_dict("Voorjaar", spring, "Najaar", autumn)  # the command line's compare: no crash on "1.3"
    items = {s["id"]: s for s in data["statements"]}
    assert [s["id"] for s in data["statements"]][:3] == ["1.1", "1.2", "1.3"]
    assert items["1.3"]["change"] == round(diff, 2) and items["1.3"]["significant"] is True
    assert data["largest_improvements"] == ["1.3"] and data["largest_declines"] == []


def test_a_change_interval_never_leaves_what_a_change_can_be():
    """[0, 0, 0, 1] -> [1, 1, 1, 1]: +0,75 ± 1.96·0.25 would reach +124 points; a share moves at most 100."""
    change, low, high = change_interval([3, 1], [0, 4], values=(0.0, 1.0))
    assert change == pytest.approx(0.75)
    assert low == pytest.approx(0.75 - 1.96 * 0.25, abs=1e-3) and high == 1.0
    # On the scale a change is at most ±4 levels.
    _, low, _ = change_interval([0, 0, 0, 0, 2], [1, 0, 0, 0, 1])
    assert low >= -4.0


def test_the_command_lines_comparison_table_speaks_the_checklists_words(rounds):
    spring, autumn = rounds
    kind = spring.instrument.kind
    text = comparison_to_table(comparison_to_dict("Voorjaar", spring, "Najaar", autumn), kind)
    lines = text.splitlines()
    assert "Stelling" not in text and "Thema" not in text
    assert any(line.startswith("Bouwsteen") for line in lines) and any(line.startswith("Item") for line in lines)
    diff, low, high = by_hand(SPRING["1.3"], AUTUMN["1.3"])
    row = next(line for line in lines if line.startswith("1.3 "))
    # 4 of 18 -> 15 of 19 met, as shares in percent; the interval from the rounded change's JSON bounds.
    assert row.split()[2:6] == ["22%", "79%", f"{round(diff * 100):+d}", "procentpunt"]
    assert "vooruitgang" in row
    row = next(line for line in lines if line.startswith("1.10 "))
    assert row.split()[2:4] == ["-", "60%"] and "–" in row


def test_the_trend_per_group_speaks_in_shares():
    """The group's total is the mean of its block scores: spring (4/18 in block 1, 10/20 in block 4) 36%, autumn
    ((15/19 + 12/20) / 2 and 9/20) 57%; each with the group's size, as a checklist says it (not "0,36")."""
    from analysis.instrument import get_instrument
    from analysis.scoring.progress import TOTAL, group_trend_table, group_trends

    rounds = {label: summarize(ingest_bytes(export(answers), "x.csv"), "Wijkteam")
              for label, answers in (("Voorjaar", SPRING), ("Najaar", AUTUMN))}
    table = group_trend_table(group_trends(rounds), TOTAL, get_instrument(CHECKLIST).kind)
    spring = (4 / 18 + 10 / 20) / 2
    autumn = ((15 / 19 + 12 / 20) / 2 + 9 / 20) / 2
    assert table.loc["Wijkteam Oost"].tolist() == [f"{round(spring * 100)}% (n=20)", f"{round(autumn * 100)}% (n=20)"]
    assert table.loc["Wijkteam Oost", "Voorjaar"] == "36% (n=20)"
