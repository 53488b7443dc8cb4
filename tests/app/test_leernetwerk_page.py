"""AppTest for the Leernetwerk page: the example network, making and changing a network from saved rounds,
who is looking, and the privacy rules (too-small rounds left out, no network figure with fewer than 3)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.dutch import format_date
from analysis.ingest.dataset import ingest_file
from analysis.store import RoundStore
from analysis.store.networks import NetworkStore
from tests.app.test_pages import chart_figures
from tests.conftest import ROOT, SAMPLES

PAGE = ROOT / "app_pages" / "leernetwerk.py"
FOLDER = SAMPLES / "leernetwerk"
MANIFEST = json.loads((FOLDER / "leernetwerk.json").read_text(encoding="utf-8"))
ORGANISATIONS = sorted({row["organisation"] for row in MANIFEST["rounds"]})
SMALL = "Gemeente Klein Voorbeeld"
# Words of the real names that must never reach an anonymous view (the sample's and the saved rounds' alike).
REAL_WORDS = ("Oefenstad", "Proefdorp", "Testland", "Klein Voorbeeld")


def start() -> AppTest:
    """The page on its own (the router's sidebar plays no part in it)."""
    at = AppTest.from_file(str(PAGE), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Everything the page renders for people to read: text elements, tables and the charts' JSON (labels,
    hovers). Widget options are left out: the facilitator's choosers list the members by name."""
    parts = [e.value for kind in ("markdown", "caption", "warning", "info", "error", "success", "subheader", "title")
             for e in getattr(at, kind)]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [json.dumps(figure, ensure_ascii=False) for figure in chart_figures(at)]
    return "\n".join(map(str, parts))


def cell_values(z) -> np.ndarray:
    """A heatmap's z from plotly's JSON: a list of rows, or a typed array (base64 with dtype and shape)."""
    if isinstance(z, dict):
        shape = tuple(int(n) for n in z["shape"].split(","))
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.dtype(z["dtype"])).reshape(shape)
    return np.array(z, dtype=float)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def table(at: AppTest):
    return at.dataframe[0].value


@pytest.fixture
def saved(isolated_round_store):
    """The example network's rounds saved in the store, as a facilitator would on Gegevens."""
    store = RoundStore(str(isolated_round_store))
    return [store.save(ingest_file(FOLDER / row["file"]), row["organisation"], row["name"], row["date"])
            for row in MANIFEST["rounds"]]


def test_the_example_network_shows_letters_and_no_real_name():
    at = start()
    assert any("Voorbeeld-leernetwerk (fictief)" in w.value for w in at.warning)
    names = table(at)["Organisatie"].tolist()
    assert sorted(names) == ["Organisatie A", "Organisatie B", "Organisatie C", "Organisatie D"]
    text = shown_text(at)
    for word in REAL_WORDS:
        assert word not in text, word
    # Every view is filled: both charts, network means, and the learning questions.
    assert len(chart_figures(at)) == 2
    assert "Netwerkgemiddelde" in json.dumps(chart_figures(at)[0], ensure_ascii=False)
    assert any(m.value.startswith("**Stelling ") for m in at.markdown)


def test_the_small_organisation_is_listed_as_left_out_with_its_reason():
    at = start()
    rows = table(at)
    left_out = rows[rows["Meegeteld"] != "ja"]
    assert len(left_out) == 1
    assert left_out["Meegeteld"].iloc[0] == "nee: te weinig respondenten (n<5)"
    assert left_out["Respondenten"].iloc[0] == "<5"
    letter = left_out["Organisatie"].iloc[0]
    assert any("Niet meegeteld" in w.value and letter in w.value for w in at.warning)


def test_the_example_network_seen_by_one_member():
    at = start()
    at.selectbox(key="network_looking_voorbeeld").set_value("Gemeente Proefdorp").run()
    assert not at.exception
    names = table(at)["Organisatie"].tolist()
    assert names[0] == "Gemeente Proefdorp"
    assert all(n.startswith("Organisatie ") for n in names[1:])
    text = shown_text(at)
    assert "Proefdorp" in text
    for word in ("Oefenstad", "Testland", "Klein Voorbeeld"):
        assert word not in text, word


