"""Download buttons for the report exports; each file is made only when its button is clicked."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import streamlit as st

from analysis.report.download_names import PREFIX, download_name, instrument_prefix
from analysis.report.exports.to_html import report_html
from analysis.report.exports.to_pdf import NO_CHROMIUM, find_chromium, printer, report_pdf
from analysis.report.model import Report

# Chromium for the PDF is started this long after the buttons are first shown: started at once, it took processor
# time from the browser drawing a first visit's page (a two-core server is common); a PDF asked for sooner starts it.
WARM_UP_DELAY = 8.0
_warm_up_lock = threading.Lock()
_warm_up_timer: threading.Timer | None = None


def _warm_up_soon(chromium: str) -> None:
    """Start the PDF's Chromium a little later, once per process (a no-op while it runs; after its idle stop the
    next page with the buttons starts it again)."""
    global _warm_up_timer
    with _warm_up_lock:
        if _warm_up_timer is None or not _warm_up_timer.is_alive():
            _warm_up_timer = threading.Timer(WARM_UP_DELAY, printer(chromium).warm_up)
            _warm_up_timer.daemon = True
            _warm_up_timer.start()


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_file_stem(instrument_id: str, kind: str, source: str | None = None) -> str:
    """A page's download named for what is in it, without extension: instrument, the open file or round (or
    SOURCE), today's date, and KIND ('quickscan-gemeente-oost-voorjaar-2025-2025-04-07-groepsscores')."""
    from ui.state import source_label  # ui.state builds reports with this module's neighbours; imported late

    return download_name(source if source is not None else source_label(), dt.date.today().isoformat(), "x",
                         kind, instrument_prefix(instrument_id)).removesuffix(".x")


def page_file_name(instrument_id: str, kind: str, extension: str, source: str | None = None) -> str:
    """``page_file_stem`` with its extension: 'groepsscores.csv' in a Downloads folder tells nobody whose it was."""
    return f"{page_file_stem(instrument_id, kind, source)}.{extension}"


def exports_ui(make_report: Callable[[], Report], key: str, source: str, date: str = "",
               prefix: str = PREFIX) -> None:
    """Four buttons in a row: offline HTML, PDF (needs Chromium), PowerPoint, Excel.

    ``make_report`` runs only when a button is clicked, on Streamlit's download thread, so it must
    not read session state. ``source`` (round label or file name), ``date`` and ``prefix`` (the
    instrument's, ``Report.file_prefix``) name the files.
    """
    date = date or dt.date.today().isoformat()
    names = {ext: download_name(source, date, ext, kind, prefix) for ext, kind in
             (("html", ""), ("pdf", ""), ("pptx", "presentatie"), ("xlsx", "cijfers"))}
    html_col, pdf_col, pptx_col, xlsx_col = st.columns(4)
    html_col.download_button("HTML (offline)", data=lambda: report_html(make_report()).encode("utf-8"),
                             file_name=names["html"], mime="text/html", icon=":material/public:",
                             key=f"{key}_html", on_click="ignore", width="stretch")
    if find_chromium():
        _warm_up_soon(find_chromium())  # the first PDF then takes as long as any other (Chromium is up)
        pdf_col.download_button("PDF (A4)", data=lambda: report_pdf(make_report()), file_name=names["pdf"],
                                mime="application/pdf", icon=":material/picture_as_pdf:", key=f"{key}_pdf",
                                on_click="ignore", width="stretch")
    else:
        pdf_col.caption(f"PDF niet beschikbaar: {NO_CHROMIUM}")
    pptx_col.download_button("PowerPoint", data=lambda: _pptx(make_report()),
                             file_name=names["pptx"], mime=PPTX_MIME, icon=":material/slideshow:",
                             key=f"{key}_pptx", on_click="ignore", width="stretch")
    xlsx_col.download_button("Excel", data=lambda: _xlsx(make_report()), file_name=names["xlsx"],
                             mime=XLSX_MIME, icon=":material/table:", key=f"{key}_xlsx", on_click="ignore",
                             width="stretch")


def _pptx(report: Report) -> bytes:
    from analysis.report.exports.to_pptx import report_pptx  # python-pptx: loaded on the first click, not per page

    return report_pptx(report)


def _xlsx(report: Report) -> bytes:
    from analysis.report.exports.to_xlsx import report_xlsx

    return report_xlsx(report)
