"""AppTest for every page: the numbers on the page are the command line's numbers for the same file."""

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES, ROOT, SAMPLES

SAMPLE = SAMPLES / "quickscan_voorbeeld.xlsx"
FUNCTION = "Wat is uw functie?"
TEAM = "In welk team werkt u?"


def cli_summary(path, team=None, *extra):
    args = [sys.executable, "-m", "analysis", "summarize", str(path)] + (["--team-column", team] if team else [])
    args += list(extra)
    return json.loads(subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=True).stdout)


@pytest.fixture(scope="module")
def sample_json():
    # The dashboard's sample is set up with the team as its only reporting column.
    return cli_summary(SAMPLE, TEAM, "--reporting-column", TEAM)


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def chart_figures(at: AppTest) -> list[dict]:
    """Every chart on the page as the plotly figure it draws (data, layout); the component's first, each kind in
    page order.

    The dashboard draws its charts with a component of its own (ui/charts.py), whose JavaScript AppTest cannot run;
    the figure is in the element's data, as plotly.py wrote it. A page not moved to it yet uses st.plotly_chart.
    """
    figures = []
    for element in at.get("bidi_component") + at.get("plotly_chart"):
        if element.type == "plotly_chart":
            figures.append(json.loads(element.proto.spec))
        elif element.proto.component_name == "quickscan_chart":
            data = json.loads(element.proto.json)
            if "figure" in data:  # not the sidebar's preload of plotly.js
                figures.append(json.loads(data["figure"]))
    return figures


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def fmt(score: float) -> str:
    return f"{score:.2f}".replace(".", ",")


def test_overzicht_shows_the_cli_numbers(sample_json):
    at = start()
    assert metric(at, "Respondenten") == str(sample_json["respondents"])
    known = sum(s["n_known"] for s in sample_json["statements"])
    assert metric(at, "Beantwoord") == f"{known / (24 * sample_json['respondents']):.0%}"
    markdown = " ".join(m.value for m in at.markdown)
    lowest = sorted((s for s in sample_json["statements"] if s["score"] is not None),
                    key=lambda s: (s["score"], s["id"]))[:3]
    for statement in lowest:
        assert f"**Stelling {statement['id']}**" in markdown and fmt(statement["score"]) in markdown
    # The two radars draw the command line's theme and statement scores.
    themes, statements = chart_figures(at)
    assert themes["layout"]["title"]["text"] == "Niveau per thema"
    organisation = next(t for t in themes["data"] if t.get("name") == "Organisatie")
    assert organisation["theta"][:-1] == [t["theme"] for t in sample_json["themes"]]
    assert organisation["r"][:-1] == pytest.approx([t["score"] for t in sample_json["themes"]], abs=0.005)
    line = next(t for t in statements["data"] if t["type"] == "scatterpolar")
    drawn = dict(zip(line["theta"], line["r"]))
    assert len(drawn) == 24
    for statement in sample_json["statements"]:
        score = drawn[str(statement["id"])]
        assert score is None if statement["score"] is None else score == pytest.approx(statement["score"], abs=0.005)


def test_gegevens_upload_recognises_the_layout():
    at = start("gegevens")
    at.file_uploader[0].set_value(("qualtrics.csv", (FIXTURES / "qualtrics.csv").read_bytes(), "text/csv")).run()
    assert not at.exception
    assert metric(at, "Respondenten") == "12"
    assert metric(at, "Stellingen herkend") == "24 van 24"
    assert any("Qualtrics" in c.value for c in at.caption)


def test_gegevens_says_who_is_pooled_and_why():
    """The sample grouped by team: Centrum (3) is too small, West (6) is pooled only to protect it."""
    at = start("gegevens")
    assert not at.exception
    texts = [i.value for i in at.info if "combinatie" in i.value]
    assert texts == ["3 van 43 respondenten vallen in een te kleine combinatie van groepskenmerken, en 6 in een "
                     "combinatie die niet apart wordt getoond om de kleine te beschermen: zij tellen mee in het "
                     "totaal, niet in groeps- of filtercijfers."]


