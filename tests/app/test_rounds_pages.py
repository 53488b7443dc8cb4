"""AppTest for Meetrondes, Voortgang, saving on Gegevens, and the sign-in gate."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from analysis.ingest.dataset import ingest_file
from analysis.scoring.summary import summarize, summary_to_dict
from analysis.store import RoundStore
from tests.app.test_pages import TEAM, chart_figures, metric, start
from tests.conftest import FIXTURES, ROOT, SAMPLES

SPRING, AUTUMN = SAMPLES / "ronde_2025_voorjaar.xlsx", SAMPLES / "ronde_2025_najaar.xlsx"


@pytest.fixture
def store(isolated_round_store):
    return RoundStore(str(isolated_round_store))


@pytest.fixture
def two_rounds(store):
    by_team = {"reporting_columns": [TEAM], "min_group_size": 5}
    spring = store.save(ingest_file(SPRING), "Gemeente Voorbeeldstad", "Voorjaar 2025", "2025-04-07",
                        privacy=by_team)
    autumn = store.save(ingest_file(AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025", "2025-10-06",
                        privacy=by_team)
    return spring, autumn


def upload(at, path):
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/octet-stream")).run()
    assert not at.exception
    return at


def fill_save_form(at, organisation="Gemeente Voorbeeldstad", name="Najaar 2025", date="6 oktober 2025"):
    inputs = {t.label: t for t in at.text_input}
    inputs["Organisatie of eenheid"].input(organisation)
    inputs["Naam van de meetronde"].input(name)
    inputs["Datum van de meting"].input(date)
    next(b for b in at.button if b.label == "Meetronde opslaan").click().run()
    assert not at.exception
    return at


def test_gegevens_saves_the_checked_upload_as_a_round(store):
    # Changed for issue 11: the sample can no longer be saved, and the date is typed in Dutch.
    at = fill_save_form(upload(start("gegevens"), AUTUMN))
    assert any("Opgeslagen als meetronde" in s.value for s in at.success)
    [info] = store.list()
    assert (info.organisation, info.name, info.date, info.respondents) == (
        "Gemeente Voorbeeldstad", "Najaar 2025", "2025-10-06", 43)
    saved = summarize(store.load(info.round_id), TEAM)
    # The round keeps the reporting columns chosen on the page (here the team, as for the sample it replaced).
    assert TEAM in saved.reporting_columns
    expected = summarize(ingest_file(AUTUMN), TEAM, reporting_columns=list(saved.reporting_columns))
    assert summary_to_dict(saved) == summary_to_dict(expected)


def test_saving_waits_until_every_value_is_understood(store):
    at = start("gegevens")
    rows = ["Team,Stelling 1", "A,Neutraal", "A,Startend"]
    at.file_uploader[0].set_value(("neutraal.csv", "\n".join(rows).encode(), "text/csv")).run()
    assert not at.exception
    assert any("Los eerst de open problemen" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Meetronde opslaan"]


def test_a_name_is_required(store):
    at = upload(start("gegevens"), AUTUMN)
    next(t for t in at.text_input if t.label == "Organisatie of eenheid").input("Org")
    next(b for b in at.button if b.label == "Meetronde opslaan").click().run()
    assert any("naam" in e.value for e in at.error)
    assert store.list() == []


def test_meetrondes_without_rounds_explains_how_to_make_one():
    at = start("meetrondes")
    assert any("nog geen meetrondes" in i.value for i in at.info)


def test_meetrondes_lists_renames_and_opens(two_rounds, store):
    spring, autumn = two_rounds
    at = start("meetrondes")
    table = at.dataframe[0].value
    assert table["Meetronde"].tolist() == ["Voorjaar 2025", "Najaar 2025"]
    assert table["Respondenten"].tolist() == [40, 43]
    at.selectbox(key="manage_round").set_value(next(o for o in at.selectbox(key="manage_round").options
                                                    if spring.round_id[:8] in o)).run()
    at.text_input(key=f"rename_{spring.round_id}").input("Nulmeting").run()
    next(b for b in at.button if b.label == "Naam wijzigen").click().run()
    assert not at.exception
    assert store.find(spring.round_id).name == "Nulmeting"
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    assert not at.exception
    assert metric(at, "Respondenten") == "40"  # now on Overzicht, showing the spring round


def test_deleting_asks_first_and_is_permanent(two_rounds, store):
    spring, autumn = two_rounds
    at = start("meetrondes")
    at.selectbox(key="manage_round").set_value(next(o for o in at.selectbox(key="manage_round").options
                                                    if autumn.round_id[:8] in o)).run()
    next(b for b in at.button if b.label == "Verwijderen…").click().run()
    assert any("definitief verwijderen" in w.value for w in at.warning)
    assert len(store.list()) == 2
    next(b for b in at.button if b.label == "Annuleren").click().run()
    assert len(store.list()) == 2
    next(b for b in at.button if b.label == "Verwijderen…").click().run()
    next(b for b in at.button if b.label == "Ja, definitief verwijderen").click().run()
    assert not at.exception
    assert [r.round_id for r in store.list()] == [spring.round_id]


def cli_compare(directory, a, b):
    result = subprocess.run([sys.executable, "-m", "analysis", "compare", a, b, "--data-dir", str(directory)],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout)


def test_voortgang_matches_the_command_line(two_rounds, store):
    data = cli_compare(store.database.data_dir, "Voorjaar 2025", "Najaar 2025")
    at = start("voortgang")
    assert not at.exception
    markdown = " ".join(m.value for m in at.markdown)
    for statement_id in data["largest_improvements"] + data["largest_declines"]:
        assert f"**Stelling {statement_id}**" in markdown
    for item in data["statements"]:
        if item["id"] in data["largest_declines"]:
            assert f"**{item['change']:+.2f}**".replace(".", ",") in markdown
    assert len(chart_figures(at)) >= 3


def test_voortgang_applies_the_minimum_group_size_per_round(two_rounds):
    at = start("voortgang")
    table = at.dataframe[0].value
    spring, autumn = table.columns
    # Spring: West (4) too small, so the smallest other team, Centrum (5), is hidden too.
    protects = "verborgen om een kleine groep te beschermen"
    assert table.loc["Team West", spring] == "te weinig respondenten (n<5)"
    assert table.loc["Team Centrum", spring] == protects
    # Autumn: Centrum (3) too small, West (6) hidden with it; Noord shown in both.
    assert table.loc["Team Centrum", autumn] == "te weinig respondenten (n<5)"
    assert table.loc["Team West", autumn] == protects
    assert "verborgen" not in table.loc["Team Noord", spring] + table.loc["Team Noord", autumn]
    assert "te weinig" not in table.loc["Team Noord", spring] + table.loc["Team Noord", autumn]


def test_voortgang_target_gap(two_rounds):
    at = start("voortgang")
    # Changed for issue 11: a level from a list (no "0.00"), and the table in decimal commas.
    at.selectbox(key="target_Proces").set_value(4.0).run()
    gaps = at.dataframe[-1].value.set_index("Thema")
    autumn = summarize(ingest_file(AUTUMN))
    proces = autumn.themes.set_index("theme").loc["Proces", "score"]
    assert gaps.loc["Proces", "Afstand tot doel"] == f"{4.0 - proces:.2f}".replace(".", ",")


def test_voortgang_needs_two_rounds(store):
    store.save(ingest_file(FIXTURES / "msforms.xlsx"), "Org", "Enige", "2025-01-01")
    at = start("voortgang")
    assert any("minstens twee" in i.value for i in at.info)


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "geheim",
        "client_id": "id", "client_secret": "s", "server_metadata_url": "https://login.example/.well-known"}


def test_sign_in_gate_when_login_is_configured():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen"]
    assert not at.metric  # no figures before signing in
    assert not chart_figures(at)
    at.switch_page("app_pages/voortgang.py").run()  # a deep link does not get round the gate
    assert not at.exception
    assert [t.value for t in at.title] == ["QuickScan-dashboard"]


def test_signed_in_user_sees_the_dashboard():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "analist@gemeente.example"}
    at.run()
    assert not at.exception
    assert metric(at, "Respondenten") == "43"
    # No [roles] in these secrets: a signed-in user is a viewer.
    assert "analist@gemeente.example (kijker)" in [t.value for t in at.sidebar.text]
    assert not any("geen inlog ingesteld" in w.value for w in at.sidebar.warning)


def test_without_login_the_sidebar_says_who_can_see_the_data():
    at = start()
    assert any("zichtbaar voor iedereen" in w.value for w in at.sidebar.warning)


def test_fixes_made_on_gegevens_are_saved_with_the_round(store):
    rows = ["Team,Stelling 1,Stelling 2", "A,Neutraal,Gevorderd", "A,Startend,Gevorderd", "B,Neutraal,Inactief"]
    at = start("gegevens")
    at.file_uploader[0].set_value(("neutraal.csv", "\n".join(rows).encode(), "text/csv")).run()
    key = next(k for k in at.session_state._state.filtered_state if k.startswith("value_editor_"))
    at.session_state[key] = {"edited_rows": {0: {"oplossing": "3. Goed op weg"}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    next(t for t in at.text_input if t.label == "Organisatie of eenheid").input("Org")
    next(t for t in at.text_input if t.label == "Naam van de meetronde").input("Met herstel")
    # Statements 3-24 are not in this file: saving asks to confirm that (issue 10).
    next(c for c in at.checkbox if c.label.startswith("Ik weet dat stellingen 3, 4")).check()
    next(b for b in at.button if b.label == "Meetronde opslaan").click().run()
    assert not at.exception
    [info] = store.list()
    assert info.overrides["values"] == {"Neutraal": 3}
    # Statement 1: Neutraal -> 3, so 3, 2, 3; the saved round keeps that without the overrides.
    statement = summarize(store.load(info.round_id)).statements.set_index("id").loc[1]
    assert statement["score"] == pytest.approx(8 / 3) and statement["n_known"] == 3


def test_an_opened_round_shows_no_fix_editors(two_rounds):
    spring, _ = two_rounds
    at = start("meetrondes")
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    at.switch_page("app_pages/gegevens.py").run()
    assert not at.exception
    assert any("opgeslagen meetronde" in i.value for i in at.info)
    assert not at.get("data_editor") and not [b for b in at.button if b.label == "Meetronde opslaan"]
    assert metric(at, "Respondenten") == str(spring.respondents)


def test_presentation_can_add_progress_since_an_earlier_round(two_rounds):
    spring, autumn = two_rounds
    at = start("presentatie")
    count = len(at.selectbox(key="slide_choice").options)
    label = next(o for o in at.selectbox(key="previous_round").options if "Voorjaar 2025" in o)
    at.selectbox(key="previous_round").set_value(label).run()
    assert not at.exception
    assert len(at.selectbox(key="slide_choice").options) == count + 1
    at.selectbox(key="slide_choice").set_value(2).run()
    assert [m.value for m in at.markdown if m.value.startswith("# ")] == [
        "# Voortgang sinds Voorjaar 2025 \\(7 april 2025\\)"]  # issue 11: a Dutch date, not ISO


# -- issue 11: saving a round -----------------------------------------------------------------------------

def element_order(at, kinds=("button", "success", "error", "warning")) -> list[tuple[str, str]]:
    """The main area's elements of KINDS in the order they are drawn, as (kind, text)."""
    found = []

    def walk(node):
        kind = getattr(node, "type", "")
        if kind in kinds:
            found.append((kind, getattr(node, "label", None) or getattr(node, "value", "")))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at.main)
    return found


