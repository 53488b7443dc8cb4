"""A reload (a new session of the same browser) finds the upload and its fixes; a gone upload is said, not hidden.

AppTest has no browser and cannot send a cookie: each test plays the browser by handing the token the first
session minted to the next one (``ui.kept_upload.presented_token``). The real cookie is tested in
tests/browser/test_kept_upload.py.
"""

import pytest
from streamlit.testing.v1 import AppTest

import ui.kept_upload as kept_upload
from analysis.ingest.dataset import ingest_file
from analysis.kept_uploads import Found
from analysis.store import RoundStore
from tests.conftest import ROOT, SAMPLES
from ui.sample_banner import (
    LOST_NOTICE,
    LOST_NOTICE_HERE,
    LOST_NOTICE_VIEWER,
    ROUND_GONE_NOTICE,
    SAMPLE_NOTICE,
    SAMPLE_NOTICE_HERE,
)

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "geheim-geheim-geheim",
        "client_id": "id", "client_secret": "s", "server_metadata_url": "https://login.example/.well-known"}
ROLES = {"analysts": ["anna@gemeente.example", "bert@gemeente.example"]}
NEUTRAAL = "\n".join(["Team,Stelling 1,Stelling 2", "A,Neutraal,Gevorderd", "A,Startend,Gevorderd",
                      "B,Neutraal,Inactief"]).encode()
AUTUMN = SAMPLES / "ronde_2025_najaar.xlsx"
A_TOKEN = "A" * 43  # the shape of a token, never minted (secrets.token_urlsafe is random)


@pytest.fixture(autouse=True)
def browser_cookie(monkeypatch):
    """The token 'the browser' presents at a session's start; the store empty at each test's start."""
    cookie = {"token": None}
    monkeypatch.setattr(kept_upload, "presented_token", lambda: cookie["token"])
    kept_upload.kept_store().clear()
    yield cookie
    kept_upload.kept_store().clear()