def test_fix_up_editor_changes_the_result(tmp_path):
    rows = ["Team,Stelling 1,Stelling 2", "A,Neutraal,Gevorderd", "A,Startend,Gevorderd", "B,Neutraal,Inactief"]
    data = "\n".join(rows).encode()
    at = start("gegevens")
    at.file_uploader[0].set_value(("neutraal.csv", data, "text/csv")).run()
    assert metric(at, "Open problemen") == "2"
    key = next(k for k in at.session_state._state.filtered_state if k.startswith("value_editor_"))
    at.session_state[key] = {"edited_rows": {0: {"oplossing": "3. Goed op weg"}}, "added_rows": [],
                             "deleted_rows": []}
    at.run()
    assert not at.exception
    assert metric(at, "Open problemen") == "0"
    assert at.session_state["overrides"]["values"] == {"Neutraal": 3}
    at.switch_page("app_pages/stellingen.py").run()
    # Statement 1 now has answers 3, 2, 3: mean 2.67.
    score = next(m.value for m in at.metric if m.label == "Score")
    assert score == fmt(8 / 3)


def test_teams_never_show_a_suppressed_score(sample_json):
    at = start("teams")
    hidden = [t["team"] for t in sample_json["teams"] if t["suppressed"]]
    assert hidden == ["Team Centrum", "Team West"]
    at.multiselect[0].set_value([t["team"] for t in sample_json["teams"]]).run()
    assert not at.exception
    difference = at.dataframe[1].value
    assert set(difference["Team Centrum"]) == {"te weinig respondenten (n<5)"}  # 3 people
    assert set(difference["Team West"]) == {"verborgen om een kleine groep te beschermen"}  # 6, the smallest other
    noord = next(t for t in sample_json["teams"] if t["team"] == "Team Noord")
    overall = {s["id"]: s["score"] for s in sample_json["statements"]}
    first = noord["statements"][0]
    shown = difference["Team Noord"].iloc[0]
    assert abs(float(shown.replace(",", ".")) - (first["score"] - overall[1])) < 0.011


def test_teams_without_group_column_explains_what_to_do():
    at = start()
    at.sidebar.selectbox[0].set_value("(geen)").run()
    at.switch_page("app_pages/teams.py").run()
    assert any("groepskolom" in i.value for i in at.info)


def test_stellingen_detail_matches_cli(sample_json):
    at = start("stellingen")
    at.selectbox[0].set_value(21).run()
    statement = next(s for s in sample_json["statements"] if s["id"] == 21)
    assert metric(at, "Score") == fmt(statement["score"])
    assert metric(at, "Niveau") == statement["level"]
    assert any("volgende stap" in m.value for m in at.markdown)


def test_aan_de_slag_lists_the_weak_statements(sample_json):
    at = start("aan_de_slag")
    headings = [m.value for m in at.markdown if m.value.startswith("##### Stelling")]
    assert [int(h.split()[2]) for h in headings] == sample_json["weak_statements"]


def test_bad_upload_gives_a_friendly_message():
    at = start("gegevens")
    at.file_uploader[0].set_value(("leeg.csv", b"Naam,Leeftijd\nPiet,40\n", "text/csv")).run()
    assert not at.exception
    assert any("Geen enkele stelling herkend" in e.value for e in at.error)


def test_uploaded_names_are_not_rendered_as_markdown():
    rows = ["[klik](http://x.example) **Team**,Stelling 1", "A,Gevorderd"] + ["A,Startend"] * 5
    at = start("gegevens")
    at.file_uploader[0].set_value(("*vet*.csv", "\n".join(rows).encode(), "text/csv")).run()
    assert not at.exception
    assert any("\\*vet\\*" in c.value for c in at.caption)
    assert any("[klik](http://x.example) **Team**" in t.value for t in at.text)