def test_the_confirmation_appears_at_the_button_and_the_form_is_cleared(store):
    at = fill_save_form(upload(start("gegevens"), AUTUMN))
    order = element_order(at)
    button = order.index(("button", "Meetronde opslaan"))
    confirmation = next(i for i, (kind, text) in enumerate(order) if kind == "success" and "Opgeslagen als" in text)
    assert confirmation == button + 1
    inputs = {t.label: t.value for t in at.text_input}
    assert inputs["Naam van de meetronde"] == ""
    assert inputs["Organisatie of eenheid"] == "Gemeente Voorbeeldstad"  # kept as a convenience for the next round


def test_a_second_save_of_the_same_round_asks_to_replace(store):
    at = fill_save_form(upload(start("gegevens"), AUTUMN))
    [first] = store.list()
    at = fill_save_form(at, organisation="gemeente voorbeeldstad ", name="najaar 2025", date="06-10-2025")
    assert [r.round_id for r in store.list()] == [first.round_id]  # no duplicate
    assert any("Er is al een meetronde" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Niet opslaan").click().run()
    assert [r.round_id for r in store.list()] == [first.round_id]
    at = fill_save_form(at, date="6 oktober 2025")
    next(b for b in at.button if b.label == "Ja, bestaande vervangen").click().run()
    assert not at.exception
    [replacement] = store.list()
    assert replacement.round_id != first.round_id and replacement.name == "Najaar 2025"
    assert any("Vervangen door meetronde" in s.value for s in at.success)


def test_an_unreadable_date_gets_a_dutch_message_at_the_button(store):
    at = fill_save_form(upload(start("gegevens"), AUTUMN), date="31 februari 2025")
    assert any("bestaat niet als datum" in e.value for e in at.error)
    assert store.list() == []


def test_the_date_is_typed_in_dutch_not_picked_from_an_english_calendar(store):
    at = upload(start("gegevens"), AUTUMN)
    assert not at.date_input
    today = dt.date.today()
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]
    date = next(t for t in at.text_input if t.label == "Datum van de meting")
    assert date.value == f"{today.day} {months[today.month - 1]} {today.year}"


