"""The report as an A4 PDF, printed by the system Chromium from the print version of the HTML report.

Plotly draws its charts as SVG, so Chromium's PDF keeps them as vectors: sharp at any zoom and in
print. Where no Chromium is installed the caller gets a Dutch message instead of a PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from analysis.exports.to_html import report_html
from analysis.report import Report

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser",
                       "google-chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000"]
NO_CHROMIUM = ("Voor PDF en PNG is Chromium nodig, en dat is op deze computer niet gevonden. "
               "Installeer het pakket 'chromium' (Debian: apt-get install chromium) of gebruik de HTML-export.")


class ExportUnavailable(RuntimeError):
    """An export that needs a program this machine does not have; the message is Dutch."""


def find_chromium() -> str | None:
    """The system Chromium: $BROWSER_PATH if set, else the usual names on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def report_pdf(report: Report, timeout: float = 120) -> bytes:
    chromium = find_chromium()
    if chromium is None:
        raise ExportUnavailable(NO_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="quickscan-pdf-") as directory:
        source, target = Path(directory) / "rapport.html", Path(directory) / "rapport.pdf"
        source.write_text(report_html(report, for_print=True), encoding="utf-8")
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={Path(directory) / 'profiel'}",
                   f"--print-to-pdf={target}", source.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportUnavailable(f"Chromium kon de PDF niet maken: {exc}") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise ExportUnavailable("Chromium kon de PDF niet maken (geen uitvoer).")
        return target.read_bytes()