def test_sample_button_wins_over_the_file_still_in_the_uploader():
    at = start("gegevens")
    at.file_uploader[0].set_value(("qualtrics.csv", (FIXTURES / "qualtrics.csv").read_bytes(), "text/csv")).run()
    assert metric(at, "Respondenten") == "12"
    at.button[0].click().run()
    assert metric(at, "Respondenten") == "43"
    at.run()  # any later rerun must keep the sample, not fall back to the uploaded file
    assert metric(at, "Respondenten") == "43"


def sample_column(name: str) -> list[str]:
    from openpyxl import load_workbook
    rows = list(load_workbook(SAMPLE, read_only=True).active.iter_rows(values_only=True))
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def filter_widget(at: AppTest, column: str):
    return at.sidebar.multiselect(key=f"filter_{at.session_state['upload']['digest']}_{column}")


def test_sidebar_filter_narrows_every_page_to_the_selection():
    teams = sample_column(TEAM)
    chosen = ["Team Noord", "Team Zuid"]
    at = start()
    filter_widget(at, TEAM).set_value(chosen).run()
    assert not at.exception
    assert metric(at, "Respondenten") == str(sum(t in chosen for t in teams))
    assert any("Filter actief" in i.value for i in at.sidebar.info)
    assert filter_widget(at, TEAM).proto.select_all == 0  # no English "Select all" option


def test_only_reporting_columns_filter():
    at = start()
    # The sample is set up with the team as its only reporting column: no filter on functie.
    labels = [m.label for m in at.sidebar.multiselect]
    assert TEAM in labels and FUNCTION not in labels


def test_a_filter_that_selects_too_few_shows_nothing():
    teams = sample_column(TEAM)
    at = start()
    filter_widget(at, TEAM).set_value(["Team Centrum"]).run()
    assert not at.exception
    assert teams.count("Team Centrum") < 5
    assert not at.metric
    assert any("alleen respondenten in kleine groepen" in w.value for w in at.warning)


def test_a_chosen_team_hidden_to_protect_another_is_named_not_dropped_silently():
    teams = sample_column(TEAM)
    at = start()
    filter_widget(at, TEAM).set_value(["Team Noord", "Team West"]).run()
    assert not at.exception
    assert metric(at, "Respondenten") == str(teams.count("Team Noord"))  # West counts in no figure
    notes = [w.value.replace("\\", "") for w in at.sidebar.warning]
    assert "Team West niet meegeteld: verborgen om een kleine groep te beschermen." in notes
    assert not any("Team Noord" in n for n in notes)


def stellingen_counts(at: AppTest) -> list:
    """What an attacker reads off the Stellingen chart: every number in its hover texts and data."""
    return [figure["data"] for figure in chart_figures(at)]


def test_attack_two_filter_selections_on_the_pages_fails():
    """Issue 15, attack 1: functie = Klantmanager vs Klantmanager in four of the five teams."""
    at = start("gegevens")
    at.multiselect(key=f"privacy_columns_{at.session_state['upload']['digest']}").set_value([TEAM, FUNCTION]).run()
    at.switch_page("app_pages/stellingen.py").run()
    views = []
    for teams in ([], ["Team Noord", "Team Oost", "Team West", "Team Zuid"]):
        filter_widget(at, FUNCTION).set_value(["Klantmanager"]).run()
        filter_widget(at, TEAM).set_value(teams).run()
        assert not at.exception
        refused = any("alleen respondenten in kleine groepen" in w.value for w in at.warning)
        views.append(None if refused else ([m.value for m in at.metric], stellingen_counts(at)))
    # Per team the Klantmanagers are fewer than five: their cells are pooled, so either a selection is
    # refused or both show the same cells (their difference is empty). Today both are refused.
    assert views[0] is None or views[0] == views[1]
    assert views == [None, None]


def test_upload_text_in_errors_and_filter_labels_stays_plain():
    at = start("gegevens")
    at.file_uploader[0].set_value(("**vet**.csv", b"", "text/csv")).run()
    assert any("\\*\\*vet\\*\\*" in e.value for e in at.error)
    rows = ["[klik](http://x.example),Stelling 1"] + ["A,Gevorderd"] * 6 + ["B,Startend"] * 6
    at.file_uploader[0].set_value(("links.csv", "\n".join(rows).encode(), "text/csv")).run()
    assert not at.exception
    labels = [m.label for m in at.sidebar.multiselect]
    assert "\\[klik\\]\\(http\\:\\/\\/x\\.example\\)" in labels


