"""The session's upload kept for its browser, so a reload (F5) or a typed URL (/teams) does not lose it.

A reload or a typed address starts a new Streamlit session, and ``st.session_state`` starts empty. So whatever
``ui.state`` keeps about the upload (the file's bytes and name, the chosen instrument and sheet, or a saved round's
reference; the analyst's fixes, privacy choice, group column, and which saved koppeling was applied) is also kept
in this process's memory (``analysis.kept_uploads``: bounded, least recently used evicted, dropped after idle
hours; never on disk), under a random token. The browser holds that token in a cookie, set by a small script
(``SameSite=Strict; Path=/``, a day at most, ``Secure`` over https); a new session reads it back with
``st.context.cookies`` and uses it for one thing only: looking up its own entry.

With sign-in on, an entry belongs to the signed-in user: a token presented by another user finds nothing.
When a browser presents a token whose entry is gone (idle too long, evicted, the server restarted, or the load
balancer sent it to another replica: each replica keeps its own), or the round it had open was deleted, the sample
banner says so in Dutch instead of showing the sample silently. Choosing the sample, or deleting the round that
is open, forgets the entry.

Two tabs of one browser share the cookie: a reload shows what was loaded last in that browser.
"""

from __future__ import annotations

import copy
import json
import re
import secrets

import streamlit as st

from analysis.kept_uploads import Found, KeptLimits, KeptUploads
from ui.auth import auth_providers

COOKIE = "quickscan_upload"
# secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet. Anything else in the cookie is ignored.
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# The cookie outlives the idle time a little, so a browser coming back the next day is told its file is gone.
COOKIE_MAX_AGE = 24 * 3600
# What is kept of the session beside the upload: its fixes and the choices made for it.
KEPT_KEYS = ("overrides", "privacy", "group_column", "koppelingen")

_TOKEN = "_kept_token"  # the session's own token, once it has kept something
_CHECKED = "_kept_checked"  # the session has looked for a kept upload (once, at its start)
_LOST = "_kept_lost"  # the browser's kept upload was gone (FILE_GONE or ROUND_GONE): the sample banner says so
FILE_GONE, ROUND_GONE = "file", "round"
_COOKIE = "_kept_cookie"  # what the browser's cookie should be: a token, or "" for none
_SIGNATURE = "_kept_signature"  # what was kept last, to keep again only after a change


@st.cache_resource(show_spinner=False)
def kept_store() -> KeptUploads:
    """One store per app process, shared by its sessions; limits from the environment (see KeptLimits)."""
    return KeptUploads(KeptLimits.from_environ())


def presented_token() -> str | None:
    """The token in the browser's cookie when the session started, if it has the token's shape."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and TOKEN.fullmatch(value) else None


def owner() -> str | None:
    """Whose the kept upload is: "" without sign-in; the signed-in user's identity (issuer and subject, else
    e-mail address); None when sign-in is on and nobody is signed in (then nothing is kept or found)."""
    if auth_providers() is None:
        return ""
    if not st.user.is_logged_in:
        return None
    subject = st.user.get("sub")
    if subject:
        return f"{st.user.get('iss') or ''}|{subject}"
    email = st.user.get("email")
    return f"email|{str(email).strip().casefold()}" if email else None


def restore() -> bool:
    """At a session's start (its first look at the upload): the upload kept for this browser into the session.

    True when restored. A token whose entry is gone leaves a note for the sample banner and has its cookie
    cleared; another user's token is ignored. Later calls in the same session do nothing and return False.
    """
    state = st.session_state
    if state.get(_CHECKED):
        return False
    state[_CHECKED] = True
    token, user = presented_token(), owner()
    if token is None or user is None:
        return False
    found, snapshot = kept_store().get(token, user)
    if found == Found.OTHER_USER:
        return False
    if found == Found.MISSING:
        state[_LOST] = FILE_GONE
        state[_COOKIE] = ""
        return False
    snapshot = copy.deepcopy(snapshot)  # the bytes are shared (immutable); the dicts are this session's own
    state["upload"] = snapshot["upload"]
    for key in KEPT_KEYS:
        if key in snapshot:
            state[key] = snapshot[key]
        else:
            state.pop(key, None)
    state[_TOKEN] = state[_COOKIE] = token
    state[_SIGNATURE] = _signature(snapshot)
    return True


def _snapshot() -> dict | None:
    """What is kept: the upload and its choices; None for the sample (never kept) or no upload."""
    upload = st.session_state.get("upload")
    if not upload or upload.get("sample"):
        return None
    return {"upload": dict(upload), **{key: st.session_state[key] for key in KEPT_KEYS if key in st.session_state}}


def _signature(snapshot: dict) -> str:
    upload = snapshot["upload"]
    rest = {key: snapshot.get(key) for key in KEPT_KEYS}
    return json.dumps([upload.get("digest"), upload.get("name"), upload.get("round_id"), rest], sort_keys=True,
                      default=str)


def _size(snapshot: dict) -> int:
    """Bytes held: the file's, plus the rest as text (fixes, names: small)."""
    data = snapshot["upload"].get("data") or b""
    return len(data) + len(_signature(snapshot))


