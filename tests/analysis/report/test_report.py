"""The report model: slide order, suppression, discussion questions, next steps."""

from __future__ import annotations

import math
import re
import statistics

import numpy as np
import pandas as pd
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.report.model import (
    MAX_READING,
    MIN_SPREAD,
    MIN_UNKNOWN_SHARE,
    STEPS_PER_SLIDE,
    TIP_LENGTH,
    build_report,
    discussion_questions,
    spread_table,
)
from analysis.scoring.scores import summarize_codes
from tests.conftest import reference_summary


def summary_of(matrix, instrument, teams=None, threshold=3.0):
    groups = pd.Series(teams) if teams else None
    return summarize_codes(np.array(matrix, dtype=np.int8), instrument, groups, "Team" if teams else None,
                           threshold)


def test_slides_in_meeting_order(instrument):
    report = build_report(summary_of(CANONICAL, instrument, TEAMS), "export.csv", "01-02-2025")
    keys = [s.key for s in report.slides]
    assert keys[:3] == ["titel", "overzicht", "sterk-zwak"]
    assert keys[3:7] == [f"thema-{t.lower()}" for t in instrument.themes]
    assert keys[7:10] == ["teams", "teams-stellingen", "gespreksvragen"]
    assert keys[-1] == "alle-stellingen" and report.slides[-1].handout_only
    assert report.slides[-1] not in report.presented
    assert report.slides[0].subtitle == "export.csv · 1 februari 2025"  # spoken, as every other date


def test_without_groups_there_is_no_team_slide(instrument):
    report = build_report(summary_of(CANONICAL, instrument), "x")
    assert "teams" not in [s.key for s in report.slides]


def test_team_slide_never_carries_a_suppressed_group(instrument):
    report = build_report(summary_of(CANONICAL, instrument, TEAMS), "x")
    teams = next(s for s in report.slides if s.key == "teams")
    per_statement = next(s for s in report.slides if s.key == "teams-stellingen")
    radar = next(c for c in teams.charts if c.kind == "theme_radar")
    # Cliëntenraad (1) is too small and Team Zuid (5) is hidden with it: only Noord is drawn.
    assert list(radar.series) == ["Hele organisatie", "Team Noord"]
    heat = next(c for c in per_statement.charts if c.kind == "group_heatmap").data
    assert heat[heat["group"].isin(["Team Zuid", "Cliëntenraad"])]["score"].isna().all()
    assert "Cliëntenraad — te weinig respondenten (n<5)" in teams.subtitle
    assert "Team Zuid — verborgen om een kleine groep te beschermen" in teams.subtitle


def test_theme_slides_hold_their_statements(instrument):
    report = build_report(summary_of(CANONICAL, instrument), "x")
    for theme in instrument.themes:
        slide = next(s for s in report.slides if s.key == f"thema-{theme.lower()}")
        ids = [s.id for s in instrument.statements_in(theme)]
        assert list(slide.charts[0].order) == ids
        assert set(slide.charts[0].data["id"]) == set(ids)


def test_next_steps_cover_every_weak_statement_in_order(instrument):
    summary = summary_of(CANONICAL, instrument, threshold=3.5)
    weak = reference_summary(CANONICAL, 3.5)["weak_statements"]
    report = build_report(summary, "x")
    steps = [s for s in report.slides if s.key.startswith("aan-de-slag")]
    # At most three a slide, fewer where long statements would run off a projector (model.SLIDE_ROWS).
    assert len(steps) >= math.ceil(len(weak) / STEPS_PER_SLIDE)
    assert all(1 <= len(s.points) <= STEPS_PER_SLIDE for s in steps)
    mentioned = [int(p.text.split()[1]) for s in steps for p in s.points]
    assert mentioned == weak


def test_next_step_and_reading_sit_beneath_their_statement(instrument):
    summary = summary_of(CANONICAL, instrument, threshold=3.5)
    steps = [s for s in build_report(summary, "x").slides if s.key.startswith("aan-de-slag")]
    assert all(len(s.points) <= 3 for s in steps)
    for point in (p for s in steps for p in s.points):
        statement = instrument.statement(int(point.text.split()[1]))
        assert point.text.startswith("Stelling ") and statement.text in point.text
        assert all(d.startswith(("Volgende stap (", "Meer lezen: ")) for d in point.details)
        # The first few titles: a slide holds three statements and stays readable from the back.
        assert [d for d in point.details if d.startswith("Meer lezen")] == [
            "Meer lezen: " + r.title + (f" ({r.publisher})" if r.publisher else "")
            for r in statement.reading[:MAX_READING]]
    assert any(p.details for s in steps for p in s.points)