def test_sidebar_follows_a_new_upload_at_once():
    at = start("gegevens")
    at.file_uploader[0].set_value(("qualtrics.csv", (FIXTURES / "qualtrics.csv").read_bytes(), "text/csv")).run()
    assert [t.value for t in at.sidebar.text] == ["qualtrics.csv"]


PAYLOADS = ["![x](http://host.example/pixel.png?leak=1)", "http://host.example/auto", "\u202eGROEN",
            '=HYPERLINK("http://x.example","klik")']


def test_hostile_team_names_are_plain_text_on_every_page():
    """Issue 15: a team name never becomes an image, a link, a direction trick or markup on any page."""
    rows = ["Team," + ",".join(f"Stelling {i}" for i in range(1, 25))]
    for index, team in enumerate(PAYLOADS):
        cell = '"' + team.replace('"', '""') + '"'
        rows += [cell + "," + ",".join(str(1 + (index + i) % 5) for i in range(24))] * 6
    at = start("gegevens")
    at.file_uploader[0].set_value(("teams.csv", "\n".join(rows).encode(), "text/csv")).run()
    at.sidebar.selectbox[0].set_value("Team").run()
    for page in ["overzicht", "teams", "stellingen", "aan_de_slag", "presentatie", "gegevens"]:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
        texts = [e.value for kind in ("markdown", "caption", "warning", "info", "error", "success")
                 for e in at.get(kind) if isinstance(getattr(e, "value", None), str)]
        for text in texts:
            # Escaped, the payloads read "host\\.example": Markdown can no longer link or load them.
            assert "host.example" not in text and "x.example" not in text, (page, text)
            assert "\u202e" not in text, (page, text)
        for frame in at.dataframe:
            cells = frame.value.astype(str).to_numpy().ravel().tolist() + [str(c) for c in frame.value.columns]
            assert not any("\u202e" in c for c in cells), page
    at.switch_page("app_pages/teams.py").run()
    sizes = at.dataframe[0].value
    assert "GROEN" in set(sizes["Groep"])  # shown as typed, minus the invisible override
    assert not at.table  # st.table would render the names as Markdown


def test_attack_viewer_lowers_the_minimum_fails():
    """Issue 15, attack 4: the sidebar's minimum cannot go below the dataset's; a viewer can only raise it."""
    at = start("teams")
    box = at.sidebar.number_input[0]
    assert box.label == "Minimale groepsgrootte" and box.min == 5
    box.set_value(8).run()
    assert not at.exception
    # At 8: Centrum (3) and West (6) are too small and together big enough; Oost (9) stays shown.
    hidden = {row["Groep"]: row["Status"] for _, row in at.dataframe[0].value.iterrows()}
    assert hidden["Team Oost"] == "getoond" and hidden["Team West"].startswith("te weinig respondenten (n<8)")


def test_the_analysts_lower_minimum_reaches_the_pages():
    """The analyst lowers the minimum to 3 on Gegevens: the sidebar follows and Teams shows the group of 4 (the
    sidebar stayed at 5 and hid it, while the warning said the minimum was lowered). A viewer's own raise stays."""
    rows = ["Team," + ",".join(f"Stelling {i}" for i in range(1, 25))]
    rows += ["A," + ",".join(["4"] * 24)] * 8 + ["B," + ",".join(["2"] * 24)] * 4
    at = start("gegevens")
    at.file_uploader[0].set_value(("klein.csv", "\n".join(rows).encode(), "text/csv")).run()
    at.sidebar.selectbox[0].set_value("Team").run()
    digest = at.session_state["upload"]["digest"]
    at.switch_page("app_pages/teams.py").run()
    assert at.sidebar.number_input[0].value == 5
    at.switch_page("app_pages/gegevens.py").run()
    at.number_input(key=f"privacy_minimum_{digest}").set_value(3).run()
    at.switch_page("app_pages/teams.py").run()
    assert not at.exception
    assert at.sidebar.number_input[0].value == 3 and at.sidebar.number_input[0].min == 3
    status = dict(zip(at.dataframe[0].value["Groep"], at.dataframe[0].value["Status"]))
    assert status == {"A": "getoond", "B": "getoond"}
    at.sidebar.number_input[0].set_value(6).run()  # a viewer raises it: that holds
    at.switch_page("app_pages/overzicht.py").run()
    assert at.sidebar.number_input[0].value == 6