def keep() -> None:
    """After the upload or its choices changed, and once a run: keep the session's state for its browser.

    Cheap when nothing changed (a look at the entry, which counts as a use); a session still open keeps its
    entry alive, and puts it back if the store had let it go. Nothing is kept for the sample.
    """
    state = st.session_state
    snapshot, user = _snapshot(), owner()
    if snapshot is None or user is None:
        return
    signature = _signature(snapshot)
    token = state.get(_TOKEN)
    if token and state.get(_SIGNATURE) == signature and kept_store().touch(token, user):
        return
    if not token:
        token = state[_TOKEN] = secrets.token_urlsafe(32)
    # A copy: the session goes on changing its own dicts. Over the limit, nothing is kept; a reload then says so.
    kept_store().put(token, user, copy.deepcopy(snapshot), _size(snapshot))
    state[_SIGNATURE] = signature
    state[_COOKIE] = token
    state.pop(_LOST, None)


def forget(chosen: bool = False) -> None:
    """The session no longer shows its upload (the sample was chosen, the open round deleted): drop the entry and
    the browser's cookie. CHOSEN: the user chose the sample, so a note that their file was gone is moot too."""
    state = st.session_state
    token = state.pop(_TOKEN, None)
    state.pop(_SIGNATURE, None)
    if token:
        user = owner()
        if user is not None:
            kept_store().forget(token, user)
        state[_COOKIE] = ""
    if chosen:
        state.pop(_LOST, None)


def note_round_gone() -> None:
    """The round this session had open was deleted: the sample banner says so (until something is loaded)."""
    st.session_state[_LOST] = ROUND_GONE


def upload_lost() -> str | None:
    """FILE_GONE when this session found its browser's kept upload gone, ROUND_GONE when its open round was
    deleted (and nothing was loaded since); else None."""
    return st.session_state.get(_LOST) or None


def cookie_script(token: str | None) -> str:
    """JavaScript that sets the browser's cookie to TOKEN (a token of ours, never the browser's), or clears it."""
    value = json.dumps(f"{COOKIE}={token}; Max-Age={COOKIE_MAX_AGE}" if token else f"{COOKIE}=; Max-Age=0")
    return (f'document.cookie = {value} + "; Path=/; SameSite=Strict"'
            ' + (location.protocol === "https:" ? "; Secure" : "");')


def kept_upload_ui() -> None:
    """Once a run, before the page: keep the session's state, and bring the browser's cookie up to date.

    The script is sent on every run while there is something to say; the browser runs it when it first
    appears or changes, in a container that takes no room."""
    keep()
    wanted = st.session_state.get(_COOKIE)
    if wanted is None:
        return
    if wanted and not TOKEN.fullmatch(wanted):  # only a token of our own making goes into a script
        return
    key = "kept-upload"
    hide = (f".st-key-{key}, [data-testid='stLayoutWrapper']:has(> .st-key-{key}) {{ display: none; }}")
    with st.container(key=key):
        st.html(f"<style>{hide}</style><script>{cookie_script(wanted or None)}</script>",
                unsafe_allow_javascript=True)
