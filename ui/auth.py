"""Who is looking: the optional OIDC sign-in (st.login) and what each role may do.

Without an ``[auth]`` section in the secrets nobody signs in and everyone who can open the app may do
everything; the sidebar says so. With it, every page asks for a sign-in first, and the ``[roles]`` section
decides who is an analyst (may upload, save and manage rounds, lower the minimum group size, edit plans);
everybody else who signs in is a viewer and sees results only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from analysis.safe_text import visible_text

# What only an analyst may do once sign-in is on; a viewer sees results only.
ANALYST_ACTIONS = frozenset({"upload", "save_round", "manage_rounds", "lower_minimum", "edit_plan"})
ROLE_LABELS = {"analyst": "analist", "viewer": "kijker"}


def _secret_section(name: str) -> Mapping | None:
    try:
        section = st.secrets.get(name)
    except FileNotFoundError:
        return None
    return section if isinstance(section, Mapping) else None


def auth_providers() -> list[str] | None:
    """None when no sign-in is configured; else the named providers ([] for the single default one)."""
    section = _secret_section("auth")
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
        # Plain text, like the file name above it: Markdown would turn the address into a mailto link.
        who = visible_text(st.user.get("email") or st.user.get("name") or "gebruiker")
        st.sidebar.caption("Ingelogd als")
        st.sidebar.text(f"{who} ({ROLE_LABELS[current_role()]})")
        st.sidebar.button("Uitloggen", on_click=st.logout)
    else:
        st.sidebar.warning("Er is geen inlog ingesteld: gegevens en opgeslagen meetrondes zijn zichtbaar voor "
                           "iedereen die toegang heeft tot deze app.", icon=":material/lock_open:")


def _as_set(value: object) -> set[str]:
    """A secret or claim that may be one string or a list of them, as a set of strings."""
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return {str(item) for item in value}
    return {str(value)}


def role_of(user: Mapping, roles: Mapping) -> str:
    """'analyst' when USER (the ID token's claims) matches the [roles] section ROLES, else 'viewer'.

    An e-mail address on ``analysts`` matches case-insensitively, unless the provider says it is not
    verified (``email_verified = false``). ``analyst_claim`` names a claim (a string or a list, e.g.
    ``groups``) that must hold ``analyst_value`` (one value or a list of accepted values).
    """
    allowed = {address.strip().casefold() for address in _as_set(roles.get("analysts"))}
    email = user.get("email")
    if email and user.get("email_verified") is not False and str(email).strip().casefold() in allowed:
        return "analyst"
    claim, wanted = roles.get("analyst_claim"), _as_set(roles.get("analyst_value"))
    if claim and wanted and _as_set(user.get(str(claim))) & wanted:
        return "analyst"
    return "viewer"


def current_role() -> str:
    """'analyst' or 'viewer'. Without sign-in configured everyone is an analyst (there is nobody to tell apart)."""
    if auth_providers() is None:
        return "analyst"
    if not st.user.is_logged_in:
        return "viewer"
    return role_of(st.user, _secret_section("roles") or {})


def may(action: str) -> bool:
    """Whether the current user may do ACTION (one of ANALYST_ACTIONS)."""
    return action not in ANALYST_ACTIONS or current_role() == "analyst"


def current_user() -> str:
    """Who is signed in (e-mail, else name), for "changed by"; empty without sign-in."""
    if auth_providers() is None or not st.user.is_logged_in:
        return ""
    return visible_text(st.user.get("email") or st.user.get("name") or "")
