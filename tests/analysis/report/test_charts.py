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
    assert [a.text for a in fig.layout.annotations if a.y == "B"] == ["te weinig respondenten (n<5)"]
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
    assert (note.x, note.text, note.textangle) == ("B", "te weinig respondenten (n<5)", -90)


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
        # The legend hangs from the bottom edge of the figure; the title sits at the top.
        assert (fig.layout.legend.yref, fig.layout.legend.y, fig.layout.legend.yanchor) == ("container", 0, "bottom")


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