# -- issue 11: voorbeelddata ------------------------------------------------------------------------------

def test_the_sample_is_never_offered_for_saving(store):
    at = start("gegevens")
    assert not [b for b in at.button if b.label == "Meetronde opslaan"]
    assert any("voorbeelddata" in i.value.lower() and "niet als meetronde" in i.value for i in at.info)


@pytest.mark.parametrize("page", [None, "gegevens", "teams", "stellingen", "aan_de_slag", "presentatie"])
def test_every_page_with_results_says_it_shows_voorbeelddata(page):
    at = start(page)
    assert any("Voorbeelddata (fictief)" in w.value for w in at.main.warning)
    assert any("Voorbeelddata" in w.value for w in at.sidebar.warning)
    assert any("Voorbeelddata (fictief)" in t.value for t in at.sidebar.text)


def test_own_data_carries_no_sample_notice():
    at = upload(start("gegevens"), AUTUMN)
    at.switch_page("app_pages/overzicht.py").run()
    assert not any("Voorbeelddata" in w.value for w in [*at.main.warning, *at.sidebar.warning])


def test_pages_of_saved_rounds_carry_no_sample_notice(two_rounds):
    for page in ("meetrondes", "voortgang"):
        at = start(page)
        assert not any("Voorbeelddata" in w.value for w in at.main.warning)


