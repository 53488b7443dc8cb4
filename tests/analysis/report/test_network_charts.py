"""Leernetwerk charts: the hand-worked figures drawn, the instrument's words, and no real name in any label
or hover of the figure's JSON."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.instrument import get_instrument
from analysis.report.network_charts import network_charts
from analysis.scoring.network import Member, build_network
from analysis.scoring.scores import summarize_codes

REAL = ("Amstelveen", "Berkel", "Cadzand", "Dokkum")
KEY = "sleutel"


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def members(instrument, levels: dict[str, tuple[int, int]]) -> list[Member]:
    """Per organisation (respondents, answer code everywhere); statement 1 answered one level lower."""
    result = []
    for i, (name, (n, code)) in enumerate(levels.items()):
        matrix = np.full((n, len(instrument.statements)), code, dtype=np.int8)
        matrix[:, 0] = max(code - 1, 1)
        result.append(Member(name, f"{name} voorjaar", "2025-04-0" + str(i + 1),
                             summarize_codes(matrix, instrument), f"{i:032x}"))
    return result


FOUR = {"Gemeente Amstelveen": (6, 2), "Gemeente Berkel": (5, 3), "Gemeente Cadzand": (7, 4), "Gemeente Dokkum": (3, 5)}


@pytest.fixture(scope="module")
def scale_charts(instrument):
    return network_charts(build_network(instrument, members(instrument, FOUR), looking="Gemeente Berkel",
                                        name_key=KEY))


def test_theme_chart_draws_the_hand_worked_means(instrument, scale_charts):
    fig = scale_charts["themes"]
    assert fig.layout.title.text == "Leernetwerk per thema"
    # Competenties (9 statements, statement 1 one lower): (8 * L + (L - 1)) / 9 for L = 2, 3, 4; then the mean.
    competenties = [(8 * level + level - 1) / 9 for level in (2, 3, 4)]
    labels = next(t for t in fig.data if t.mode == "text")
    assert labels.text[0] == f"{sum(competenties) / 3:.1f}".replace(".", ",")
    means = [x for x in trace(fig, "Netwerkgemiddelde").x if x is not None][::2]
    assert means == pytest.approx([sum(competenties) / 3, 3.0, 3.0, 3.0])
    box = [x for x in trace(fig, "Laagste tot hoogste").x if x is not None]
    assert box[:2] == pytest.approx([min(competenties), max(competenties)])
    own = trace(fig, "Gemeente Berkel")
    assert list(own.x) == pytest.approx([competenties[1], 3.0, 3.0, 3.0]) and own.marker.symbol == "diamond"
    # Dokkum (3 respondents) is not drawn, only named by its letter in the subtitle with the reason.
    names = {t.name for t in fig.data}
    assert len(names & {"Organisatie A", "Organisatie B", "Organisatie C", "Organisatie D"}) == 2
    assert "te weinig respondenten (n&lt;5)" in fig.layout.title.subtitle.text  # escaped: shown as typed


def test_heatmap_rows_and_the_network_mean(instrument, scale_charts):
    fig = scale_charts["statements"]
    heatmap = fig.data[0]
    assert fig.layout.title.text == "Leernetwerk per stelling"
    assert heatmap.y[0] == "Gemeente Berkel" and heatmap.y[-1] == "Netwerkgemiddelde"
    network_row = heatmap.z[-1]
    assert network_row[0] == pytest.approx((1 + 2 + 3) / 3) and network_row[1] == pytest.approx((2 + 3 + 4) / 3)
    excluded = [row for label, row in zip(heatmap.y, heatmap.z) if label.startswith("Organisatie")
                and all(math.isnan(v) for v in row)]
    assert len(excluded) == 1
    assert any(a.text == "te weinig respondenten (n<5)" for a in fig.layout.annotations)


@pytest.mark.parametrize("looking", [None, "Gemeente Berkel"])
def test_no_real_name_in_any_label_or_hover(instrument, looking):
    charts = network_charts(build_network(instrument, members(instrument, FOUR), looking=looking, name_key=KEY))
    own = looking.split()[-1] if looking else None
    for fig in charts.values():
        text = fig.to_json()
        assert [n for n in REAL if n in text and n != own] == []
        assert "voorjaar" not in text.replace("Berkel voorjaar", "")  # no other round's name either


def test_two_included_draw_only_the_own_scores(instrument):
    two = {k: v for k, v in FOUR.items() if k != "Gemeente Cadzand"}
    charts = network_charts(build_network(instrument, members(instrument, two), looking="Gemeente Berkel",
                                          name_key=KEY))
    themes = charts["themes"]
    assert [x for x in trace(themes, "Netwerkgemiddelde").x] == []
    drawn = [t for t in themes.data if t.mode == "markers" and t.showlegend is not False]
    assert [t.name for t in drawn] == ["Gemeente Berkel"]
    assert "pas getoond vanaf 3" in themes.layout.title.subtitle.text
    heatmap = charts["statements"].data[0]
    assert all(math.isnan(v) for label, row in zip(heatmap.y, heatmap.z) if label != "Gemeente Berkel" for v in row)
    assert any("te weinig organisaties" in a.text for a in charts["statements"].layout.annotations)


def test_the_facilitator_with_two_included_sees_an_empty_chart_that_says_why(instrument):
    two = {k: v for k, v in FOUR.items() if k != "Gemeente Cadzand"}
    charts = network_charts(build_network(instrument, members(instrument, two), name_key=KEY))
    themes = charts["themes"]
    assert not any(t.mode == "markers" and len(t.x) for t in themes.data)
    assert any("pas getoond vanaf 3" in a.text for a in themes.layout.annotations)


def test_checklist_charts_in_the_kinds_words():
    checklist = get_instrument("diversiteitskader-wijkteams")
    levels = {"Wijkteam Noord": (5, 2), "Wijkteam Oost": (5, 1), "Wijkteam Zuid": (6, 2), "Wijkteam West": (2, 2)}
    charts = network_charts(build_network(checklist, members(checklist, levels), name_key=KEY))
    themes, heatmap = charts["themes"], charts["statements"]
    assert themes.layout.title.text == "Leernetwerk per bouwsteen"
    assert themes.layout.xaxis.title.text == "Voldaan" and themes.layout.yaxis.title.text == "Bouwsteen"
    # The 32 items in two rows of cells (blocks 1-2, then 3-5), the axis title under the lower one.
    assert heatmap.layout.title.text == "Leernetwerk per item" and heatmap.layout.xaxis2.title.text == "Item"
    assert list(heatmap.data[0].x[:10]) == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10"]
    assert heatmap.data[0].x[-1] == "2.3" and heatmap.data[1].x[0] == "3.1" and heatmap.data[1].x[-1] == "5.10"
    # Item 1.1 answered Nee everywhere: 0; every other item: Noord and Zuid met, Oost not: 2/3.
    assert heatmap.data[0].z[-1][0] == 0 and heatmap.data[0].z[-1][1] == pytest.approx(2 / 3)
    for fig in charts.values():
        assert not any(word in fig.to_json() for word in ("Noord", "Oost", "Zuid", "West"))


def test_a_network_without_rounds_still_draws(instrument):
    charts = network_charts(build_network(instrument, [], name_key=KEY))
    assert charts["themes"].layout.annotations[0].text.startswith("Netwerkcijfers worden pas getoond")
    assert list(charts["statements"].data[0].y) == ["Netwerkgemiddelde"]
