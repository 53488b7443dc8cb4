"""Charts on the pages: built once per input (a bounded cache) and drawn with the dashboard's partial plotly.js.

Why not ``st.plotly_chart``: it loads Streamlit's PlotlyChart chunk, the whole plotly.js (4.7 MB), before the
first chart of a visit is drawn. The report already ships a partial plotly.js with only the trace types the
charts use (analysis/report/exports/vendor/plotly-quickscan.min.js, 1.2 MB, see scripts/build_plotly_bundle.sh); a
small component (``ui/charts.js``, a ``st.components.v2`` component in the page itself, no iframe) loads that
bundle once per browser tab and draws each chart with it, in the look Streamlit's own chart element gives it
(``ui/chart_look.json``: the template Streamlit puts on a figure in this app's light theme, taken from a chart
drawn by ``st.plotly_chart``, and the title in bold). After a change of the theme in .streamlit/config.toml, take
it again: draw any figure with ``st.plotly_chart`` and save ``document.querySelector('.js-plotly-plot')
.layout.template`` from the browser's console.

Building a figure with plotly.py is most of a page's Python time (the overview's two radars take about half a
second), so ``chart`` keeps the figure's JSON per builder and input (``st.cache_data``, bounded): a second
visit, another session or a page switch back gets it at once.

AppTest cannot run the component's JavaScript; tests read the figure from the element (``tests/app`` has a
helper, ``chart_figures``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.components.v1 import declare_component

from analysis.instrument import Instrument
from analysis.report.model import ChartSpec

HERE = Path(__file__).resolve().parent
BUNDLE_DIR = HERE.parent / "analysis" / "report" / "exports" / "vendor"
BUNDLE_FILE = "plotly-quickscan.min.js"
LOOK = json.loads((HERE / "chart_look.json").read_text(encoding="utf-8"))
COMPONENT = "quickscan_chart"
_draw = st.components.v2.component(COMPONENT, js=(HERE / "charts.js").read_text(encoding="utf-8"),
                                   isolate_styles=False)  # plotly.js puts its own styles in the page's head


@dataclass(frozen=True)
class Chart:
    """A built figure as plotly JSON (what plotly.py writes), and its title for the text alternative."""

    figure: str
    label: str

    def to_figure(self):
        """The plotly figure again, for the PNG download (made only when that button is clicked)."""
        import plotly.graph_objects as go

        return go.Figure(json.loads(self.figure))


def _instrument_key(instrument: Instrument) -> tuple[str, int]:
    # Instruments are frozen dataclasses: hashing one is cheap, pickling it for the cache key is not.
    return instrument.id, hash(instrument)


def _spec_key(spec: ChartSpec) -> tuple:
    return spec.kind, spec.title, spec.series, spec.data, spec.order, spec.vertical


def _label(layout: dict) -> str:
    """The chart's title and subtitle as plain text (plotly's markup and escapes undone), for a screen reader."""
    title = layout.get("title") or {}
    parts = [title.get("text") or "", (title.get("subtitle") or {}).get("text") or ""]
    text = ". ".join(" ".join(html.unescape(re.sub(r"<[^>]*>", " ", part)).split()) for part in parts if part)
    return f"Grafiek: {text}" if text else "Grafiek"


@st.cache_data(max_entries=96, show_spinner=False, hash_funcs={Instrument: _instrument_key, ChartSpec: _spec_key})
def _build(name: str, _builder: Callable, args: tuple, kwargs: dict, height: int | None,
           min_height: int | None) -> Chart:
    figure = _builder(*args, **kwargs)
    if height or min_height:
        figure.update_layout(height=height or max(figure.layout.height or 0, min_height))
    spec = figure.to_json()
    return Chart(spec, _label(json.loads(spec)["layout"]))


def chart(builder: Callable, *args, height: int | None = None, min_height: int | None = None, **kwargs) -> Chart:
    """``builder(*args, **kwargs)`` (an analysis.report.charts function), built once per input; ``height`` (or at least
    ``min_height``) is set on the figure after it is built: a slide's."""
    return _build(f"{builder.__module__}.{builder.__qualname__}", builder, args, kwargs, height, min_height)


def _bundle_url() -> str:
    # A directory served by Streamlit at /component/<name>/: the partial plotly.js, fetched by charts.js.
    served = declare_component("plotly_bundle", path=str(BUNDLE_DIR))
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(part for part in (base, "component", served.name, BUNDLE_FILE) if part)


def preload_charts() -> None:
    """Start loading the partial plotly.js in the browser now, before the page's first chart is built and sent.

    Placed early in the script (the top of the sidebar); its container is hidden, so it takes no room.
    """
    # Style only, so it takes no room either; the container's layout wrapper would keep a gap in the sidebar.
    st.html("<style>.st-key-chart-preload, [data-testid='stLayoutWrapper']:has(> .st-key-chart-preload) "
            "{ display: none; }</style>")
    with st.container(key="chart-preload"):
        _draw(key="chart_preload", data={"bundle": _bundle_url()}, height=0)


def draw_chart(figure: Chart, key: str, config: dict | None = None) -> None:
    """The chart, full width, hover and toolbar as plotly gives them (``config``: plotly's, e.g. no toolbar)."""
    _draw(key=key, data={"figure": figure.figure, "look": LOOK, "config": config or {}, "bundle": _bundle_url(),
                         "label": figure.label})