# -- issue 11: Dutch and meaningful numbers on Voortgang --------------------------------------------------

def test_voortgang_speaks_dutch(two_rounds):
    at = start("voortgang")
    rounds = at.multiselect[0]
    assert rounds.proto.select_all == 0  # no English "Select all" option
    assert all("2025-" not in option for option in rounds.options)
    assert any("(7 april 2025)" in option for option in rounds.options)
    target = at.selectbox(key="target_Proces")
    assert target.options[:2] == ["geen doel", "1 · Inactief"] and "4 · Gevorderd" in target.options
    assert not at.main.number_input  # no "0.00"


def test_voortgang_only_headlines_changes_larger_than_chance(two_rounds, store):
    data = cli_compare(store.database.data_dir, "Voorjaar 2025", "Najaar 2025")
    at = start("voortgang")
    table = next(d.value for d in at.dataframe if "Oordeel" in d.value.columns).set_index("Stelling")
    for item in data["statements"]:
        row = table.loc[item["id"]]
        if item["change"] is None:
            continue
        assert row["Oordeel"] == ("geen duidelijke verandering" if not item["significant"]
                                  else "vooruitgang" if item["change"] > 0 else "achteruitgang")
        low, high = (f"{v:+.2f}".replace(".", ",") for v in (item["change_low"], item["change_high"]))
        assert row["95%-interval verandering"] == f"{low} tot {high}"
    headlined = set(data["largest_improvements"] + data["largest_declines"])
    assert all(s["significant"] for s in data["statements"] if s["id"] in headlined)
    markdown = " ".join(m.value for m in at.markdown)
    for item in data["statements"]:
        if not item["significant"]:
            assert f"**Stelling {item['id']}**" not in markdown
    assert any("1,96" in c.value and "spreiding" in c.value for c in at.caption)


