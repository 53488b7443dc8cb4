"""AppTest for the Leernetwerk page: the example network, making and changing a network from saved rounds,
who is looking, and the privacy rules (too-small rounds left out, no network figure with fewer than 3)."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.ingest import ingest_file
from analysis.store import RoundStore
from analysis.store.networks import NetworkStore
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
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
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
    assert len(at.get("plotly_chart")) == 2
    assert "Netwerkgemiddelde" in at.get("plotly_chart")[0].proto.spec
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
    assert not at.get("plotly_chart")  # the facilitator may see no score at all
    assert not any(m.value.startswith("**Stelling ") for m in at.markdown)
    assert all(n.startswith("Organisatie ") for n in table(at)["Organisatie"])
    # A member sees its own scores only: neither the mean nor the other's score.
    looking = at.selectbox(key=f"network_looking_{network.network_id}")
    looking.set_value("Gemeente Oefenstad").run()
    themes = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {t.get("name") for t in themes["data"] if t.get("x")} == {"Gemeente Oefenstad"}
    heatmap = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]
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
    NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    at = start()
    at.text_input(key="network_until").input("1 april 2025").run()
    assert not at.exception
    rows = table(at)
    # By 1 April only Oefenstad (17 March) had measured: one included, three without a round, no network figures.
    assert (rows["Meegeteld"] == "ja").sum() == 1
    assert (rows["Meegeteld"] == "nee: geen meetronde tot en met 1 april 2025").sum() == 3
    assert rows["Datum meetronde"].iloc[0] == "17 maart 2025"
    assert any("Netwerkcijfers worden pas" in i.value for i in at.info)
    assert any("geen meetronde tot en met 1 april 2025" in w.value for w in at.warning)


def test_chosen_rounds_one_per_organisation(saved):
    network = NetworkStore().create("Leernetwerk Zuid", "quickscan-dsb", ORGANISATIONS)
    at = start()
    at.radio(key="network_moment").set_value("Zelf meetrondes kiezen").run()
    for organisation in ORGANISATIONS:
        chooser = at.selectbox(key=f"network_round_{network.network_id}_{organisation.casefold()}")
        assert chooser.value.startswith("Najaar 2025")  # the latest by default
        chooser.set_value(next(o for o in chooser.options if o.startswith("Voorjaar 2025")))
    at.run()
    assert not at.exception
    dates = set(table(at)["Datum meetronde"])
    assert dates == {"17 maart 2025", "7 april 2025", "14 april 2025", "12 mei 2025"}


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
    assert len(table(at)) == 4 and len(at.get("plotly_chart")) == 2
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
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert titles == ["Leernetwerk per bouwsteen", "Leernetwerk per item"]
    assert any(s.value == "Gezamenlijke leervragen" for s in at.subheader)