def test_all_statements_slide_lists_all_24(instrument):
    report = build_report(summary_of(CANONICAL, instrument), "x")
    points = report.slides[-1].points
    assert [int(p.text.split(".")[0]) for p in points] == list(range(1, 25))
    assert all(instrument.statement(i + 1).text in p.text for i, p in enumerate(points))


def disagreement_matrix():
    """20 respondents: statement 5 split between Inactief and Vergevorderd, statement 9 mostly unknown,
    every other statement a calm 3 or 4."""
    rows = []
    for r in range(20):
        row = [3 + (r + s) % 2 for s in range(1, 25)]
        row[4] = 1 if r % 2 else 5
        row[8] = 0 if r < 8 else 3
        rows.append(row)
    return rows


def test_spread_matches_a_plain_standard_deviation(instrument):
    matrix = disagreement_matrix()
    table = spread_table(summary_of(matrix, instrument)).set_index("id")
    for statement in (1, 5, 9):
        known = [row[statement - 1] for row in matrix if row[statement - 1] > 0]
        assert table.loc[statement, "spread"] == pytest.approx(statistics.pstdev(known))
    assert table.loc[9, "unknown_share"] == pytest.approx(8 / 20)


def test_discussion_questions_name_disagreement_and_unknowns(instrument):
    questions = discussion_questions(summary_of(disagreement_matrix(), instrument))
    assert statistics.pstdev([1, 5] * 10) >= MIN_SPREAD and 8 / 20 >= MIN_UNKNOWN_SHARE
    assert len(questions) == 2
    assert questions[0].startswith("Stelling 5 (Competenties): 50% ziet dit als Inactief of Startend, 50% als "
                                   "Gevorderd of Vergevorderd.")
    assert questions[1].startswith("Stelling 9 (Competenties): 40% antwoordde 'Onbekend/n.v.t.'")


def test_calm_answers_give_the_fallback_question(instrument):
    calm = [[3] * 24 for _ in range(10)]
    report = build_report(summary_of(calm, instrument), "x")
    slide = next(s for s in report.slides if s.key == "gespreksvragen")
    assert [p.text for p in slide.points] == [
        "Er zijn geen stellingen met veel verschil van mening of veel 'onbekend'. Waar zijn we het over eens?"]


def test_progress_slide_when_an_earlier_round_is_given(instrument):
    from analysis.scoring.progress import largest_changes, statement_change
    from tests.analysis.scoring.test_progress import MATRIX_B

    before, after = summary_of(CANONICAL, instrument), summary_of(MATRIX_B, instrument)
    report = build_report(after, "najaar.csv", previous=("Voorjaar", before))
    slide = report.slides[2]
    assert slide.key == "voortgang" and slide.title == "Voortgang sinds Voorjaar"
    assert list(slide.charts[0].series) == ["Voorjaar", "Nu"]
    # Only changes larger than chance are named (progress.largest_changes); the slide keeps their order.
    declines = [int(i) for i in largest_changes(statement_change(before, after))[1]["id"]]
    assert [int(p.text.split()[2]) for p in slide.points if p.text.startswith("Achteruit")] == declines
    assert "voortgang" not in [s.key for s in build_report(after, "x").slides]


def test_report_files_are_named_after_what_they_hold(instrument):
    summary = summary_of(CANONICAL, instrument)
    a_round = build_report(summary, "Gemeente Voorbeeldstad · Najaar 2025 (2025-10-06)", "06-10-2025")
    assert a_round.file_name("pdf") == "quickscan-gemeente-voorbeeldstad-najaar-2025-2025-10-06.pdf"
    upload = build_report(summary, "Export Team Zuid (def).xlsx", "07-04-2025")
    assert upload.file_name("pptx") == "quickscan-export-team-zuid-def-2025-04-07.pptx"