def test_create_a_network_from_saved_rounds_add_organisations_and_look_as_a_member(saved):
    at = start()
    assert any("Voorbeeld-leernetwerk" in w.value for w in at.warning)  # no network yet
    next(t for t in at.text_input if t.label == "Naam van het leernetwerk").input("Leernetwerk Zuid")
    members = next(m for m in at.multiselect if m.label.startswith("Organisaties (met meetrondes"))
    assert sorted(members.options) == ORGANISATIONS
    members.set_value(["Gemeente Oefenstad", "Gemeente Proefdorp"])
    button(at, "Leernetwerk maken").click().run()
    assert not at.exception, at.exception
    [network] = NetworkStore().list()
    assert (network.name, network.organisations) == ("Leernetwerk Zuid", ("Gemeente Oefenstad", "Gemeente Proefdorp"))
    assert not any("Voorbeeld-leernetwerk" in w.value for w in at.warning)

    # Two organisations included: no network figure, and a note saying why.
    assert any("Netwerkcijfers worden pas getoond vanaf 3" in i.value for i in at.info)
    assert not chart_figures(at)  # the facilitator may see no score at all
    assert not any(m.value.startswith("**Stelling ") for m in at.markdown)
    assert all(n.startswith("Organisatie ") for n in table(at)["Organisatie"])
    # A member sees its own scores only: neither the mean nor the other's score.
    looking = at.selectbox(key=f"network_looking_{network.network_id}")
    looking.set_value("Gemeente Oefenstad").run()
    themes = chart_figures(at)[0]
    assert {t.get("name") for t in themes["data"] if t.get("x")} == {"Gemeente Oefenstad"}
    heatmap = chart_figures(at)[1]["data"][0]
    cells = cell_values(heatmap["z"])  # statements down, organisations (and the mean) across
    # The other's letter comes from the network's own secret key: A or B, never its name.
    assert heatmap["x"][0] == "Gemeente Oefenstad" and heatmap["x"][2] == "Netwerkgemiddelde"
    assert heatmap["x"][1] in ("Organisatie A", "Organisatie B")
    assert not np.isnan(cells[:, 0]).any() and np.isnan(cells[:, 1:]).all()
    assert all(row[1:] == ["", ""] for row in heatmap["text"])
    at.selectbox(key=f"network_looking_{network.network_id}").set_value(looking.options[0]).run()

    # Add the other two.
    key = f"network_members_{network.network_id}_{network.version}"
    at.multiselect(key=key).set_value(ORGANISATIONS).run()
    button(at, "Organisaties opslaan").click().run()
    assert not at.exception, at.exception
    assert NetworkStore().get(network.network_id).organisations == tuple(ORGANISATIONS)
    assert not any("Netwerkcijfers worden pas" in i.value for i in at.info)
    rows = table(at)
    assert len(rows) == 4 and (rows["Meegeteld"] == "ja").sum() == 3

    # Looking as one member: it is named, and only it.
    at.selectbox(key=f"network_looking_{network.network_id}").set_value("Werkplein Testland").run()
    assert not at.exception
    names = table(at)["Organisatie"].tolist()
    assert names[0] == "Werkplein Testland" and all(n.startswith("Organisatie ") for n in names[1:])
    text = shown_text(at)
    assert "Testland" in text
    for word in ("Oefenstad", "Proefdorp", "Klein Voorbeeld"):
        assert word not in text, word


def test_a_moment_before_the_autumn_takes_the_spring_rounds_and_names_those_without(saved):
    network = NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    at = start()
    at.text_input(key="network_until").input("1 april 2025").run()
    assert not at.exception
    rows = table(at)
    # By 1 April only Oefenstad (17 March) had measured: one included, three without a round, no network figures.
    assert (rows["Meegeteld"] == "ja").sum() == 1
    assert (rows["Meegeteld"] == "nee: geen meetronde tot en met 1 april 2025").sum() == 3
    assert rows["Meetronde"].iloc[0] == "niet getoond"  # the facilitator's view: under a letter, no round
    assert any("Netwerkcijfers worden pas" in i.value for i in at.info)
    assert any("geen meetronde tot en met 1 april 2025" in w.value for w in at.warning)
    at.selectbox(key=f"network_looking_{network.network_id}").set_value("Gemeente Oefenstad").run()
    assert table(at)["Meetronde"].iloc[0] == "Voorjaar 2025 (17 maart 2025)"  # its own round, named


