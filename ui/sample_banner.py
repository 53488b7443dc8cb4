"""The notice that the session shows voorbeelddata, wherever the sample's figures appear.

A fresh session opens on the fictitious sample so the dashboard is never empty; without this notice a
manager could take its figures for their own organisation's. When the browser had loaded data of its own that the
server no longer keeps (ui.kept_upload), the notice says so: the sample must never silently take its place.
"""

from __future__ import annotations

import streamlit as st

from ui.auth import may
from ui.kept_upload import ROUND_GONE, upload_lost
from ui.state import showing_sample

SAMPLE_NOTICE = ("**Voorbeelddata (fictief).** Deze cijfers komen uit een verzonnen voorbeeldbestand, niet van "
                 "uw organisatie. Upload uw eigen export op de pagina **Gegevens**.")
# On Gegevens itself the uploader is right below the notice.
SAMPLE_NOTICE_HERE = ("**Voorbeelddata (fictief).** Deze cijfers komen uit een verzonnen voorbeeldbestand, niet van "
                      "uw organisatie. Upload hieronder uw eigen export.")
# A viewer cannot upload (sign-in on, not an analyst): they open a saved round.
SAMPLE_NOTICE_VIEWER = ("**Voorbeelddata (fictief).** Deze cijfers komen uit een verzonnen voorbeeldbestand, niet "
                        "van uw organisatie. Open een meetronde van uw organisatie op de pagina **Meetrondes**.")
LOST_NOTICE = ("**Voorbeelddata (fictief).** Uw eerder geladen bestand is niet meer beschikbaar op de server; laad "
               "het opnieuw op de pagina **Gegevens** (een meetronde opent u op de pagina **Meetrondes**). Tot dan "
               "ziet u cijfers uit een verzonnen voorbeeldbestand, niet van uw organisatie.")
LOST_NOTICE_HERE = ("**Voorbeelddata (fictief).** Uw eerder geladen bestand is niet meer beschikbaar op de server; "
                    "laad het hieronder opnieuw (een meetronde opent u op de pagina **Meetrondes**). Tot dan ziet u "
                    "cijfers uit een verzonnen voorbeeldbestand, niet van uw organisatie.")
LOST_NOTICE_VIEWER = ("**Voorbeelddata (fictief).** De meetronde die u had geopend, is niet meer beschikbaar op de "
                      "server; open hem opnieuw op de pagina **Meetrondes**. Tot dan ziet u cijfers uit een "
                      "verzonnen voorbeeldbestand, niet van uw organisatie.")
ROUND_GONE_NOTICE = ("**Voorbeelddata (fictief).** De meetronde die u had geopend, is intussen verwijderd. Open een "
                     "andere meetronde op de pagina **Meetrondes**. Tot dan ziet u cijfers uit een verzonnen "
                     "voorbeeldbestand, niet van uw organisatie.")
SIDEBAR_NOTICE = "Voorbeelddata (fictief): geen echte organisatie."
# Pages that show saved rounds, never the session's dataset: a sample notice there would be wrong.
PAGES_WITHOUT_SESSION_DATA = {"meetrondes", "voortgang", "leernetwerk", "live"}
UPLOAD_PAGE = "gegevens"


def sample_notice(page_path: str | None, lost: str | None, can_upload: bool) -> str:
    """The banner's text: why the sample shows (the file kept for this browser was gone, the open round deleted)
    and where to go."""
    if lost == ROUND_GONE:
        return ROUND_GONE_NOTICE
    if not can_upload:
        return LOST_NOTICE_VIEWER if lost else SAMPLE_NOTICE_VIEWER
    if page_path == UPLOAD_PAGE:
        return LOST_NOTICE_HERE if lost else SAMPLE_NOTICE_HERE
    return LOST_NOTICE if lost else SAMPLE_NOTICE


def sample_banner(page_path: str | None = None) -> None:
    """A banner above the page (keyed, so a presentation view can restyle it) when the sample is shown."""
    if page_path in PAGES_WITHOUT_SESSION_DATA or not showing_sample():
        return
    lost = upload_lost()
    with st.container(key="sample_banner"):
        st.warning(sample_notice(page_path, lost, may("upload")),
                   icon=":material/cloud_off:" if lost else ":material/science:")


def sample_sidebar_notice() -> None:
    if showing_sample():
        st.sidebar.warning(SIDEBAR_NOTICE, icon=":material/science:")