def test_near_identical_rounds_show_no_progress(store):
    by_team = {"reporting_columns": [TEAM], "min_group_size": 5}
    store.save(ingest_file(AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025", "2025-10-06", privacy=by_team)
    store.save(ingest_file(AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025 (kopie)", "2025-10-07", privacy=by_team)
    at = start("voortgang")
    assert not [m for m in at.markdown if m.value.startswith("**Stelling")]
    assert sum("Geen duidelijke verandering" in c.value for c in at.caption) == 2


@pytest.mark.parametrize("page", ["meetrondes", "voortgang", "presentatie", "gegevens"])
def test_an_unreachable_database_is_one_dutch_message_on_every_page_that_uses_it(monkeypatch, page):
    from tests.pg_server import _free_port

    monkeypatch.setenv("QUICKSCAN_DATABASE_URL", f"postgresql://qs:geheim@127.0.0.1:{_free_port()}/qs")
    at = start(page)
    assert not at.exception
    errors = [e.value for e in at.error]
    warnings = [w.value for w in at.warning]
    if page in ("meetrondes", "voortgang"):  # these pages are about saved rounds: they stop and say why
        assert any("niet bereikbaar" in e and "Probeer het later opnieuw" in e for e in errors), errors
    else:  # the sample's slides and checks go on without the store
        assert not errors
    if page == "presentatie":  # only the comparison with an earlier round says it is missing
        assert any("niet bereikbaar" in w for w in warnings), warnings
        assert at.button
    if page == "gegevens":
        assert at.file_uploader and at.dataframe
    assert not any("geheim" in text for text in errors + warnings)


def test_voortgang_shows_the_return_day_for_the_earlier_rounds_plan(two_rounds, store):
    import dataclasses

    from analysis.meeting.plan import Action, Focus
    from analysis.store.plans import PlanStore

    spring, _ = two_rounds
    data = cli_compare(store.database.data_dir, "Voorjaar 2025", "Najaar 2025")
    clear = next(s for s in data["statements"] if s["significant"])
    unclear = next(s for s in data["statements"] if not s["significant"] and s["change"] is not None)
    plans = PlanStore()
    plans.save(dataclasses.replace(plans.get(spring.round_id), focuses=(
        Focus(clear["id"], (Action("Training tolkgebruik", "teamleider", None, "klaar"),)), Focus(unclear["id"]))))
    at = start("voortgang")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes aside

    def comma(value, signed=False):
        return (f"{value:+.2f}" if signed else f"{value:.2f}").replace(".", ",")

    word = "vooruitgang" if clear["change"] > 0 else "achteruitgang"
    assert (f"Stelling {clear['id']}: {comma(clear['score_a'])} → {comma(clear['score_b'])} "
            f"({comma(clear['change'], True)}; {word})") in text
    assert f"Stelling {unclear['id']}: " in text and "geen duidelijke verandering" in text
    assert "Training tolkgebruik · teamleider · Klaar" in text
    assert "er was geen actie afgesproken" in text


def test_voortgang_compares_the_open_round_with_its_own_organisations_earlier_round(two_rounds, store):
    """Another organisation saved rounds later: opening Voorbeeldstad's autumn round still compares Voorbeeldstad."""
    spring, autumn = two_rounds
    store.save(ingest_file(SPRING), "Werkplein Testland", "Voorjaar 2025", "2025-04-14")
    store.save(ingest_file(AUTUMN), "Werkplein Testland", "Najaar 2025", "2025-10-13")
    at = start("meetrondes")
    chooser = at.selectbox(key="manage_round")
    chooser.set_value(next(o for o in chooser.options if autumn.round_id[:8] in o)).run()
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    at.switch_page("app_pages/voortgang.py").run()
    assert not at.exception
    chosen = at.multiselect[0].value
    assert len(chosen) == 2 and all(name.endswith("· Gemeente Voorbeeldstad") for name in chosen), chosen
    assert not any("verschillende organisaties" in w.value for w in at.warning)


def test_voortgang_says_so_when_no_group_is_shown_in_any_round(store):
    """Every team below a minimum of 50: no empty trend chart with only '(niet getoond)' in its legend."""
    strict = {"reporting_columns": [TEAM], "min_group_size": 50}
    store.save(ingest_file(SPRING), "Gemeente Voorbeeldstad", "Voorjaar 2025", "2025-04-07", privacy=strict)
    store.save(ingest_file(AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025", "2025-10-06", privacy=strict)
    at = start("voortgang")
    assert not at.exception
    assert any("Geen trend per groep" in i.value for i in at.info)
    titles = [json.dumps(f.get("layout", {}).get("title", "")) for f in chart_figures(at)]
    assert not any("score per groep per meetronde" in t for t in titles)


def test_voortgang_starts_with_two_rounds_of_one_organisation_when_the_newest_is_alone(two_rounds, store):
    """The newest round is a first checklist round of another organisation: Voortgang starts on the two rounds that
    can be compared (QA walk: it chose the lone checklist round and said 'Kies minstens twee meetrondes')."""
    checklist = SAMPLES / "diversiteitskader_najaar_2025.xlsx"
    store.save(ingest_file(checklist), "Wijkteams Testland", "Eerste meting", "2026-01-20")
    at = start("voortgang")
    assert not at.exception
    chosen = at.multiselect[0].value
    assert len(chosen) == 2 and all(name.endswith("· Gemeente Voorbeeldstad") for name in chosen), chosen
    assert not any("minstens twee" in i.value for i in [*at.info, *at.warning])
