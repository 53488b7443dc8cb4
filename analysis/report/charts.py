"""Plotly figures for the pages and the exports, built from the scoring tables.

Each builder takes tidy data (DataFrames from ``scoring``) and returns a new figure; none of
them fetches data or touches a shared layout. Colours and labels come from the tables below, so
every chart speaks the same visual language.
"""

from __future__ import annotations

import textwrap
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.instrument import Instrument
from analysis.safe_text import visible_text

# Diverging red-grey-blue (ColorBrewer RdBu with a darker middle): distinct for the common
# colour-vision deficiencies and in greyscale print.
LEVEL_COLOURS = ["#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac"]
UNKNOWN_COLOUR = "#7f7f7f"
THEME_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
SERIES_COLOURS = ["#000000", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00", "#f0e442"]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)
MIN_TEXT = 14  # px: the smallest text on any chart, read from the back of a room at 1280x720


def _plain(text) -> str:
    """User text for plotly, which reads a little HTML (<b>, <br>, <a href>): shown as typed, never as markup."""
    return escape(visible_text(text), quote=False)


def _wrap(text: str, width: int = 28) -> str:
    return "<br>".join(_plain(line) for line in textwrap.wrap(str(text), width)) or _plain(text)


def _base_layout(fig: go.Figure, title: str, height: int = 520, subtitle: tuple[str, ...] = ()) -> go.Figure:
    """Title top left (with an optional subtitle), legend along the bottom edge of the figure.

    The legend is anchored to the figure, not the plot, so it can never run into the title or the plot's
    own labels (a radar's bottom category, an axis title); the bottom margin holds it.
    """
    title_spec = dict(text=_plain(title), x=0, xanchor="left", font=dict(size=18))
    if subtitle:
        title_spec["subtitle"] = dict(text="<br>".join(_plain(line) for line in subtitle),
                                      font=dict(size=MIN_TEXT, color="#555"))
    fig.update_layout(title=title_spec, font=FONT, height=height, hoverlabel=dict(font_size=MIN_TEXT),
                      margin=dict(l=70, r=70, t=70 + 26 * len(subtitle), b=80), paper_bgcolor="white",
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", xanchor="center",
                                  x=0.5, font=dict(size=FONT["size"])))
    # Explicit sizes: a theme's template (Streamlit's shrinks ticks to under 13 px) never wins over them.
    axis_text = dict(tickfont=dict(size=FONT["size"]), title_font=dict(size=FONT["size"]))
    fig.update_xaxes(**axis_text)
    fig.update_yaxes(**axis_text)
    fig.update_traces(colorbar=dict(tickfont=dict(size=FONT["size"]), title_font=dict(size=FONT["size"])),
                      selector=dict(type="heatmap"))
    return fig


def band_colours(n: int) -> list[str]:
    """N colours from the level palette, low to high (all five for five levels, the outer ones first)."""
    picks = np.linspace(0, len(LEVEL_COLOURS) - 1, n) if n > 1 else [len(LEVEL_COLOURS) - 1]
    return [LEVEL_COLOURS[int(round(i))] for i in picks]


def _level_bands(categories: list[str], instrument: Instrument) -> list[go.Barpolar]:
    """Faint rings, one per level (or share band), behind a radar so its values read as levels."""
    bands = instrument.score_scale.bands
    # On a category axis a bar's width is counted in categories, not degrees.
    return [go.Barpolar(r=[high - low] * len(categories), base=[low] * len(categories), theta=categories,
                        width=[1] * len(categories), marker=dict(color=colour, line_width=0),
                        opacity=0.16, hoverinfo="skip", showlegend=False, name=label)
            for (low, high, label), colour in zip(bands, band_colours(len(bands)))]


LEVELS_PER_LINE = 3  # five level names on one line ran past the right edge of a radar a third of 1280 px wide


def _level_key(instrument: Instrument) -> tuple[str, ...]:
    """The rings named once, under the title: level names on the rings crossed the data line."""
    bands = instrument.score_scale.bands
    if instrument.score_scale.percent:
        return ("Ringen van binnen naar buiten: aandeel voldaan",
                " · ".join(label for _, _, label in bands))
    names = [f"{n} {label}" for n, (_, _, label) in enumerate(bands, 1)]
    lines = [" · ".join(names[i:i + LEVELS_PER_LINE]) for i in range(0, len(names), LEVELS_PER_LINE)]
    return ("Ringen van binnen naar buiten:", *lines)


