"""Plotly figures of a leernetwerk: organisations side by side per theme/block, and a heatmap per statement/item.

The builders take the tidy rows of ``analysis.scoring.network`` (``organisation_scores`` and ``network_figures``),
which already hold only what the viewer may see: displayed names (letters unless names are on), None for
a score that may not be shown, and the reason. So nothing a page may not show can reach a label or a
hover. ``network_charts`` makes both figures from a ``Network`` for the pages and exports.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from analysis.instrument import Instrument
from analysis.report.charts import SERIES_COLOURS, _base_layout, _plain, _score_axis, _wrap, group_heatmap
from analysis.scoring.network import NETWORK_MEAN, Network, network_figures, organisation_scores
from analysis.scoring.summary import score_cell

OWN_COLOUR = "#d55e00"
RANGE_COLOUR = "#d9d9d9"
OTHER_COLOURS = [c for c in SERIES_COLOURS if c not in ("#000000", OWN_COLOUR, "#f0e442")]
NOT_SHOWN = "niet getoond"
SCORE_COLUMNS = ["organisation", "own", "included", "shown", "status", "key", "score"]
ROW = 0.36  # half the height of a theme's box, in rows
SUBTITLE_WIDTH = 95  # characters: a subtitle line that fits a chart at 1280 px with the sidebar open


def _spread(n: int) -> list[float]:
    """Vertical offsets of N organisations within one theme's row, so their dots do not overlap."""
    if n <= 1:
        return [0.0] * n
    return [-0.28 + 0.56 * i / (n - 1) for i in range(n)]


def _range_and_mean(figures: pd.DataFrame, positions: dict, instrument: Instrument) -> list[go.Scatter]:
    """Per theme a grey box from lowest to highest, as tall as the row, and the mean as a black line across it."""
    scale, kind = instrument.score_scale, instrument.kind
    shown = figures.dropna(subset=["mean"])
    box_x, box_y, mean_x, mean_y = [], [], [], []
    for row in shown.itertuples():
        y = positions[row.key]
        box_x += [row.lowest, row.highest, row.highest, row.lowest, row.lowest, None]
        box_y += [y - ROW, y - ROW, y + ROW, y + ROW, y - ROW, None]
        mean_x += [row.mean, row.mean, None]
        mean_y += [y - ROW - 0.04, y + ROW + 0.04, None]
    hover = [f"{_plain(r.key)}: gemiddeld {score_cell(r.mean, kind)}, laagste {score_cell(r.lowest, kind)}, "
             f"hoogste {score_cell(r.highest, kind)} ({r.organisations} organisaties)" for r in shown.itertuples()]
    return [go.Scatter(x=box_x, y=box_y, mode="lines", fill="toself", fillcolor=RANGE_COLOUR, line=dict(width=0),
                       name="Laagste tot hoogste", hoverinfo="skip"),
            go.Scatter(x=mean_x, y=mean_y, mode="lines", line=dict(color="#000000", width=4), name=NETWORK_MEAN,
                       hoverinfo="skip"),
            go.Scatter(x=shown["mean"], y=[positions[k] - ROW - 0.06 for k in shown["key"]], mode="text",
                       text=[scale.short(m) for m in shown["mean"]], textposition="top center",
                       textfont=dict(size=15), showlegend=False, hoverinfo="skip"),
            # An invisible point in the middle of each mean line carries its hover.
            go.Scatter(x=shown["mean"], y=[positions[k] for k in shown["key"]], mode="markers",
                       marker=dict(size=24, opacity=0), showlegend=False, hovertext=hover, hoverinfo="text")]


def _organisation_traces(scores: pd.DataFrame, positions: dict, instrument: Instrument) -> list[go.Scatter]:
    shown = scores[scores["shown"]]
    names = list(dict.fromkeys(shown["organisation"]))
    traces, others = [], 0
    for name, offset in zip(names, _spread(len(names))):
        rows = shown[shown["organisation"] == name]
        own = bool(rows["own"].any())
        rows = rows.dropna(subset=["score"])
        colour = OWN_COLOUR if own else OTHER_COLOURS[others % len(OTHER_COLOURS)]
        others += 0 if own else 1
        traces.append(go.Scatter(
            x=rows["score"], y=[positions[k] + offset for k in rows["key"]], mode="markers", name=_plain(name),
            marker=dict(size=16 if own else 12, color=colour, symbol="diamond" if own else "circle",
                        line=dict(color="#000000" if own else "white", width=1.5)),
            hovertext=[f"{_plain(k)}: {instrument.score_text(v)}" for k, v in zip(rows["key"], rows["score"])],
            hoverinfo="text+name"))
    return traces


def _lines(text: str) -> list[str]:
    """TEXT in lines short enough for a chart's subtitle (plotly never wraps a title)."""
    return textwrap.wrap(text, SUBTITLE_WIDTH) or [text]


