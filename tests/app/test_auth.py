"""Roles from the secrets: who is an analyst (may change things) and who is a viewer (sees results only).

The pages run in AppTest with a faked ``st.user`` and faked secrets; the real sign-in through an OpenID
Connect provider is tested in tests/browser/test_signin_flow.py.
"""

import pytest
from streamlit.testing.v1 import AppTest

from analysis.ingest.dataset import ingest_file
from analysis.store import RoundStore
from tests.conftest import ROOT, SAMPLES
from ui.auth import role_of

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "geheim-geheim-geheim",
        "client_id": "id", "client_secret": "s", "server_metadata_url": "https://login.example/.well-known"}
ROLES = {"analysts": ["Analist@Gemeente.example"], "analyst_claim": "groups", "analyst_value": "quickscan-analist"}
MANAGE_BUTTONS = {"Naam wijzigen", "Verwijderen…"}


@pytest.fixture
def saved_round(isolated_round_store):
    return RoundStore(isolated_round_store).save(ingest_file(SAMPLES / "ronde_2025_voorjaar.xlsx"),
                                                 "Gemeente Voorbeeldstad", "Voorjaar 2025", "2025-04-07")


def signed_in(user: dict | None, roles: dict | None = ROLES, page: str | None = None) -> AppTest:
    """The dashboard with sign-in configured and USER signed in (None: signed out)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    if roles is not None:
        at.secrets["roles"] = roles
    at.user = {"is_logged_in": True, **user} if user else {"is_logged_in": False}
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def signed_in_as(at: AppTest) -> str:
    """The sidebar's 'Ingelogd als' caption and the plain text under it."""
    captions = [c.value for c in at.sidebar.caption]
    assert "Ingelogd als" in captions
    return next(t.value for t in at.sidebar.text if t.value.endswith(("(analist)", "(kijker)")))


def buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def test_the_signed_in_name_is_plain_text():
    at = signed_in({"email": None, "name": "\u202e[klik](http://x.example) Jan"})
    assert signed_in_as(at) == "[klik](http://x.example) Jan (kijker)"  # st.text: no link, no direction override


@pytest.mark.parametrize(("user", "role"), [
    ({"email": "analist@gemeente.example"}, "analyst"),
    ({"email": "  ANALIST@gemeente.EXAMPLE "}, "analyst"),
    ({"email": "analist@gemeente.example", "email_verified": False}, "viewer"),
    ({"email": "analist@gemeente.example", "email_verified": True}, "analyst"),
    ({"email": "kijker@gemeente.example"}, "viewer"),
    ({"email": "kijker@gemeente.example", "groups": ["medewerkers", "quickscan-analist"]}, "analyst"),
    ({"email": "kijker@gemeente.example", "groups": "quickscan-analist"}, "analyst"),
    ({"email": "kijker@gemeente.example", "groups": ["quickscan-analisten"]}, "viewer"),
    ({"email": "kijker@gemeente.example", "roles": ["quickscan-analist"]}, "viewer"),
    ({}, "viewer"),
])
def test_role_from_allow_list_or_claim(user, role):
    assert role_of(user, ROLES) == role


def test_role_settings_may_be_single_values_or_lists():
    assert role_of({"email": "a@x.example"}, {"analysts": "A@x.example"}) == "analyst"
    assert role_of({"roles": ["b"]}, {"analyst_claim": "roles", "analyst_value": ["a", "b"]}) == "analyst"
    assert role_of({"groups": ["quickscan-analist"]}, {"analyst_value": "quickscan-analist"}) == "viewer"
    assert role_of({"email": "a@x.example"}, {}) == "viewer"


def test_analyst_on_the_allow_list_manages_rounds(saved_round):
    at = signed_in({"email": "analist@gemeente.example"}, page="meetrondes")
    assert MANAGE_BUTTONS <= buttons(at)
    assert "Openen in het dashboard" in buttons(at)
    assert signed_in_as(at) == "analist@gemeente.example (analist)"


def test_analyst_by_claim_manages_rounds(saved_round):
    at = signed_in({"email": "teamleider@gemeente.example", "groups": ["quickscan-analist"]}, page="meetrondes")
    assert MANAGE_BUTTONS <= buttons(at)
    assert signed_in_as(at).endswith("(analist)")


def test_viewer_opens_rounds_but_cannot_rename_or_delete(saved_round, isolated_round_store):
    at = signed_in({"email": "kijker@gemeente.example"}, page="meetrondes")
    assert not MANAGE_BUTTONS & buttons(at)
    assert not [t for t in at.text_input if t.label == "Nieuwe naam"]
    assert any("Alleen een analist" in c.value for c in at.caption)
    assert not any("Opgeslagen in" in c.value for c in at.caption)  # no server paths for viewers
    assert signed_in_as(at) == "kijker@gemeente.example (kijker)"
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    assert not at.exception
    assert at.sidebar.text[0].value == saved_round.label  # the round is now the session's data
    assert [r.round_id for r in RoundStore(isolated_round_store).list()] == [saved_round.round_id]


def test_a_pending_delete_does_not_survive_for_a_viewer(saved_round, isolated_round_store):
    at = signed_in({"email": "kijker@gemeente.example"}, page="meetrondes")
    at.session_state["confirm_delete"] = saved_round.round_id
    at.run()
    assert not any(b.label.startswith("Ja, definitief") for b in at.button)
    assert "confirm_delete" not in at.session_state


def test_viewer_cannot_save_a_round_on_gegevens():
    at = signed_in({"email": "kijker@gemeente.example"}, page="gegevens")
    assert "Meetronde opslaan" not in buttons(at)
    analyst = signed_in({"email": "analist@gemeente.example"}, page="gegevens")
    # The sample is never saved as a round: the analyst uploads an export of their own first.
    autumn = ROOT / "sample_data" / "ronde_2025_najaar.xlsx"
    analyst.file_uploader[0].set_value((autumn.name, autumn.read_bytes(), "application/octet-stream")).run()
    assert "Meetronde opslaan" in buttons(analyst)


def test_without_roles_everybody_signed_in_is_a_viewer(saved_round):
    at = signed_in({"email": "analist@gemeente.example"}, roles=None, page="meetrondes")
    assert not MANAGE_BUTTONS & buttons(at)
    assert signed_in_as(at).endswith("(kijker)")


def test_without_sign_in_everybody_is_an_analyst(saved_round):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/meetrondes.py").run()
    assert not at.exception
    assert MANAGE_BUTTONS <= buttons(at)
    assert any(c.value.startswith("Opgeslagen in") for c in at.caption)
    assert any("zichtbaar voor iedereen" in w.value for w in at.sidebar.warning)
    assert "Ingelogd als" not in [c.value for c in at.sidebar.caption]


def test_signed_out_deep_link_shows_only_the_sign_in(saved_round):
    at = signed_in(None, page="meetrondes")
    assert buttons(at) == {"Inloggen"}
    assert not at.dataframe