def _polar_axes(fig: go.Figure, instrument: Instrument, tick_size: int = 16) -> None:
    scale = instrument.score_scale
    fig.update_layout(polar=dict(
        bgcolor="white", bargap=0,
        radialaxis=dict(range=[scale.low, scale.high], tickvals=list(scale.ticks),
                        showticklabels=False, ticks="", angle=90, gridcolor="#d0d0d0"),
        angularaxis=dict(direction="clockwise", rotation=90, type="category", tickfont=dict(size=tick_size),
                         gridcolor="#e0e0e0")))


def _room_for_top_label(fig: go.Figure) -> go.Figure:
    """A radar's top category label stands above the plot area: keep it clear of the subtitle. Its side labels
    stand beside the circle: room for a word like 'Methodiek' ('Methodie' was cut off at 1280 px)."""
    fig.update_layout(margin_t=fig.layout.margin.t + 28, margin_l=100, margin_r=100)
    return fig


def theme_radar(series: dict[str, pd.DataFrame], instrument: Instrument, title: str) -> go.Figure:
    """Radar of theme scores; ``series`` maps a name (organisation, team, round) to a theme table."""
    categories = list(instrument.themes)
    scale = instrument.score_scale
    fig = go.Figure(_level_bands(categories, instrument))
    for i, (name, themes) in enumerate(series.items()):
        scores = themes.set_index("theme").reindex(categories)["score"]
        levels = pd.Series([instrument.score_text(v) for v in scores], index=categories)
        fig.add_trace(go.Scatterpolar(
            r=list(scores) + [scores.iloc[0]], theta=categories + [categories[0]], name=_plain(name),
            showlegend=len(series) > 1,
            mode="lines+markers+text" if len(series) == 1 else "lines+markers",
            text=[scale.short(v) for v in scores] + [""], textposition="top right",
            textfont=dict(size=16, color=SERIES_COLOURS[i % len(SERIES_COLOURS)]),
            line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=3),
            marker=dict(size=9), customdata=list(levels) + [levels.iloc[0]],
            hovertemplate="%{theta}: %{customdata}<extra>%{fullData.name}</extra>"))
    _polar_axes(fig, instrument)
    return _room_for_top_label(_base_layout(fig, title, subtitle=_level_key(instrument)))


def statement_radar(series: dict[str, pd.DataFrame], instrument: Instrument, title: str) -> go.Figure:
    """Radar of the statements, labelled by number and coloured by theme on the outer ring."""
    statements = instrument.statements
    categories = [f"{s.id}" for s in statements]
    scale = instrument.score_scale
    ring = (scale.high - scale.low) * 0.036  # the outer theme ring, beyond the highest score
    fig = go.Figure(_level_bands(categories, instrument))
    theme_colour = {t: THEME_COLOURS[i % len(THEME_COLOURS)] for i, t in enumerate(instrument.themes)}
    for theme in instrument.themes:
        ids = [str(s.id) for s in statements if s.theme == theme]
        fig.add_trace(go.Barpolar(r=[ring] * len(ids), base=[scale.high - ring] * len(ids), theta=ids,
                                  width=[1] * len(ids), name=theme,
                                  marker=dict(color=theme_colour[theme], line_width=0), hoverinfo="name"))
    for i, (name, table) in enumerate(series.items()):
        scores = table.set_index("id").reindex([s.id for s in statements])["score"]
        texts = [_wrap(s.text, 50) for s in statements]
        fig.add_trace(go.Scatterpolar(
            r=list(scores) + [scores.iloc[0]], theta=categories + [categories[0]], name=_plain(name),
            showlegend=len(series) > 1,
            mode="lines+markers", line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=2.5),
            marker=dict(size=7), connectgaps=True, customdata=texts + [texts[0]],
            hovertemplate=f"{instrument.kind.item.capitalize()} %{{theta}}: %{{r:{scale.hover}}}<br>"
                          "%{customdata}<extra>%{fullData.name}</extra>"))
    _polar_axes(fig, instrument, tick_size=MIN_TEXT)
    return _room_for_top_label(_base_layout(fig, title, height=600, subtitle=_level_key(instrument)))