def test_chosen_rounds_one_per_organisation(saved):
    network = NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    network = NetworkStore().set_show_names(network.network_id, True)  # so the table names each round
    at = start()
    at.radio(key="network_moment").set_value("Zelf meetrondes kiezen").run()
    for organisation in ORGANISATIONS:
        chooser = at.selectbox(key=f"network_round_{network.network_id}_{organisation.casefold()}")
        assert chooser.value.startswith("Najaar 2025")  # the latest by default
        chooser.set_value(next(o for o in chooser.options if o.startswith("Voorjaar 2025")))
    at.run()
    assert not at.exception
    chosen = dict(zip(table(at)["Organisatie"], table(at)["Meetronde"]))
    assert chosen == {"Gemeente Oefenstad": "Voorjaar 2025 (17 maart 2025)",
                      "Gemeente Proefdorp": "Voorjaar 2025 (7 april 2025)",
                      "Werkplein Testland": "Voorjaar 2025 (14 april 2025)",
                      "Gemeente Klein Voorbeeld": "Voorjaar 2025 (12 mei 2025)"}


def test_names_switch_and_delete_with_confirmation(saved):
    network = NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    at = start()
    at.toggle(key=f"network_names_{network.network_id}_{network.version}").set_value(True).run()
    assert not at.exception
    assert NetworkStore().get(network.network_id).show_names
    assert sorted(table(at)["Organisatie"]) == ORGANISATIONS
    button(at, "Leernetwerk verwijderen…").click().run()
    assert NetworkStore().list()  # asks first
    button(at, "Ja, verwijderen").click().run()
    assert not at.exception
    assert NetworkStore().list() == []
    assert any("is verwijderd" in s.value for s in at.success)


def test_a_viewer_sees_the_network_but_cannot_change_it(saved):
    """With sign-in on, making and managing networks is an analyst's right (manage_rounds)."""
    from tests.app.test_auth import AUTH, ROLES

    NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    at = AppTest.from_file(str(PAGE), default_timeout=90)
    at.secrets["auth"], at.secrets["roles"] = AUTH, ROLES
    at.user = {"is_logged_in": True, "email": "kijker@gemeente.example"}
    at.run()
    assert not at.exception, at.exception
    assert len(table(at)) == 4 and len(chart_figures(at)) == 2
    labels = {e.label for e in at.main.expander}
    assert not labels & {"Nieuw leernetwerk maken", "Leernetwerk beheren"}
    assert not [b for b in at.button if b.label in {"Leernetwerk maken", "Naam wijzigen", "Organisaties opslaan"}]


def test_a_checklist_network_in_the_kinds_words(isolated_round_store):
    store = RoundStore(str(isolated_round_store))
    dataset = ingest_file(SAMPLES / "diversiteitskader_najaar_2025.xlsx")
    names = ["Wijkteams Noordkant", "Wijkteams Zuidkant", "Wijkteams Westkant"]
    for name in names:
        store.save(dataset, name, "Najaar 2025", "2025-10-06")
    NetworkStore().create("Wijkteamnetwerk", "diversiteitskader-wijkteams", names)
    at = start()
    assert at.selectbox(key="network_instrument").value == "diversiteitskader-wijkteams"
    assert (table(at)["Meegeteld"] == "ja").sum() == 3
    titles = [figure["layout"]["title"]["text"] for figure in chart_figures(at)]
    assert titles == ["Leernetwerk per bouwsteen", "Leernetwerk per item"]
    assert any(s.value == "Gezamenlijke leervragen" for s in at.subheader)


# -- the example's verbeterplan ---------------------------------------------------------------------------------

PLAN_ROW = MANIFEST["plans"][0]
PLAN_DATA = json.loads((FOLDER / PLAN_ROW["file"]).read_text(encoding="utf-8"))
PLAN_ORGANISATION = PLAN_ROW["organisation"]


def reference_of(organisation: str, name: str) -> dict:
    """The brief's scores of one of the example's rounds, worked out by tests.conftest.reference_summary."""
    from tests.conftest import reference_summary

    [row] = [r for r in MANIFEST["rounds"] if r["organisation"] == organisation and r["name"] == name]
    return reference_summary(ingest_file(FOLDER / row["file"]).codes.tolist())


def known_answers(organisation: str, name: str, statement: int) -> list[int]:
    [row] = [r for r in MANIFEST["rounds"] if r["organisation"] == organisation and r["name"] == name]
    return [int(c) for c in ingest_file(FOLDER / row["file"]).codes[:, statement - 1] if c > 0]


