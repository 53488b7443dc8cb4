"""Chart builders: the geometry users read off the charts, checked on hand-made tables."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.report.charts import LEVEL_COLOURS, diverging_bars, group_heatmap, statement_radar, theme_radar
from analysis.scoring.scores import answer_counts, distribution, statement_table, theme_table


def _statements(instrument, column):
    codes = np.full((len(column), 24), -1, dtype=np.int8)
    codes[:, 0] = column
    return statement_table(answer_counts(codes), instrument)


def test_diverging_bars_centre_the_middle_level(instrument):
    # Statement 1: one Inactief, two Goed op weg, one Vergevorderd, one unknown -> 25/50/25 % of known.
    dist = distribution(_statements(instrument, [1, 3, 3, 5, 0]), instrument)
    fig = diverging_bars(dist, [1], instrument, "t")
    bars = {t.name: t for t in fig.data if isinstance(t, go.Bar)}
    middle = bars["Goed op weg"]
    assert float(middle.base[0]) == -25 and float(middle.x[0]) == 50
    assert float(bars["Inactief"].base[0]) == -50 and float(bars["Inactief"].x[0]) == 25
    assert float(bars["Vergevorderd"].base[0]) == 25 and float(bars["Vergevorderd"].x[0]) == 25
    assert float(bars["Onbekend/n.v.t."].x[0]) == 20  # one of the five who answered
    assert bars["Inactief"].marker.color == LEVEL_COLOURS[0]


def test_radars_draw_one_series_per_input_and_five_bands(instrument):
    statements = _statements(instrument, [4, 4])
    themes = theme_table(statements, instrument)
    fig = theme_radar({"A": themes, "B": themes}, instrument, "t")
    assert [t.name for t in fig.data if isinstance(t, go.Scatterpolar)] == ["A", "B"]
    assert sum(isinstance(t, go.Barpolar) for t in fig.data) == 5
    radar = statement_radar({"A": statements}, instrument, "t")
    line = next(t for t in radar.data if isinstance(t, go.Scatterpolar))
    assert list(line.theta[:3]) == ["1", "2", "3"] and line.r[0] == 4


def test_heatmap_hides_suppressed_scores(instrument):
    rows = [{"group": "A", "id": i, "score": 3.0, "suppressed": False, "status": ""} for i in range(1, 25)]
    rows += [{"group": "B", "id": i, "score": None, "suppressed": True, "status": "te weinig respondenten (n<5)"}
             for i in range(1, 25)]
    fig = group_heatmap(pd.DataFrame(rows), instrument, "t")
    heat = fig.data[0]
    assert set(heat.text[1]) == {""}  # no number in any cell of the hidden row
    # Placed by serial numbers (plotly reads a category position as a number first): row 1 is B, across the middle.
    assert [(a.y, a.x, a.text) for a in fig.layout.annotations] == [(1, 11.5, "te weinig respondenten (n<5)")]
    assert all("te weinig respondenten (n<5)" in h for h in heat.hovertext[1])
    assert np.isnan(np.asarray(heat.z[1], dtype=float)).all()


def test_names_from_uploads_are_not_plotly_markup(instrument):
    from analysis.report.charts import group_trend_lines

    statements = _statements(instrument, [3, 4])
    themes = theme_table(statements, instrument)
    sneaky = "<a href='https://x.example'>klik</a>"
    radar = theme_radar({sneaky: themes}, instrument, f"Ronde {sneaky}")
    line = next(t for t in radar.data if isinstance(t, go.Scatterpolar))
    assert line.name == "&lt;a href='https://x.example'&gt;klik&lt;/a&gt;"
    assert "<a" not in radar.layout.title.text
    rows = [{"group": sneaky, "id": i, "score": 3.0, "suppressed": False, "status": ""} for i in range(1, 25)]
    heat = group_heatmap(pd.DataFrame(rows), instrument, "t").data[0]
    assert "<a" not in heat.y[0] and all("<a" not in h for h in heat.hovertext[0])
    trends = pd.DataFrame([{"group": sneaky, "round": "<b>R1</b>", "respondents": 6, "size": "6",
                            "suppressed": False, "status": "", "theme": "Totaal", "score": 3.0}])
    trend = group_trend_lines(trends, instrument, "t").data[0]
    assert "<" not in trend.name and "<" not in trend.x[0]


def test_vertical_heatmap_puts_statements_down_the_side(instrument):
    rows = [{"group": "A", "id": i, "score": 2.0 + (i % 3), "suppressed": False, "status": ""} for i in range(1, 25)]
    rows += [{"group": "B", "id": i, "score": None, "suppressed": True, "status": "te weinig respondenten (n<5)"}
             for i in range(1, 25)]
    fig = group_heatmap(pd.DataFrame(rows), instrument, "t", vertical=True)
    heat = fig.data[0]
    assert list(heat.x) == ["A", "B"] and list(heat.y) == [str(i) for i in range(1, 25)]
    assert heat.z[0][0] == 3.0 and heat.text[4][0] == "4,0" and heat.text[4][1] == ""
    [note] = fig.layout.annotations
    assert (note.x, note.y, note.text, note.textangle) == (1, 11.5, "te weinig respondenten (n<5)", -90)


def _font_sizes(node, inherited, path="layout"):
    """Every (path, size) of text in a figure's JSON; a font without a size inherits the layout's."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict):
                yield f"{path}.{key}", value.get("size", inherited)
            yield from _font_sizes(value, inherited, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _font_sizes(value, inherited, f"{path}[{index}]")


def test_every_text_on_a_slide_chart_is_at_least_14_px(instrument):
    import json

    from analysis.report.charts import figure_for
    from analysis.report.model import build_report
    from tests.analysis.report.test_report import summary_of
    from tests.fixtures.make_fixtures import CANONICAL, TEAMS

    report = build_report(summary_of(CANONICAL, instrument, TEAMS), "x")
    specs = [spec for slide in report.presented for spec in slide.charts]
    assert {spec.kind for spec in specs} == {"theme_radar", "statement_radar", "distribution", "group_heatmap"}
    for spec in specs:
        figure = json.loads(figure_for(spec, instrument).to_json())
        base = figure["layout"]["font"]["size"]
        assert base >= 14
        small = [(path, size) for path, size in _font_sizes(figure, base) if size < 14]
        assert not small, (spec.kind, small)
        # Axis ticks carry their own size, so a theme's template (Streamlit's is under 13 px) cannot shrink them.
        for axis in (k for k in figure["layout"] if k.startswith(("xaxis", "yaxis"))):
            assert figure["layout"][axis]["tickfont"]["size"] >= 14, (spec.kind, axis)


def test_radar_levels_are_named_off_the_plot_and_legends_sit_below_it(instrument):
    themes = theme_table(_statements(instrument, [4, 2]), instrument)
    for fig in (theme_radar({"A": themes}, instrument, "t"),
                statement_radar({"A": _statements(instrument, [4, 2])}, instrument, "t")):
        # Level names on the radial axis ran across the data line: the rings are named in the subtitle.
        assert fig.layout.polar.radialaxis.showticklabels is False
        assert "1 Inactief" in fig.layout.title.subtitle.text and "5 Vergevorderd" in fig.layout.title.subtitle.text
        # The legend hangs under the plot (plotly grows the bottom margin for it), a blank title row of at least
        # 22 px keeping it off the lower categories' labels, see-through; the title sits at the top.
        legend = fig.layout.legend
        assert (legend.yref, legend.y, legend.yanchor, legend.bgcolor) == ("paper", 0, "top", "rgba(0,0,0,0)")
        assert legend.title.text == "&nbsp;" and legend.title.font.size >= 22
        assert (fig.layout.title.y, fig.layout.title.yanchor) == (1, "top")


def test_completeness_chart_names_the_item_and_keeps_its_legend_below():
    """Gegevens' 'Ingevuld per item': the checklist's own word, a legend that fits both kinds, and the legend along
    the bottom edge (above the plot it was cut off at 1280 px)."""
    from analysis.report.charts import completeness_bars

    table = pd.DataFrame({"id": ["1.1", "1.2"], "n_known": [3, 1], "n_unknown": [1, 0], "n_missing": [0, 3]})
    fig = completeness_bars(table, "Ingevuld per item", "item")
    assert fig.layout.xaxis.title.text == "Item"
    assert [t.name for t in fig.data] == ["Met oordeel", "Onbekend/n.v.t.", "Niet ingevuld"]
    assert "Item %{x}" in fig.data[0].hovertemplate
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    assert list(fig.data[0].y) == [3, 1] and list(fig.data[2].y) == [0, 3]


def test_radar_key_and_side_labels_fit_a_third_of_a_1280_screen(instrument):
    """At 1280 px a radar is ~390 px wide: its ring key broke off at '5 Verg…' and 'Methodiek' at 'Methodie'."""
    themes = theme_table(statement_table(answer_counts(np.ones((5, 24), dtype=np.int8) * 3), instrument), instrument)
    fig = theme_radar({"Organisatie": themes}, instrument, "Niveau per thema")
    lines = fig.layout.title.subtitle.text.split("<br>")
    assert lines[1:] == ["1 Inactief · 2 Startend · 3 Goed op weg", "4 Gevorderd · 5 Vergevorderd"]
    assert max(len(line) for line in lines) <= 45  # about 320 px at 14 px text
    longest = max(len(theme) for theme in instrument.themes if theme in ("Methodiek", "Proces"))
    assert fig.layout.margin.l >= 10 * longest and fig.layout.margin.r >= 10 * longest


# --- Text that fits at 1280 px (QA walk): radar labels on two lines, heatmap cells in rows, legends on the figure --

def _checklist_summary():
    from analysis.ingest.dataset import ingest_file
    from analysis.scoring.summary import summarize
    from tests.conftest import SAMPLES

    return summarize(ingest_file(SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv"),
                     "In welk wijkteam werkt u?")


def test_a_long_radar_label_breaks_at_the_space_nearest_its_middle():
    from analysis.report.charts import radar_label

    assert radar_label("Informele netwerken") == "Informele<br>netwerken"
    assert radar_label("Diversiteit team") == "Diversiteit<br>team"
    # Spaces at 13 and 16 of 28 characters: the one at 13 is nearer the middle (14).
    assert radar_label("Voorbereiding en verankering") == "Voorbereiding<br>en verankering"
    assert radar_label("Competenties") == "Competenties" and radar_label("Randvoorwaarden") == "Randvoorwaarden"
    assert radar_label("Team <b>Noord</b> en Zuid") == "Team &lt;b&gt;Noord&lt;/b&gt;<br>en Zuid"


def test_the_checklist_radar_names_its_blocks_on_two_lines_with_room_beside_the_circle():
    from analysis.instrument import get_instrument

    checklist = get_instrument("diversiteitskader-wijkteams")
    themes = pd.DataFrame({"theme": list(checklist.themes), "score": [0.5, 0.4, 0.3, 0.2, 0.1]})
    fig = theme_radar({"Organisatie": themes}, checklist, "Voldaan per bouwsteen")
    axis = fig.layout.polar.angularaxis
    assert list(axis.tickvals) == list(checklist.themes)  # the data and its hover keep the plain names
    score = "<br><b><span style='color:#000000'>{}</span></b>"
    assert list(axis.ticktext) == ["Werkwijze" + score.format("50%"), "Competenties" + score.format("40%"),
                                   "Informele<br>netwerken" + score.format("30%"),
                                   "Diversiteit<br>team" + score.format("20%"), "Proces" + score.format("10%")]
    line = next(t for t in fig.data if isinstance(t, go.Scatterpolar))
    # The hover names the block from the data: plotly's %{theta} is the label as drawn, with its score line.
    assert line.theta[2] == "Informele netwerken" and list(line.customdata[2]) == ["Informele netwerken", "30% voldaan"]
    assert "%{theta}" not in line.hovertemplate and "%{customdata[0]}: %{customdata[1]}" in line.hovertemplate
    # 'Competenties' stands at 2 o'clock; in 16 px Arial it is 98 px wide, and a label starts ~8 px off the circle.
    assert fig.layout.margin.l >= 106 and fig.layout.margin.r >= 106


def test_a_single_radar_line_has_its_scores_under_the_category_names(instrument):
    """Beside its point a score stood on the line ('2,7') or on the next name ('62%' on 'Competenties', QA walk at
    1280 px): under the name it can do neither. With more lines the legend and the hover tell them apart."""
    themes = theme_table(_statements(instrument, [4, 2]), instrument)
    one = theme_radar({"Organisatie": themes}, instrument, "t")
    lines = [t for t in one.data if isinstance(t, go.Scatterpolar)]
    assert [t.mode for t in lines] == ["lines+markers"] and lines[0].text is None
    labels = list(one.layout.polar.angularaxis.ticktext)
    assert labels[0] == "Competenties<br><b><span style='color:#000000'>3,0</span></b>"
    assert labels[1:] == ["Methodiek", "Randvoorwaarden", "Proces"]  # no score, no second line
    two = theme_radar({"A": themes, "B": themes}, instrument, "t")
    assert list(two.layout.polar.angularaxis.ticktext) == list(instrument.themes)
    # A score line makes the top label a line higher: the room above the circle grows with it.
    assert one.layout.margin.t > two.layout.margin.t


def test_item_ids_round_a_radar_name_their_block_once():
    """'5.9' and '5.10' touched at 1280 px: after a block's first item only the number (the ring names the block)."""
    from analysis.report.charts import item_labels

    assert item_labels(["1.1", "1.2", "1.12", "2.1", "2.2", "5.10"]) == ["1.1", "2", "12", "2.1", "2", "5.10"]
    assert item_labels([1, 2, 10]) == ["1", "2", "10"]  # the QuickScan's statements keep their numbers
    from analysis.instrument import get_instrument

    checklist = get_instrument("diversiteitskader-wijkteams")
    table = pd.DataFrame({"id": checklist.statement_ids, "score": 0.5})
    fig = statement_radar({"A": table}, checklist, "t")
    axis = fig.layout.polar.angularaxis
    assert list(axis.tickvals) == [str(i) for i in checklist.statement_ids]
    line = next(t for t in fig.data if isinstance(t, go.Scatterpolar))  # its hover says 'Item 5.10', not 'Item 10'
    assert line.customdata[-2][0] == "5.10" and "Item %{customdata[0]}:" in line.hovertemplate
    assert [t for t in axis.ticktext if "." in t] == ["1.1", "2.1", "3.1", "4.1", "5.1"]


def test_item_numbers_leave_the_statement_radar_a_large_circle(instrument):
    """Around the statement radar stand only numbers ('5.10' is 26 px at 14 px): no 100 px beside the circle,
    which left it so small at 1280 px that '5.9' and '5.10' ran into each other."""
    fig = statement_radar({"A": _statements(instrument, [4, 2])}, instrument, "t")
    assert 30 <= fig.layout.margin.l <= 60 and fig.layout.margin.l == fig.layout.margin.r


def test_checklist_heatmap_wraps_between_blocks_and_every_cell_keeps_its_figure():
    """32 items across a Teams page at 1280 px gave cells of 18 px and '100' ran into '88'; in two rows of cells
    (blocks 1-2, blocks 3-5) each is twice as wide. Every figure and hover is still the group's own score."""
    from analysis.scoring.overview import group_scores

    summary = _checklist_summary()
    checklist = summary.instrument
    fig = group_heatmap(group_scores(summary), checklist, "Score per groep en item")
    rows = [t for t in fig.data if t.type == "heatmap"]
    werkwijze_competenties = [s.id for s in checklist.statements if s.theme in ("Werkwijze", "Competenties")]
    assert [list(r.x) for r in rows] == [werkwijze_competenties,
                                        [s.id for s in checklist.statements if s.id not in werkwijze_competenties]]
    assert len(rows[0].x) == 15 and len(rows[1].x) == 17
    assert {r.coloraxis for r in rows} == {"coloraxis"}  # one colour key for both rows
    for group in summary.groups:
        y = list(rows[0].y).index(group.name)
        cells = {i: (t, h) for r in rows for i, t, h in zip(r.x, r.text[y], r.hovertext[y])}
        if group.suppressed:
            assert {t for t, _ in cells.values()} == {""}
            assert all(h.endswith(group.status_text(summary.min_group_size)) for _, h in cells.values())
            continue
        for item_id, score in zip(group.statements["id"], group.statements["score"]):
            share = round(score * 100)
            assert cells[item_id] == (str(share), f"{group.name} · item {item_id}: {share}% voldaan")
    # A hidden group's reason across the middle of each row of cells, in the row's serial numbers.
    hidden = [k for k, g in enumerate(summary.groups) if g.suppressed]
    assert sorted((a.y, a.x) for a in fig.layout.annotations) == sorted((k, x) for k in hidden for x in (7, 8))


def test_the_scale_heatmap_keeps_its_24_statements_in_one_row(instrument):
    rows = [{"group": "A", "id": i, "score": 3.0, "suppressed": False, "status": ""} for i in range(1, 25)]
    fig = group_heatmap(pd.DataFrame(rows), instrument, "t")
    assert len(fig.data) == 1 and list(fig.data[0].x) == [str(i) for i in range(1, 25)]
    assert fig.layout.xaxis.title.text == "Stelling" and list(fig.layout.xaxis.range) == [-0.5, 23.5]


def test_round_legends_stand_on_the_figure(instrument):
    """The dumbbell's and the trend chart's legends took y=1 in the figure's coordinates (from the base layout)
    and stood above its top edge: nobody saw which colour was which round or group."""
    from analysis.report.charts import change_dumbbell, group_trend_lines

    progress = pd.DataFrame({"round": ["R1", "R2"], "id": [1, 1], "theme": ["Competenties"] * 2, "score": [2.0, 3.0]})
    dumbbell = change_dumbbell(progress, [1], instrument, "t")
    assert (dumbbell.layout.legend.yref, dumbbell.layout.legend.y, dumbbell.layout.legend.yanchor) == \
        ("paper", 1.0, "bottom")
    trends = pd.DataFrame([{"group": "Team A", "round": r, "respondents": 6, "size": "6", "suppressed": False,
                            "status": "", "theme": "Totaal", "score": 3.0} for r in ("R1", "R2")])
    trend = group_trend_lines(trends, instrument, "t")
    assert (trend.layout.legend.yref, trend.layout.legend.y, trend.layout.legend.yanchor) == ("paper", 0, "top")
