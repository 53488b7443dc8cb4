"""The notice that the session shows voorbeelddata, wherever the sample's figures appear.

A fresh session opens on the fictitious sample so the dashboard is never empty; without this notice a
manager could take its figures for their own organisation's.
"""

from __future__ import annotations

import streamlit as st

from ui.state import showing_sample

SAMPLE_NOTICE = ("**Voorbeelddata (fictief).** Deze cijfers komen uit een verzonnen voorbeeldbestand, niet van "
                 "uw organisatie. Upload uw eigen export op de pagina **Gegevens**.")
SIDEBAR_NOTICE = "Voorbeelddata (fictief): geen echte organisatie."
# Pages that show saved rounds, never the session's dataset: a sample notice there would be wrong.
PAGES_WITHOUT_SESSION_DATA = {"meetrondes", "voortgang", "leernetwerk", "live"}


def sample_banner(page_path: str | None = None) -> None:
    """A banner above the page (keyed, so a presentation view can restyle it) when the sample is shown."""
    if page_path in PAGES_WITHOUT_SESSION_DATA or not showing_sample():
        return
    with st.container(key="sample_banner"):
        st.warning(SAMPLE_NOTICE, icon=":material/science:")


def sample_sidebar_notice() -> None:
    if showing_sample():
        st.sidebar.warning(SIDEBAR_NOTICE, icon=":material/science:")
