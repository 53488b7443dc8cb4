"""Glue shared by the live-session pages: the store, the participants' URL and its QR code."""

from __future__ import annotations

import io
import socket
from urllib.parse import urlparse

import segno
import streamlit as st

from analysis.store import StoreError
from analysis.store.live import LiveStore
from ui.widgets import escape_md


def live_store() -> LiveStore:
    """The deployment's live store; a database that cannot be reached stops the page with one Dutch line."""
    try:
        return LiveStore()
    except StoreError as exc:
        st.error(escape_md(exc) + " Probeer het later opnieuw.", icon=":material/database:")
        st.stop()


def participant_url(join_code: str) -> str:
    """The app's own address (as the facilitator's browser reached it) + /deelnemen?code=..."""
    url = urlparse(st.context.url or "")
    path = url.path.rstrip("/")
    for page in ("/live", "/deelnemen"):
        if path.endswith(page):
            path = path[: -len(page)]
    base = f"{url.scheme}://{url.netloc}{path}" if url.netloc else "http://localhost:8501"
    return f"{base}/deelnemen?code={join_code}"


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def network_url(url: str) -> str | None:
    """URL with this computer's address on the local network for its host (port and path kept): what to open
    instead of localhost so phones in the room reach it. None when the computer has no such address."""
    parts = urlparse(url)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent, only a route chosen
            address = probe.getsockname()[0]
    except OSError:
        return None
    if address.startswith("127.") or address == "0.0.0.0":
        return None
    return parts._replace(netloc=f"{address}:{parts.port}" if parts.port else address).geturl()


def only_this_computer(url: str) -> bool:
    """True when URL's host is this computer's own name for itself: a phone that scans it reaches itself."""
    host = (urlparse(url).hostname or "").lower()
    return host in LOOPBACK_HOSTS or host.endswith(".localhost") or host.startswith("127.")


@st.cache_data(max_entries=16, show_spinner=False)
def qr_png(text: str) -> bytes:
    """A QR code as a crisp PNG (error correction M: still reads from the back of a room)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=12, border=2)
    return buffer.getvalue()