# -- a checklist (the Diversiteitskader): yes/no items in blocks ----------------------------------------------
# 12 respondents; Team A rows 0-4, Team B rows 5-9, Team C rows 10-11 (too small, so A is hidden with it).
# Per item, in row order: Ja for the first rows, then Nee; a few items also Onbekend (0) or empty (-1).
CHECKLIST_TEAMS = ["Team A"] * 5 + ["Team B"] * 5 + ["Team C"] * 2
SPECIAL_ITEMS = {
    "1.1": [2] * 12,                        # 100% met
    "1.2": [2] * 6 + [1] * 6,               # 50%: the room is split
    "3.1": [1] * 12,                        # 0%
    "4.2": [2] * 3 + [1] * 6 + [0] * 3,     # 3 of 9 known = 33%; 25% Onbekend; not split (below 35%)
    "5.1": [2] * 4 + [1] * 4 + [-1] * 4,    # 4 of 8 = 50%, split; 4 left empty
    "5.6": [1] * 12,                        # 0%: Proces stands in its second phase, Verandering
}
OTHER_ITEM = [2] * 9 + [1] * 3             # 75% met


def checklist_instrument():
    from analysis.instrument import get_instrument

    return get_instrument("diversiteitskader-wijkteams")


def checklist_matrix() -> list[list[int]]:
    ids = checklist_instrument().statement_ids
    columns = [SPECIAL_ITEMS.get(i, OTHER_ITEM) for i in ids]
    return [[column[r] for column in columns] for r in range(12)]


def checklist_reference(matrix, rows=None) -> dict:
    """The brief's checklist rules written out plainly: share Ja of Ja+Nee per item, blocks unweighted."""
    instrument = checklist_instrument()
    rows = range(len(matrix)) if rows is None else rows
    items = {}
    for j, statement in enumerate(instrument.statements):
        known = [matrix[r][j] for r in rows if matrix[r][j] > 0]
        items[statement.id] = known.count(2) / len(known) if known else None
    blocks = {}
    for block in instrument.themes:
        scores = [items[s.id] for s in instrument.statements_in(block) if items[s.id] is not None]
        blocks[block] = sum(scores) / len(scores) if scores else None
    return {"items": items, "blocks": blocks}


def checklist_summary(teams=True, threshold=0.5):
    return summary_of(checklist_matrix(), checklist_instrument(), CHECKLIST_TEAMS if teams else None, threshold)


def test_the_reference_matches_the_hand_worked_figures():
    reference = checklist_reference(checklist_matrix())
    assert reference["items"]["4.2"] == pytest.approx(1 / 3) and reference["items"]["5.1"] == 0.5
    # Werkwijze (1 + 0.5 + 10 x 0.75) / 12; Informele netwerken (0 + 4 x 0.75) / 5; Diversiteit team
    # (0.75 + 1/3) / 2; Proces (0.5 + 0 + 8 x 0.75) / 10.
    assert reference["blocks"] == pytest.approx({"Werkwijze": 0.75, "Competenties": 0.75, "Informele netwerken": 0.6,
                                                 "Diversiteit team": (0.75 + 1 / 3) / 2, "Proces": 0.65})


def test_checklist_slides_in_meeting_order_in_its_own_words():
    report = build_report(checklist_summary(), "wijkteams.csv", "01-10-2025")
    keys = [s.key for s in report.slides]
    assert keys == ["titel", "overzicht", "sterk-zwak", "thema-werkwijze", "thema-competenties",
                    "thema-informele-netwerken", "thema-diversiteit-team", "thema-proces", "teams",
                    "teams-stellingen", "gespreksvragen", "aan-de-slag-1", "meer-lezen-1", "alle-stellingen"]
    titles = [s.title for s in report.slides]
    assert titles[2] == "Sterkste en zwakste items" and titles[3] == "Bouwsteen: Werkwijze"
    assert titles[-1] == "Alle items" and titles[9] == "Groepen per item: Team"
    # No 'stelling' or 'thema' in what the report says itself (item texts may use the words: "het thema").
    said = " ".join([*titles, *(s.subtitle for s in report.slides),
                     *(c.title for s in report.slides for c in s.charts)])
    assert not re.search(r"\b(stelling|thema)", said, re.I)
    overview = report.slides[1]
    assert [c.title for c in overview.charts] == ["Voldaan per bouwsteen", "Voldaan per item"]