def group_heatmap(groups: pd.DataFrame, instrument: Instrument, title: str, vertical: bool = False) -> go.Figure:
    """Groups x statements coloured by level; ``groups`` has columns group, id, score, suppressed.

    ``vertical`` puts the statements down the side, for narrow places such as a slide column.
    """
    names = list(dict.fromkeys(groups["group"]))
    ids = instrument.statement_ids
    scale, item = instrument.score_scale, instrument.kind.item
    pivot = groups.pivot_table(index="group", columns="id", values="score", aggfunc="first", dropna=False)
    pivot = pivot.reindex(index=names, columns=ids)
    suppressed = groups.groupby("group", sort=False)["suppressed"].first().reindex(names)
    status = groups.groupby("group", sort=False)["status"].first().reindex(names)
    z = pivot.to_numpy(dtype=float)
    # A suppressed row says why once, across the row, instead of in every narrow cell.
    # In the cells a share is a bare number (the colour key says %): "100%" does not fit a narrow cell.
    text = np.array([["" if suppressed[g] or np.isnan(v) else scale.short(v).rstrip("%") for v in row]
                     for g, row in zip(names, z)], dtype=object).reshape(z.shape)
    hover = np.array([[f"{_plain(g)} · {item} {i}: " + (status[g] if suppressed[g] else
                                                      instrument.score_text(None if np.isnan(v) else v))
                       for i, v in zip(ids, row)] for g, row in zip(names, z)], dtype=object).reshape(z.shape)
    colours, (zmin, zmax) = [], (scale.bands[0][0], scale.bands[-1][1])
    for (low, high, _), colour in zip(scale.bands, band_colours(len(scale.bands))):
        colours += [[(low - zmin) / (zmax - zmin), colour], [(high - zmin) / (zmax - zmin), colour]]
    group_labels = [_wrap(n, 24) for n in names]
    statement_labels = [str(i) for i in ids]
    cells = dict(z=z, x=statement_labels, y=group_labels, text=text.tolist(), hovertext=hover.tolist())
    if vertical:
        cells = dict(z=z.T, x=group_labels, y=statement_labels, text=text.T.tolist(), hovertext=hover.T.tolist())
    fig = go.Figure(go.Heatmap(
        **cells, texttemplate="%{text}", textfont=dict(size=MIN_TEXT), hoverinfo="text", colorscale=colours,
        zmin=zmin, zmax=zmax, xgap=2, ygap=2,
        colorbar=dict(title="Voldaan" if scale.percent else "Niveau", tickvals=list(scale.ticks),
                      ticktext=list(scale.tick_labels))))
    statement_axis = dict(title=item.capitalize(), type="category")
    group_axis = dict(autorange="reversed", type="category") if not vertical else dict(type="category", side="top")
    fig.update_layout(xaxis=group_axis if vertical else statement_axis,
                      yaxis={**statement_axis, "autorange": "reversed"} if vertical else group_axis,
                      plot_bgcolor="#f4f4f4")
    middle = str(ids[len(ids) // 2])
    for name, label in zip(names, group_labels):
        if suppressed[name]:
            place = dict(x=label, y=middle, textangle=-90) if vertical else dict(x=middle, y=label)
            fig.add_annotation(**place, text=status[name], showarrow=False, font=dict(color="#444", size=MIN_TEXT),
                               bgcolor="rgba(255,255,255,0.85)")
    if not vertical:
        # The level key along the bottom edge of the figure (like a legend), so a row of 24 statements gets the
        # whole width: beside the cells it left them too narrow for "3,2" at 1280 px.
        fig.update_traces(colorbar=dict(orientation="h", x=0.5, xanchor="center", yref="container", y=0,
                                        yanchor="bottom", thickness=12, title=dict(side="right")))
        _base_layout(fig, title, height=230 + 48 * len(names))
        fig.update_layout(margin=dict(b=150))
        return fig
    # Narrow: the level key goes underneath, so the groups keep the width and their names stay level.
    fig.update_traces(colorbar=dict(orientation="h", x=0.5, xanchor="center", y=-0.03, yanchor="top",
                                    thickness=12, title=dict(side="top")))
    fig.update_xaxes(tickangle=0)
    _base_layout(fig, title, height=230 + 22 * len(ids))
    fig.update_layout(margin=dict(t=110, b=90))
    return fig


def _diverging_positions(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and width per level (columns) so the answers balance on zero.

    ``shares`` is statements x levels in percent. With an odd number of levels the middle one is
    centred on zero; with an even number (a checklist's Nee/Ja) the lower half stacks leftwards from
    zero and the upper half rightwards.
    """
    n_levels = shares.shape[1]
    middle = n_levels // 2
    starts = np.zeros_like(shares)
    centred = n_levels % 2 == 1
    edge = -shares[:, middle] / 2 if centred else np.zeros(shares.shape[0])
    if centred:
        starts[:, middle] = edge
    for level in range(middle - 1, -1, -1):
        edge = edge - shares[:, level]
        starts[:, level] = edge
    edge = shares[:, middle] / 2 if centred else np.zeros(shares.shape[0])
    for level in range(middle + 1 if centred else middle, n_levels):
        starts[:, level] = edge
        edge = edge + shares[:, level]
    return starts, shares


def _balance_title(labels: tuple[str, ...]) -> str:
    middle = len(labels) // 2
    if len(labels) % 2:
        return f"← lager dan {labels[middle]} · hoger →"
    return f"← {labels[middle - 1]} · {labels[middle]} →"


def diverging_bars(distribution: pd.DataFrame, order: list[int], instrument: Instrument,
                   title: str) -> go.Figure:
    """Stacked bars per statement centred on the middle level; unknown answers in a side panel.

    ``distribution`` is ``scoring.distribution``: id, code, answer, count.
    """
    counts = distribution.pivot_table(index="id", columns="code", values="count", aggfunc="sum").reindex(order)
    levels = list(range(1, instrument.max_level + 1))
    known = counts[levels].to_numpy(dtype=float)
    totals = known.sum(axis=1, keepdims=True)
    shares = np.divide(known * 100, totals, out=np.zeros_like(known), where=totals > 0)
    starts, widths = _diverging_positions(shares)
    labels = [str(i) for i in order]
    item = instrument.kind.item.capitalize()
    colours = band_colours(len(levels))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.8, 0.2], horizontal_spacing=0.03,
                        subplot_titles=("Verdeling (% met oordeel)", instrument.unknown_label.replace("/", "/<br>")))
    fig.update_annotations(font_size=MIN_TEXT)
    for i, label in enumerate(instrument.level_labels):
        fig.add_trace(go.Bar(
            y=labels, x=widths[:, i], base=starts[:, i], orientation="h", name=label,
            marker_color=colours[i], customdata=np.stack([shares[:, i], known[:, i]], axis=1),
            hovertemplate=f"{item} %{{y}} · {label}: %{{customdata[0]:.0f}}% (n=%{{customdata[1]:.0f}})"
                          "<extra></extra>"), row=1, col=1)
    unknown = counts[0].to_numpy(dtype=float)
    answered = totals[:, 0] + unknown
    unknown_share = np.divide(unknown * 100, answered, out=np.zeros_like(unknown), where=answered > 0)
    fig.add_trace(go.Bar(y=labels, x=unknown_share, orientation="h", name=instrument.unknown_label,
                         marker_color=UNKNOWN_COLOUR, customdata=unknown,
                         hovertemplate=f"{item} %{{y}}: %{{x:.0f}}% (n=%{{customdata}})<extra></extra>"), row=1,
                  col=2)
    fig.add_trace(go.Scatter(y=labels, x=[100] * len(labels), mode="text", text=[f"n={int(n)}" for n in answered],
                             textposition="middle right", showlegend=False, hoverinfo="skip",
                             textfont=dict(size=MIN_TEXT)), row=1, col=1)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_xaxes(range=[-100, 118], tickvals=[-100, -50, 0, 50, 100], ticktext=["100%", "50%", "0", "50%", "100%"],
                     title_text=_balance_title(instrument.level_labels), row=1, col=1,
                     zeroline=True, zerolinecolor="#444")
    fig.update_xaxes(range=[0, 100], tickvals=[0, 100], ticktext=["0", "100%"], tickangle=0, row=1, col=2)
    # Both panels on a category axis: item ids such as "1.10" would otherwise be read as numbers (1.1).
    fig.update_yaxes(type="category", row=1, col=2)
    fig.update_yaxes(autorange="reversed", title_text=item, type="category", row=1, col=1)
    _base_layout(fig, title, height=200 + 26 * len(order))
    # Anchored to the figure, not the plot, so the legend never runs into the axis title.
    fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom"), margin=dict(b=100))
    return fig


def change_dumbbell(progress: pd.DataFrame, order: list[int], instrument: Instrument, title: str) -> go.Figure:
    """Per statement a dot per round joined by a line; ``order`` sorts the statements (by change).

    ``progress`` is ``progress.statement_progress``: round, id, theme, score; rounds in measuring order.
    """
    scale, item = instrument.score_scale, instrument.kind.item
    labels = [f"{item[:2].capitalize()}. {i}" for i in order]
    pivot = progress.pivot_table(index="id", columns="round", values="score", aggfunc="first", dropna=False)
    rounds = list(dict.fromkeys(progress["round"]))
    pivot = pivot.reindex(index=order, columns=rounds)
    low, high = pivot.min(axis=1).to_numpy(), pivot.max(axis=1).to_numpy()
    xs, ys = [], []
    for label, a, b in zip(labels, low, high):
        xs += [a, b, None]
        ys += [label, label, None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=4), hoverinfo="skip",
                               showlegend=False))
    texts = [_wrap(instrument.statement(i).text, 60) for i in order]
    for i, name in enumerate(rounds):
        fig.add_trace(go.Scatter(
            x=pivot[name].to_numpy(), y=labels, mode="markers", name=_plain(name), customdata=texts,
            marker=dict(size=12, color=SERIES_COLOURS[i % len(SERIES_COLOURS)], line=dict(color="white", width=1)),
            hovertemplate=f"%{{y}}: %{{x:{scale.hover}}}<br>%{{customdata}}<extra>%{{fullData.name}}</extra>"))
    fig.update_xaxes(**_score_axis(scale, numbered=True), title_text="Score", gridcolor="#dddddd")
    fig.update_yaxes(autorange="reversed", type="category", title_text=item.capitalize())
    _base_layout(fig, title, height=190 + 26 * len(order))
    fig.update_layout(plot_bgcolor="white", legend=dict(y=1.0, yanchor="bottom", x=0, xanchor="left"),
                      margin=dict(t=100))
    return fig


def _score_axis(scale, numbered: bool = False) -> dict:
    """A score axis with the scale's ticks: levels by name (numbered on request) or shares in percent."""
    labels = list(scale.tick_labels)
    if numbered and not scale.percent:
        labels = [f"{n}<br>{label}" for n, label in enumerate(labels, start=1)]
    margin = (scale.ticks[-1] - scale.ticks[0]) * 0.05
    return dict(range=[scale.ticks[0] - margin, scale.ticks[-1] + margin], tickvals=list(scale.ticks), ticktext=labels)


def _band_colour(score, scale) -> str:
    """The colour of the band a score falls in; no score is grey."""
    if pd.isna(score):
        return UNKNOWN_COLOUR
    colours = band_colours(len(scale.bands))
    index = next((i for i, (_, high, _) in enumerate(scale.bands) if score < high), len(scale.bands) - 1)
    return colours[index]


def group_trend_lines(trends: pd.DataFrame, instrument: Instrument, title: str) -> go.Figure:
    """One line per group across the rounds; a suppressed round is a gap with a hover that says why.

    ``trends`` is ``progress.group_trends`` filtered to one theme (or the total).
    """
    rounds = list(dict.fromkeys(trends["round"]))
    fig = go.Figure()
    for i, (group, rows) in enumerate(trends.groupby("group", sort=True)):
        rows = rows.set_index("round").reindex(rounds)
        hover = [f"{_plain(r)}: " + (t if s is True else
                             "niet in deze ronde" if pd.isna(n) else f"{v:.2f} (n={n})")
                 for r, v, n, s, t in zip(rounds, rows["score"], rows["size"], rows["suppressed"], rows["status"])]
        name = _plain(group) + (" (niet getoond)" if rows["score"].isna().all() else "")
        fig.add_trace(go.Scatter(
            x=[_plain(r) for r in rounds], y=rows["score"].to_numpy(dtype=float), mode="lines+markers", name=name,
            line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=3), marker=dict(size=10),
            hovertext=hover, hoverinfo="text+name", connectgaps=False))
    fig.update_yaxes(**_score_axis(instrument.score_scale), title_text="Score", gridcolor="#dddddd")
    fig.update_xaxes(type="category", title_text="Meetronde")
    _base_layout(fig, title, height=480)
    fig.update_layout(plot_bgcolor="white", legend=dict(y=1.0, yanchor="bottom", x=0, xanchor="left"),
                      margin=dict(t=100))
    return fig


def target_bars(gaps: pd.DataFrame, instrument: Instrument, title: str) -> go.Figure:
    """Theme scores as bars with the target as a marker; ``gaps`` is ``progress.target_gaps``."""
    scale = instrument.score_scale
    colours = [_band_colour(s, scale) for s in gaps["score"]]
    fig = go.Figure(go.Bar(x=gaps["score"], y=gaps["theme"], orientation="h", marker_color=colours, name="Score",
                           text=[scale.short(s) for s in gaps["score"]], textposition="inside",
                           hovertemplate=f"%{{y}}: %{{x:{scale.hover}}}<extra>Score</extra>"))
    targets = gaps.dropna(subset=["target"])
    fig.add_trace(go.Scatter(x=targets["target"], y=targets["theme"], mode="markers", name="Doel",
                             marker=dict(symbol="line-ns", size=34, line=dict(width=4, color="#000000")),
                             hovertemplate=f"%{{y}}: doel %{{x:{scale.hover}}}<extra></extra>"))
    fig.update_xaxes(**_score_axis(scale), title_text="Score")
    fig.update_xaxes(range=[0, scale.high])
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(plot_bgcolor="white")
    return _base_layout(fig, title, height=140 + 60 * len(gaps))


# "Met oordeel": a level on the scale, Ja or Nee on a checklist — the answers that count in a score.
COMPLETENESS_PARTS = [("n_known", "Met oordeel", "#2166ac"), ("n_unknown", "Onbekend/n.v.t.", UNKNOWN_COLOUR),
                      ("n_missing", "Niet ingevuld", "#d9d9d9")]


def completeness_bars(table: pd.DataFrame, title: str, item: str = "stelling") -> go.Figure:
    """Stacked bars per statement (ITEM names it): answered with a judgement, Onbekend, empty;
    ``overview.completeness``. The legend sits along the bottom, as on every chart (``_base_layout``)."""
    labels = [str(i) for i in table["id"]]
    total = (table["n_known"] + table["n_unknown"] + table["n_missing"]).to_numpy()
    fig = go.Figure()
    for column, name, colour in COMPLETENESS_PARTS:
        counts = table[column].to_numpy()
        share = np.divide(counts * 100, total, out=np.zeros(len(counts)), where=total > 0)
        fig.add_trace(go.Bar(x=labels, y=counts, name=name, marker_color=colour, customdata=share,
                             hovertemplate=f"{item.capitalize()} %{{x}} · {name}: %{{y}} (%{{customdata:.0f}}%)"
                                           "<extra></extra>"))
    fig.update_layout(barmode="stack", plot_bgcolor="white")
    fig.update_xaxes(type="category", title_text=item.capitalize())
    fig.update_yaxes(title_text="Respondenten", gridcolor="#e5e5e5")
    return _base_layout(fig, title, height=380)


def figure_for(spec, instrument: Instrument) -> go.Figure:
    """The plotly figure for a report chart specification (``report.ChartSpec``)."""
    builders = {
        "theme_radar": lambda: theme_radar(spec.series, instrument, spec.title),
        "statement_radar": lambda: statement_radar(spec.series, instrument, spec.title),
        "distribution": lambda: diverging_bars(spec.data, list(spec.order), instrument, spec.title),
        "group_heatmap": lambda: group_heatmap(spec.data, instrument, spec.title, vertical=spec.vertical),
    }
    return builders[spec.kind]()