def session(page: str | None = None, user: dict | None = None) -> AppTest:
    """A new session, as a reload or a typed URL starts one; USER signs in (sign-in on) when given."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.secrets["roles"] = ROLES
        at.user = {"is_logged_in": True, **user}
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def banner(at: AppTest) -> list[str]:
    return [w.value for w in at.main.warning if w.value.startswith("**Voorbeelddata (fictief).**")]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def cookie_scripts(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "document.cookie" in h.proto.body]


def upload(at: AppTest, name: str, data: bytes) -> None:
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception


def test_a_reload_finds_the_file_and_its_fixes(browser_cookie):
    first = session("gegevens")
    upload(first, "neutraal.csv", NEUTRAAL)
    assert metric(first, "Open problemen") == "2"
    key = next(k for k in first.session_state._state.filtered_state if k.startswith("value_editor_"))
    first.session_state[key] = {"edited_rows": {0: {"oplossing": "3. Goed op weg"}}, "added_rows": [],
                                "deleted_rows": []}
    first.run()
    assert metric(first, "Open problemen") == "0"
    digest = first.session_state["upload"]["digest"]
    first.multiselect(key=f"privacy_columns_{digest}").set_value(["Team"])
    first.number_input(key=f"privacy_minimum_{digest}").set_value(7).run()
    assert first.session_state["privacy"] == {"reporting_columns": ["Team"], "min_group_size": 7}
    koppelingen = first.session_state["koppelingen"]
    assert koppelingen  # Gegevens noted that no saved koppeling matches this file: not looked for again
    token = first.session_state["_kept_token"]
    assert kept_upload.TOKEN.fullmatch(token)
    # The browser is told the token: a cookie for the whole app, same-site only, for a day at most.
    [script] = cookie_scripts(first)
    assert f'"quickscan_upload={token}; Max-Age=86400"' in script and "Path=/; SameSite=Strict" in script

    browser_cookie["token"] = token
    again = session("stellingen")
    assert again.session_state["upload"]["name"] == "neutraal.csv"
    assert again.session_state["overrides"]["values"] == {"Neutraal": 3}
    assert again.session_state["privacy"] == {"reporting_columns": ["Team"], "min_group_size": 7}
    assert again.session_state["koppelingen"] == koppelingen
    assert banner(again) == []
    assert "neutraal.csv" in [t.value for t in again.sidebar.text]
    # Statement 1's answers with the fix: 3 (Neutraal -> Goed op weg), 2, 3: mean 8/3.
    assert next(m.value for m in again.metric if m.label == "Score") == f"{8 / 3:.2f}".replace(".", ",")
    again.switch_page("app_pages/gegevens.py").run()
    assert metric(again, "Open problemen") == "0"
    assert again.multiselect(key=f"privacy_columns_{digest}").value == ["Team"]
    assert again.number_input(key=f"privacy_minimum_{digest}").value == 7


def test_a_gone_upload_is_said_on_the_banner_and_its_cookie_cleared(browser_cookie):
    browser_cookie["token"] = A_TOKEN  # a token whose entry expired, was evicted, or was on a restarted server
    at = session()
    assert banner(at) == [LOST_NOTICE]
    assert at.session_state["upload"]["sample"]
    [script] = cookie_scripts(at)
    assert '"quickscan_upload=; Max-Age=0"' in script
    at.switch_page("app_pages/gegevens.py").run()
    assert banner(at) == [LOST_NOTICE_HERE]  # on Gegevens: the uploader is right below
    upload(at, AUTUMN.name, AUTUMN.read_bytes())
    assert banner(at) == []
    # Choosing the sample again gives the plain sample notice: the note about the lost file has been read.
    next(b for b in at.button if b.label == "Voorbeelddata gebruiken").click().run()
    assert banner(at) == [SAMPLE_NOTICE_HERE]


def test_without_a_cookie_the_sample_shows_as_before():
    at = session()
    assert banner(at) == [SAMPLE_NOTICE]
    assert cookie_scripts(at) == []  # nothing kept, nothing to tell the browser
    assert len(kept_upload.kept_store()) == 0


def test_a_token_of_another_shape_is_not_looked_up(browser_cookie, monkeypatch):
    """The real reader of the cookie takes only the shape of a token; anything else is no cookie."""
    monkeypatch.undo()
    from streamlit.runtime.context import ContextProxy

    for value in ["kort", A_TOKEN + "x", "A" * 42 + "/", "../" + "A" * 40]:
        monkeypatch.setattr(ContextProxy, "cookies", property(lambda self, value=value: {"quickscan_upload": value}))
        assert kept_upload.presented_token() is None
    monkeypatch.setattr(ContextProxy, "cookies", property(lambda self: {"quickscan_upload": A_TOKEN}))
    assert kept_upload.presented_token() == A_TOKEN


def test_choosing_the_sample_forgets_the_kept_upload(browser_cookie):
    at = session("gegevens")
    upload(at, AUTUMN.name, AUTUMN.read_bytes())
    token = at.session_state["_kept_token"]
    assert kept_upload.kept_store().get(token, "")[0] is Found.KEPT
    next(b for b in at.button if b.label == "Voorbeelddata gebruiken").click().run()
    assert kept_upload.kept_store().get(token, "")[0] is Found.MISSING
    assert '"quickscan_upload=; Max-Age=0"' in cookie_scripts(at)[0]
    assert banner(at) == [SAMPLE_NOTICE_HERE]
    # A browser that still presents the token (the cookie script did not run) is told the file is gone.
    browser_cookie["token"] = token
    assert banner(session()) == [LOST_NOTICE]


def test_deleting_the_open_round_forgets_the_kept_upload(browser_cookie, isolated_round_store):
    info = RoundStore(isolated_round_store).save(ingest_file(AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025",
                                                 "2025-10-06")
    at = session("meetrondes")
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    assert not at.exception, at.exception
    token = at.session_state["_kept_token"]
    assert at.session_state["upload"]["round_id"] == info.round_id
    # A reload opens the round again.
    browser_cookie["token"] = token
    again = session("meetrondes")
    assert again.session_state["upload"]["round_id"] == info.round_id
    next(b for b in again.button if b.label == "Verwijderen…").click().run()
    next(b for b in again.button if b.label == "Ja, definitief verwijderen").click().run()
    assert not again.exception, again.exception
    assert again.session_state["upload"].get("sample")
    assert kept_upload.kept_store().get(token, "")[0] is Found.MISSING
    assert '"quickscan_upload=; Max-Age=0"' in cookie_scripts(again)[0]


def test_a_round_deleted_elsewhere_is_said_on_the_banner(browser_cookie, isolated_round_store):
    """Someone else deletes the round this session has open: its next run, and a reload, show the sample with a
    banner that says the round was deleted (it said 'Dit bestand kan niet worden geanalyseerd')."""
    store = RoundStore(isolated_round_store)
    info = store.save(ingest_file(AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025", "2025-10-06")
    at = session("meetrondes")
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    token = at.session_state["_kept_token"]
    browser_cookie["token"] = token
    reloaded = session("overzicht")
    assert reloaded.session_state["upload"]["round_id"] == info.round_id

    store.delete(info.round_id)
    at.switch_page("app_pages/overzicht.py").run()
    assert not at.exception, at.exception
    assert at.session_state["upload"].get("sample")
    assert banner(at) == [ROUND_GONE_NOTICE]
    assert not [e.value for e in at.error]
    assert any(t.value.startswith("Voorbeelddata (fictief) — ") for t in at.sidebar.text)
    assert '"quickscan_upload=; Max-Age=0"' in cookie_scripts(at)[0]

    reloaded.switch_page("app_pages/teams.py").run()  # a session that restored the round before it went
    assert banner(reloaded) == [ROUND_GONE_NOTICE] and not [e.value for e in reloaded.error]
    assert kept_upload.kept_store().get(token, "")[0] is Found.MISSING


def test_the_kept_upload_is_the_signed_in_users_own(browser_cookie):
    anna = {"email": "anna@gemeente.example", "sub": "anna", "iss": "https://login.example"}
    bert = {"email": "bert@gemeente.example", "sub": "bert", "iss": "https://login.example"}
    first = session("gegevens", anna)
    upload(first, AUTUMN.name, AUTUMN.read_bytes())
    token = first.session_state["_kept_token"]

    browser_cookie["token"] = token
    other = session(None, bert)
    assert other.session_state["upload"].get("sample")
    assert banner(other) == [SAMPLE_NOTICE]  # ignored: not "your file is gone", it was never bert's
    assert kept_upload.kept_store().get(token, "https://login.example|anna")[0] is Found.KEPT

    own = session(None, anna)
    assert own.session_state["upload"]["name"] == AUTUMN.name
    assert banner(own) == []


def test_a_viewer_is_pointed_to_the_rounds(browser_cookie):
    browser_cookie["token"] = A_TOKEN
    viewer = session("gegevens", {"email": "kijker@gemeente.example", "sub": "kijker"})
    assert banner(viewer) == [LOST_NOTICE_VIEWER]