def comma(value: float, signed: bool = False) -> str:
    return (f"{value:+.2f}" if signed else f"{value:.2f}").replace(".", ",")


def test_the_example_plan_is_shown_only_to_its_own_organisation():
    at = start()
    actions = [a["what"] for f in PLAN_DATA["focuses"] for a in f["actions"]]
    text = shown_text(at)
    assert not any(what in text for what in actions)  # the facilitator's view: no organisation's plan
    assert not any(s.value.startswith("Afspraken van") for s in at.subheader)
    assert any("eigen verbeterplan" in c.value and "Wie kijkt er?" in c.value for c in at.caption)
    # The chooser (a list the facilitator opens) points to the member that has a plan.
    options = at.selectbox(key="network_looking_voorbeeld").options
    assert [o for o in options if "verbeterplan" in o] == [f"{PLAN_ORGANISATION} (met verbeterplan)"]
    # Another member sees no plan either (it has none), only its own name.
    at.selectbox(key="network_looking_voorbeeld").set_value("Werkplein Testland").run()
    assert not any(what in shown_text(at) for what in actions)
    assert any("geen verbeterplan opgeslagen" in c.value for c in at.caption)


def network_line(name: str, statement: int) -> str:
    """"Netwerk: gemiddeld **m** · laagste l · hoogste h" over the round NAME of the members that count."""
    scores = [reference_of(o, name)["statements"][statement - 1]["score"] for o in ORGANISATIONS if o != SMALL]
    return (f"Netwerk: gemiddeld **{comma(sum(scores) / len(scores))}** · laagste {comma(min(scores))} · "
            f"hoogste {comma(max(scores))}")


def test_the_example_plan_beside_the_network_and_its_return_day():
    """Gemeente Oefenstad's plan of its spring round, beside the network in autumn; numbers from the raw files."""
    from tests.analysis.scoring.test_progress import hand_interval

    at = start()
    at.selectbox(key="network_looking_voorbeeld").set_value(PLAN_ORGANISATION).run()
    assert not at.exception, at.exception
    assert f"Afspraken van {PLAN_ORGANISATION}" in [s.value for s in at.subheader]
    assert any(c.value.startswith("Terugkomdag: het verbeterplan van Voorjaar 2025") for c in at.caption)
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes aside
    # Per focus: spring -> autumn, progress only when the by-hand interval excludes 0; the network in autumn.
    for focus in PLAN_DATA["focuses"]:
        first = known_answers(PLAN_ORGANISATION, "Voorjaar 2025", focus["item_id"])
        last = known_answers(PLAN_ORGANISATION, "Najaar 2025", focus["item_id"])
        change, low, high = hand_interval(first, last)
        word = "vooruitgang" if low > 0 else "achteruitgang" if high < 0 else "geen duidelijke verandering"
        head = (f"**Stelling {focus['item_id']}: {comma(sum(first) / len(first))} → {comma(sum(last) / len(last))} "
                f"({comma(change, True)}; {word})** · 95%-interval {comma(low, True)} tot {comma(high, True)}")
        assert head in text, head
        assert network_line("Najaar 2025", focus["item_id"]) in text
    assert "- Training screening met een ervaringsdeskundige · teamleider · 15 september 2025 · Klaar" in text
    assert "- Collega's met een migratieachtergrond vragen als klankbord bij lastige trajecten · teamleider" in text
    assert "**Leerlessen**" in text


def test_before_the_autumn_the_plan_is_on_the_current_round_without_a_return_day():
    at = start()
    at.selectbox(key="network_looking_voorbeeld").set_value(PLAN_ORGANISATION).run()
    at.text_input(key="network_until").input("1 augustus 2025").run()
    assert not at.exception
    assert f"Afspraken van {PLAN_ORGANISATION}" in [s.value for s in at.subheader]
    assert not any(c.value.startswith("Terugkomdag") for c in at.caption)
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    spring = reference_of(PLAN_ORGANISATION, "Voorjaar 2025")
    for focus in PLAN_DATA["focuses"]:
        statement = spring["statements"][focus["item_id"] - 1]
        assert (f"**Stelling {focus['item_id']}** · {statement['theme']}: eigen score "
                f"**{comma(statement['score'])}**") in text
        assert network_line("Voorjaar 2025", focus["item_id"]) in text