def test_checklist_title_slide_gives_the_total_met_and_the_phase_reached():
    blocks = checklist_reference(checklist_matrix())["blocks"].values()
    total = round(sum(blocks) / 5 * 100)  # (0.75 + 0.75 + 0.6 + 0.5417 + 0.65) / 5 = 66%
    assert total == 66
    title = build_report(checklist_summary(), "x").slides[0]
    assert [p.text for p in title.points] == [
        "12 respondenten", "Totaal: 66% voldaan (gemiddelde van de bouwstenen)", "Proces: fase Verandering",
        "Drempel zwak item 50%; minimale groepsgrootte 5"]
    assert build_report(checklist_summary(), "x").slides[1].subtitle == "12 respondenten · totaal 66% voldaan"


def test_checklist_strongest_weakest_and_block_slides_say_share_met():
    report = build_report(checklist_summary(), "x")
    instrument = checklist_instrument()
    extremes = [p.text for p in report.slides[2].points]
    # Strongest: 1.1 (100%), then the first 75% items in item order; weakest: 3.1 and 5.6 (0%), then 4.2.
    assert [t.split(" · ")[0] for t in extremes] == ["Sterk: Item 1.1", "Sterk: Item 1.3", "Sterk: Item 1.4",
                                                     "Zwak: Item 3.1", "Zwak: Item 5.6", "Zwak: Item 4.2"]
    assert extremes[0] == f"Sterk: Item 1.1 · 100% voldaan: {instrument.statement('1.1').text}"
    assert extremes[-1].startswith("Zwak: Item 4.2 · 33% voldaan: ")
    werkwijze = next(s for s in report.slides if s.key == "thema-werkwijze")
    ids = [s.id for s in instrument.statements_in("Werkwijze")]
    assert len(ids) == 12 and list(werkwijze.charts[0].order) == ids
    assert werkwijze.subtitle == "Bouwsteenscore 75% voldaan · items 1.1-1.12"
    proces = next(s for s in report.slides if s.key == "thema-proces")
    assert proces.subtitle == "Bouwsteenscore 65% voldaan · items 5.1-5.10 · fase Verandering"
    assert proces.points[1].text.startswith("Zwakst: Item 5.6 · 0% voldaan")


def test_checklist_group_slides_never_carry_a_suppressed_group():
    report = build_report(checklist_summary(), "x")
    radar = next(s for s in report.slides if s.key == "teams").charts[0]
    # Team C (2) is too small; Team A (5), the smallest other group by name, is hidden with it.
    assert list(radar.series) == ["Hele organisatie", "Team B"]
    expected = checklist_reference(checklist_matrix(), rows=range(5, 10))["blocks"]
    shown = radar.series["Team B"].set_index("theme")["score"]
    assert {b: shown[b] for b in expected} == pytest.approx(expected)
    heat = next(s for s in report.slides if s.key == "teams-stellingen").charts[0].data
    assert heat[heat["group"].isin(["Team A", "Team C"])]["score"].isna().all()


def test_checklist_questions_use_the_kinds_split_rule():
    summary = checklist_summary(teams=False)
    table = spread_table(summary).set_index("id")
    # Nee = 0, Ja = 1: the spread is the standard deviation of those values.
    assert table.loc["1.2", "spread"] == pytest.approx(statistics.pstdev([1] * 6 + [0] * 6))
    assert table.loc["4.2", "spread"] == pytest.approx(statistics.pstdev([1] * 3 + [0] * 6))
    assert summary.instrument.kind.min_spread == pytest.approx(statistics.pstdev([1] * 35 + [0] * 65))
    questions = discussion_questions(summary)
    # Split: 1.2 (6 of 12) and 5.1 (4 of 8); 4.2 (3 of 9, 33%) is not; 4.2 has 3 of 12 Onbekend.
    assert questions == [
        "Item 1.2 (Werkwijze): 50% ziet dit als Nee, 50% als Ja. Wat maakt dat collega's dit zo verschillend zien?",
        "Item 5.1 (Proces): 50% ziet dit als Nee, 50% als Ja. Wat maakt dat collega's dit zo verschillend zien?",
        "Item 4.2 (Diversiteit team): 25% antwoordde 'Onbekend'. Wie weet hoe het hiermee staat, en hoe maken we "
        "het zichtbaar voor iedereen?"]