def test_attack_two_hidden_groups_on_the_teams_page_fails():
    """Issue 15, attack 3: two small groups hidden together still need a third, or total - shown reveals them."""
    rows = ["Team," + ",".join(f"Stelling {i}" for i in range(1, 25))]
    for team, size in (("A", 1), ("B", 2), ("C", 10), ("D", 10)):
        rows += [team + "," + ",".join(["1" if team in "AB" else "4"] * 24)] * size
    at = start("gegevens")
    at.file_uploader[0].set_value(("klein.csv", "\n".join(rows).encode(), "text/csv")).run()
    at.sidebar.selectbox[0].set_value("Team").run()
    at.switch_page("app_pages/teams.py").run()
    status = dict(zip(at.dataframe[0].value["Groep"], at.dataframe[0].value["Status"]))
    assert status == {"A": "te weinig respondenten (n<5)", "B": "te weinig respondenten (n<5)",
                      "C": "verborgen om een kleine groep te beschermen", "D": "getoond"}
    # Nor may the sizes tell: with C's exact 10, total 23 - D 10 - C 10 = 3 would be A and B together.
    sizes = dict(zip(at.dataframe[0].value["Groep"], at.dataframe[0].value["Respondenten"]))
    assert sizes == {"A": "<5", "B": "<5", "C": "≥5", "D": "10"}


def test_fix_up_editors_show_the_choice_next_to_the_value():
    """Issue 11: at 1280 px the editable column sat past the right edge; now it follows the value, in fixed widths."""
    at = start("gegevens")
    rows = ["Team,Stelling 1", "A,Neutraal", "A,Startend"]
    at.file_uploader[0].set_value(("neutraal.csv", "\n".join(rows).encode(), "text/csv")).run()
    editors = at.get("data_editor")
    assert [list(e.proto.column_order) for e in editors] == [
        ["waarde", "oplossing", "aantal", "kolom", "rijen"], ["kolom", "toewijzen", "herkend als"]]
    for editor in editors:
        widths = [config["width"] for name, config in json.loads(editor.proto.columns).items() if name != "_index"]
        assert all(isinstance(w, int) for w in widths) and sum(widths) <= 790


def test_the_report_of_the_sample_says_it_is_voorbeelddata():
    from ui.state import source_label
    assert source_label({"name": "quickscan_voorbeeld.xlsx", "sample": True}) == (
        "Voorbeelddata (fictief) — quickscan_voorbeeld.xlsx")
    assert source_label({"name": "export.csv"}) == "export.csv"
    at = start()
    title_source = [t.value for t in at.sidebar.text]
    assert "Voorbeelddata (fictief) — quickscan_voorbeeld.xlsx" in title_source


def test_page_downloads_are_named_for_what_is_in_them(downloaded_names):
    """Issue 11: 'groepsscores.csv' or 'aan_de_slag.html' in a Downloads folder tells nobody which file or round."""
    import datetime as dt

    today = dt.date.today().isoformat()
    start("teams")
    start("aan_de_slag")
    start("stellingen")
    stem = f"quickscan-voorbeelddata-fictief-quickscan-voorbeeld-{today}"
    assert f"{stem}-groepsscores.csv" in downloaded_names
    assert f"{stem}-themas-per-groep.png" in downloaded_names  # a chart's PNG too
    assert f"{stem}-aan-de-slag.html" in downloaded_names
    assert f"{stem}-antwoorden-per-stelling.png" in downloaded_names
