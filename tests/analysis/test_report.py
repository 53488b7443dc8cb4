"""The report model: slide order, suppression, discussion questions, next steps."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from make_fixtures import CANONICAL, TEAMS

from analysis.report import (
    MIN_SPREAD,
    MIN_UNKNOWN_SHARE,
    STEPS_PER_SLIDE,
    build_report,
    discussion_questions,
    spread_table,
)
from analysis.scoring import summarize_codes
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
    assert report.slides[0].subtitle == "export.csv · 01-02-2025"


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
    assert "Cliëntenraad (te weinig respondenten (n<5))" in teams.subtitle
    assert "Team Zuid (verborgen om een kleine groep te beschermen)" in teams.subtitle


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
    assert len(steps) == math.ceil(len(weak) / STEPS_PER_SLIDE)
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
        assert [d for d in point.details if d.startswith("Meer lezen")] == [
            "Meer lezen: " + r.title + (f" ({r.publisher})" if r.publisher else "") for r in statement.reading]
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
    from analysis.progress import largest_changes, statement_change
    from tests.analysis.test_progress import MATRIX_B

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