# -- privacy of organisations under a letter, and what a projected screen shows ----------------------------------

WIDGETS = ("selectbox", "multiselect", "text_input", "toggle", "radio", "number_input", "button", "checkbox")


def on_the_screen(at: AppTest) -> list[str]:
    """Labels and current values of the widgets a room sees: those not inside a collapsed expander."""
    hidden = set()
    for expander in at.main.expander:
        if not expander.proto.expanded:
            hidden |= {w.id for kind in WIDGETS for w in getattr(expander, kind)}
    texts = [e.label for e in at.main.expander]
    for kind in WIDGETS:
        texts += [f"{w.label} {getattr(w, 'value', '')}" for w in getattr(at.main, kind) if w.id not in hidden]
    return texts


def assert_nothing_identifies(at: AppTest) -> None:
    text = shown_text(at)
    for word in REAL_WORDS:
        assert word not in text, word
    for row in MANIFEST["rounds"]:
        assert row["name"] not in text and row["date"] not in text and format_date(row["date"]) not in text, row
        n = row["respondents"]
        for pattern in (f"{n} respondent", f"n={n}", f"n = {n}", f"({n})"):
            assert pattern not in text, (pattern, row["organisation"])
    assert set(table(at)["Respondenten"]) <= {"≥5", "<5", "—"}
    assert set(table(at)["Meetronde"]) <= {"niet getoond", "—"}
    screen = " ".join(on_the_screen(at))
    for word in REAL_WORDS:
        assert word not in screen, (word, screen)


def test_a_projected_facilitators_view_names_no_organisation_and_no_round(saved):
    network = NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    at = start()
    assert not at.exception
    assert len(chart_figures(at)) == 2  # the charts (labels, hovers) are part of shown_text
    assert_nothing_identifies(at)
    # Choosing rounds by hand: the choosers name the members, inside a collapsed expander.
    at.radio(key="network_moment").set_value("Zelf meetrondes kiezen").run()
    assert not at.exception
    [choosers] = [e for e in at.main.expander if e.label == "Meetronde per organisatie kiezen"]
    assert not choosers.proto.expanded
    assert {s.label for s in choosers.selectbox} == set(ORGANISATIONS)
    assert_nothing_identifies(at)
    # The manager's controls name them too, collapsed as well.
    [manage] = [e for e in at.main.expander if e.label == "Leernetwerk beheren"]
    assert not manage.proto.expanded and set(manage.multiselect[0].value) == set(ORGANISATIONS)
    # A member's view names only that member, with its own round and count; the others stay unidentifiable.
    at.selectbox(key=f"network_looking_{network.network_id}").set_value("Gemeente Proefdorp").run()
    rows = table(at).set_index("Organisatie")
    assert rows.loc["Gemeente Proefdorp", "Meetronde"] == "Najaar 2025 (6 oktober 2025)"
    assert rows.loc["Gemeente Proefdorp", "Respondenten"] == "15"
    others = rows.drop(index="Gemeente Proefdorp")
    assert set(others["Meetronde"]) == {"niet getoond"} and set(others["Respondenten"]) <= {"≥5", "<5"}
    text = shown_text(at)
    for row in MANIFEST["rounds"]:
        if row["organisation"] != "Gemeente Proefdorp":
            assert row["date"] not in text and format_date(row["date"]) not in text


def test_without_a_network_the_instrument_is_chosen_where_a_network_is_made(saved):
    """Above the (QuickScan) example a 'Instrument: Diversiteitskader' would read as the example's instrument."""
    RoundStore().save(ingest_file(SAMPLES / "diversiteitskader_najaar_2025.xlsx"), "Wijkteams Noordkant",
                      "Najaar 2025", "2025-10-06")
    at = start()
    [making] = [e for e in at.main.expander if e.label == "Nieuw leernetwerk maken"]
    chooser = at.selectbox(key="network_instrument")
    assert chooser.id in {s.id for s in making.selectbox}  # inside the expander, not above the example
    assert set(chooser.options) == {"Diversiteitskader wijkteams", "QuickScan diversiteits sensitief begeleiden"}
    chooser.set_value("diversiteitskader-wijkteams").run()
    members = next(m for m in at.multiselect if m.label.startswith("Organisaties (met meetrondes"))
    assert members.options == ["Wijkteams Noordkant"]
    assert any("Voorbeeld-leernetwerk" in w.value for w in at.warning)  # the example stays