def test_too_few_answers_are_no_split_room():
    instrument = checklist_instrument()
    matrix = [[2 if r < 2 else 1 for _ in instrument.statement_ids] for r in range(4)]  # 2 of 4 everywhere
    assert len(discussion_questions(summary_of(matrix, instrument, threshold=0.5))) == 3
    three = [row for row in matrix[1:]]  # 1 of 3: too few answers for the checklist's rule (4)
    assert discussion_questions(summary_of(three, instrument, threshold=0.5)) == []


def test_checklist_next_steps_come_from_the_items_section():
    instrument = checklist_instrument()
    report = build_report(checklist_summary(), "x")
    steps = [s for s in report.slides if s.key.startswith("aan-de-slag")]
    assert [s.subtitle for s in steps] == ["Items onder 50%, laagste eerst"]
    points = steps[0].points
    assert [p.text.split(" · ")[0] for p in points] == ["Item 3.1", "Item 5.6", "Item 4.2"]
    for point in points:
        item = instrument.statement(point.text.split(" · ")[0].removeprefix("Item "))
        material = instrument.step_material(item)
        assert point.text.endswith(item.text) and f"{item.theme} · nu " in point.text
        assert point.details[0] == f"Volgende stap: {material.section.title}"
        tips = [d for d in point.details if d.startswith("Tip: ")]
        assert len(tips) == min(2, sum(len(g.items) for g in material.tips))
        # A block's reading is shared by its items: it stands once, on the slide Meer lezen, not under each item.
        assert not [d for d in point.details if d.startswith("Meer lezen")]
    reading = next(s for s in report.slides if s.key == "meer-lezen-1")
    # Of the three, only 3.1's section has reading (5.6's and 4.2's sections and blocks have none).
    assert [bool(instrument.step_material(instrument.statement(i)).reading) for i in ("3.1", "5.6", "4.2")] == [
        True, False, False]
    assert [p.text for p in reading.points] == ["Informele netwerken · bij item 3.1"]
    # A tip is shortened for the slide: its first sentence, or its start cut at a word.
    first_tip = instrument.step_material(instrument.statement("4.2")).tips[0].items[0]
    shown = points[2].details[1].removeprefix("Tip: ").removesuffix(" …")
    assert first_tip.startswith(shown) and 40 < len(shown) <= TIP_LENGTH


def test_checklist_all_items_slide_counts_yes_and_no():
    report = build_report(checklist_summary(), "x")
    points = [p.text for p in report.slides[-1].points]
    assert len(points) == 32 and report.slides[-1].handout_only
    four_two = next(p for p in points if p.startswith("4.2. "))
    assert four_two.endswith("— Diversiteit team, score 33% voldaan (3 ja, 6 nee, 3 onbekend, 0 niet ingevuld)")
    five_one = next(p for p in points if p.startswith("5.1. "))
    assert five_one.endswith("(4 ja, 4 nee, 0 onbekend, 4 niet ingevuld)")


def test_checklist_progress_slide_between_two_rounds():
    instrument = checklist_instrument()
    before = checklist_summary(teams=False)
    later = [row[:] for row in checklist_matrix()]
    three_one = instrument.statement_ids.index("3.1")
    for row in later:
        row[three_one] = 2  # 3.1: from nobody to everybody
    after = summary_of(later, instrument, threshold=0.5)
    slide = build_report(after, "najaar.csv", previous=("Voorjaar", before)).slides[2]
    assert slide.key == "voortgang" and list(slide.charts[0].series) == ["Voorjaar", "Nu"]
    assert slide.charts[0].title == "Voldaan per bouwsteen, toen en nu"
    assert [p.text for p in slide.points] == ["Vooruit: Item 3.1 (Informele netwerken) · 0% voldaan → 100% voldaan "
                                              "(+100 procentpunt)"]
    calm = build_report(before, "x", previous=("Voorjaar", before)).slides[2]
    assert [p.text for p in calm.points] == [
        "Geen duidelijke verandering: bij geen item is het verschil groter dan toeval."]


def test_checklist_report_files_start_with_the_instrument():
    report = build_report(checklist_summary(), "Wijkteams Oost (2025-10-06)", "06-10-2025")
    assert report.file_name("pdf") == "diversiteitskader-wijkteams-oost-2025-10-06.pdf"