def _subtitle(scores: pd.DataFrame, note: str | None) -> tuple[str, ...]:
    lines = _lines(note) if note else []
    left_out = scores[~scores["included"]].drop_duplicates("organisation")
    if len(left_out):
        lines += _lines("Niet meegeteld: " + "; ".join(f"{r.organisation} — {r.status}"
                                                       for r in left_out.itertuples()))
    return tuple(lines)


def network_theme_chart(scores: pd.DataFrame, figures: pd.DataFrame, instrument: Instrument, title: str,
                        note: str | None = None) -> go.Figure:
    """Per theme/block each shown organisation's score as a dot, the network mean as a tick, lowest-highest as a bar.

    SCORES and FIGURES are ``organisation_scores`` / ``network_figures`` of a network at the theme level;
    NOTE says why network figures are missing, if they are.
    """
    scale = instrument.score_scale
    themes = list(instrument.themes)
    positions = {t: float(i) for i, t in enumerate(themes)}
    fig = go.Figure(_range_and_mean(figures, positions, instrument)
                    + _organisation_traces(scores, positions, instrument))
    fig.update_xaxes(**_score_axis(scale, numbered=True), title_text=instrument.kind.score_name, gridcolor="#dddddd")
    fig.update_yaxes(tickvals=list(positions.values()), ticktext=[_plain(t) for t in themes],
                     range=[len(themes) - 0.5, -0.8], title_text=instrument.kind.group.capitalize(), showgrid=False)
    subtitle = _subtitle(scores, note)
    _base_layout(fig, title, height=220 + 90 * len(themes) + 26 * len(subtitle), subtitle=subtitle)
    fig.update_layout(plot_bgcolor="white", legend=dict(y=0, yanchor="bottom"), margin=dict(b=110))
    if scores["shown"].sum() == 0:
        fig.add_annotation(text=_wrap(note or NOT_SHOWN, 60), x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False, font=dict(size=16, color="#444"), bgcolor="rgba(255,255,255,0.9)")
    return fig


def _heatmap_rows(scores: pd.DataFrame, figures: pd.DataFrame, note: str | None) -> pd.DataFrame:
    rows = scores.rename(columns={"organisation": "group", "key": "id"}).assign(suppressed=lambda f: ~f["shown"])
    rows["status"] = rows["status"].where(rows["suppressed"], "")
    network_shown = figures["mean"].notna().any()
    mean = figures.rename(columns={"key": "id", "mean": "score"}).assign(
        group=NETWORK_MEAN, suppressed=not network_shown,
        status="" if network_shown else f"{NOT_SHOWN}: te weinig organisaties meegeteld")
    return pd.concat([rows[["group", "id", "score", "suppressed", "status"]],
                      mean[["group", "id", "score", "suppressed", "status"]]], ignore_index=True)


def network_heatmap(scores: pd.DataFrame, figures: pd.DataFrame, instrument: Instrument, title: str,
                    note: str | None = None, vertical: bool = False) -> go.Figure:
    """Organisations x statements/items coloured by score, with the network mean as the last row.

    SCORES and FIGURES are ``organisation_scores`` / ``network_figures`` at the statement level; a row the
    viewer may not see says why instead of showing cells. VERTICAL puts the statements down the side (the
    organisations across), so every cell's score stays readable on a narrow screen.
    """
    rows = _heatmap_rows(scores, figures, note)
    rows["score"] = rows["score"].astype(float)
    fig = group_heatmap(rows, instrument, title, vertical=vertical)
    if note:
        lines = _lines(note)
        # Below the subtitle: room for the organisations' names, which a vertical heatmap puts on top.
        fig.update_layout(title_subtitle=dict(text="<br>".join(_plain(line) for line in lines),
                                              font=dict(size=14, color="#555")),
                          margin_t=(130 if vertical else 80) + 22 * len(lines))
    return fig


def score_frame(rows: list[dict]) -> pd.DataFrame:
    """Tidy rows as a frame whose flags are booleans, also when there are no rows (an empty network)."""
    frame = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    return frame.astype({"own": bool, "included": bool, "shown": bool})


def network_chart_inputs(network: Network) -> dict[str, tuple]:
    """Per chart, "themes" and "statements", the tidy data its builder (``network_theme_chart``,
    ``network_heatmap``) takes: (scores, network figures, instrument, title, note), so a page can build and
    cache each figure from plain frames."""
    kind, instrument = network.kind, network.instrument
    return {level: (score_frame(organisation_scores(network, level)), pd.DataFrame(network_figures(network, level)),
                    instrument, f"Leernetwerk per {word}", network.note)
            for level, word in (("themes", kind.group), ("statements", kind.item))}


def network_charts(network: Network, vertical_heatmap: bool = False) -> dict[str, go.Figure]:
    """Both figures of a network, titled in the instrument's words: "themes" and "statements"
    (with VERTICAL_HEATMAP the statements/items down the side, see ``network_heatmap``)."""
    inputs = network_chart_inputs(network)
    return {"themes": network_theme_chart(*inputs["themes"]),
            "statements": network_heatmap(*inputs["statements"], vertical=vertical_heatmap)}
