"""Who is looking: the optional OIDC sign-in (st.login) and what each role may do.

Without an ``[auth]`` section in the secrets nobody signs in and everyone who can open the app may do
everything; the sidebar says so. With it, every page asks for a sign-in first.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ui.widgets import escape_md

# What only an analyst may do once sign-in is on; a viewer sees results only.
ANALYST_ACTIONS = frozenset({"upload", "save_round", "manage_rounds", "lower_minimum"})


def auth_providers() -> list[str] | None:
    """None when no sign-in is configured; else the named providers ([] for the single default one)."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        return None
    if not section:
        return None
    return [name for name, value in section.items() if isinstance(value, Mapping)]


def sign_in_page() -> None:
    st.title("QuickScan-dashboard")
    st.write("Meld u aan om de resultaten en de opgeslagen meetrondes te bekijken.")
    providers = auth_providers() or []
    for provider in providers or [None]:
        label = "Inloggen" if provider is None else f"Inloggen met {provider}"
        if st.button(label, type="primary", key=f"login_{provider}"):
            st.login(provider) if provider else st.login()


def access_notice_ui(signed_in: bool) -> None:
    if signed_in:
        st.sidebar.caption("Ingelogd als " + escape_md(st.user.get("email") or st.user.get("name") or "gebruiker"))
        st.sidebar.button("Uitloggen", on_click=st.logout)
    else:
        st.sidebar.warning("Er is geen inlog ingesteld: gegevens en opgeslagen meetrondes zijn zichtbaar voor "
                           "iedereen die toegang heeft tot deze app.", icon=":material/lock_open:")


def current_role() -> str:
    """'analyst' or 'viewer'. Without sign-in configured everyone is an analyst (there is nobody to tell apart)."""
    if auth_providers() is None:
        return "analyst"
    return "viewer"


def may(action: str) -> bool:
    """Whether the current user may do ACTION (one of ANALYST_ACTIONS)."""
    return action not in ANALYST_ACTIONS or current_role() == "analyst"
