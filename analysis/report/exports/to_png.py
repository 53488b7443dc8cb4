"""PNG images of charts, drawn by kaleido in the system Chromium.

Starting Chromium takes seconds, so one render server is started on first use and kept
running; later images take a fraction of a second. MathJax is off (no formulas, no network).
Without Chromium, ``unavailable_reason`` says why, and the page shows that instead of a button.
"""

from __future__ import annotations

import atexit
import threading

import kaleido
import plotly.graph_objects as go

from analysis.report.exports.to_pdf import NO_CHROMIUM, ExportUnavailable, find_chromium

DEFAULT_WIDTH = 1200
SCALE = 2  # twice the pixels: sharp on a projector and in a printed hand-out


class ChartImages:
    """A persistent kaleido render server; thread-safe, started lazily, stopped at exit."""

    def __init__(self, chromium: str | None = None, timeout: float = 60):
        self.chromium = chromium or find_chromium()
        self.timeout = timeout
        self._lock = threading.Lock()
        self._started = False

    @property
    def unavailable_reason(self) -> str | None:
        return None if self.chromium else NO_CHROMIUM

    def _start(self) -> None:
        kaleido.start_sync_server(n=1, mathjax=False, path=self.chromium, timeout=self.timeout,
                                  silence_warnings=True)
        atexit.register(self.close)
        self._started = True

    def png(self, figure: go.Figure, width: int = DEFAULT_WIDTH, height: int | None = None) -> bytes:
        if self.unavailable_reason:
            raise ExportUnavailable(self.unavailable_reason)
        options = {"format": "png", "width": width, "height": height or figure.layout.height or 600,
                   "scale": SCALE}
        with self._lock:
            if not self._started:
                self._start()
            try:
                return kaleido.calc_fig_sync(figure, opts=options)
            except Exception as exc:  # kaleido raises several types; the user gets one Dutch line
                raise ExportUnavailable(f"De afbeelding kon niet worden gemaakt: {exc}") from exc

    def close(self) -> None:
        if self._started:
            kaleido.stop_sync_server(silence_warnings=True)
            self._started = False
