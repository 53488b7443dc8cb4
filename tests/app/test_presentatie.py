"""AppTest for the Presentatie page: slide navigation, suppression on the team slide, exports."""

import math

from tests.app.test_pages import SAMPLE as SAMPLE_FILE
from tests.app.test_pages import TEAM, chart_figures, cli_summary, start
from tests.conftest import SAMPLES


def expected_slide_count(data) -> int:
    # title, overview, strongest/weakest, 4 themes, groups (themes, statements), questions, next steps in threes,
    # and the sample's own fictitious plan as Afspraken
    return 3 + 4 + 2 + 1 + math.ceil(len(data["weak_statements"]) / 3) + 1


def titles(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("# ")]


def test_navigation_through_the_slides():
    data = cli_summary(SAMPLE_FILE, TEAM)
    count = expected_slide_count(data)
    at = start("presentatie")
    assert titles(at) == ["# QuickScan diversiteits sensitief begeleiden"]
    assert any(m.value == f"**1 / {count}**" for m in at.markdown)
    assert next(b for b in at.button if b.label == "Vorige").disabled
    next(b for b in at.button if b.label == "Volgende").click().run()
    assert titles(at) == ["# Waar staan we?"]
    assert len(chart_figures(at)) == 2
    at.selectbox(key="slide_choice").set_value(count - 2).run()
    assert titles(at) == [f"# Aan de slag \\({math.ceil(len(data['weak_statements']) / 3)}\\/"
                          f"{math.ceil(len(data['weak_statements']) / 3)}\\)"]
    at.selectbox(key="slide_choice").set_value(count - 1).run()
    assert titles(at) == ["# Afspraken"]
    assert next(b for b in at.button if b.label == "Volgende").disabled
    assert not at.exception


def test_team_slide_shows_no_score_for_suppressed_groups():
    data = cli_summary(SAMPLE_FILE, TEAM, "--reporting-column", TEAM)
    hidden = [t["team"] for t in data["teams"] if t["suppressed"]]
    assert hidden == ["Team Centrum", "Team West"]
    at = start("presentatie")
    at.selectbox(key="slide_choice").set_value(7).run()
    assert titles(at) == [f"# Groepen vergelijken\\: {TEAM}"]
    subtitle = " ".join(m.value for m in at.markdown)
    # Each hidden group says why; the too-small one gives no exact size.
    assert "Team Centrum — te weinig respondenten \\(n\\<5\\)" in subtitle
    assert "Team West — verborgen om een kleine groep te beschermen" in subtitle
    assert "Team Centrum \\(3\\)" not in subtitle
    radar = chart_figures(at)[0]
    names = {trace.get("name") for trace in radar["data"]}
    assert "Team Noord" in names and "Hele organisatie" in names
    assert not names & set(hidden)


def test_every_presented_slide_renders():
    data = cli_summary(SAMPLE_FILE, TEAM)
    at = start("presentatie")
    for number in range(expected_slide_count(data)):
        at.selectbox(key="slide_choice").set_value(number).run()
        assert not at.exception, number
        assert len(titles(at)) == 1


def test_export_buttons_and_presentation_mode():
    at = start("presentatie")
    labels = [b.proto.label for b in at.get("download_button")]
    for label in ("HTML (offline)", "PDF (A4)", "PowerPoint", "Excel"):
        assert label in labels
    at.toggle(key="presentation_mode").set_value(True).run()
    assert not at.exception
    assert any("stSidebar" in h.proto.body for h in at.get("html"))


def test_presentation_mode_shows_the_room_only_the_slide():
    at = start("presentatie")
    at.selectbox(key="slide_choice").set_value(1).run()
    assert any(b.proto.label == "PNG" for b in at.get("download_button"))
    at.toggle(key="presentation_mode").set_value(True).run()
    # No export section and no PNG buttons are drawn at all; the controls that keep state are hidden by CSS.
    assert at.get("download_button") == [] and not at.main.expander
    css = " ".join(h.proto.body for h in at.get("html"))
    for hidden in (".st-key-presenter-controls", ".st-key-slide-nav", "header[data-testid=\"stHeader\"]"):
        assert hidden in css
    assert len(chart_figures(at)) == 2
    # The clicker keys: a page-wide listener that presses the hidden buttons, and blurs the toggle.
    script = next(h.proto for h in at.get("html") if "qs-presenting" in h.proto.body)
    assert script.unsafe_allow_javascript
    for key in ("PageDown", "PageUp", '" "', "slide-next", "slide-previous", "requestFullscreen", "Escape",
                "presentation-exit", "blur()"):
        assert key in script.body
    at.button(key="slide-next").click().run()
    assert titles(at) == ["# Sterkste en zwakste stellingen"]
    at.button(key="presentation-exit").click().run()  # what Esc presses
    assert at.toggle(key="presentation_mode").value is False
    assert any(b.proto.label == "HTML (offline)" for b in at.get("download_button"))


def test_next_steps_slide_nests_the_step_and_reading_under_the_statement():
    data = cli_summary(SAMPLE_FILE, TEAM)
    at = start("presentatie")
    at.selectbox(key="slide_choice").set_value(expected_slide_count(data) - 2).run()
    points = next(m.value for m in at.markdown if m.value.startswith("- Stelling"))
    lines = points.splitlines()
    statements = [line for line in lines if line.startswith("- Stelling")]
    assert 1 <= len(statements) <= 3
    assert any(line.startswith("    - Volgende stap") for line in lines)
    assert all(line.startswith(("- Stelling", "    - Volgende stap", "    - Meer lezen")) for line in lines)


def test_without_chromium_the_image_buttons_say_why(monkeypatch):
    from ui.widgets import chart_images

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    chart_images.clear()
    try:
        at = start()
        captions = " ".join(c.value for c in at.caption)
        assert "PNG niet beschikbaar" in captions and "PDF niet beschikbaar" in captions
        labels = [b.proto.label for b in at.get("download_button")]
        assert "PNG" not in labels and "PDF (A4)" not in labels
        assert {"HTML (offline)", "PowerPoint", "Excel"} <= set(labels)
    finally:
        chart_images.clear()


def test_speaker_notes_are_not_projected():
    at = start("presentatie")
    assert any(c.value.startswith("Voor de gespreksleider") for c in at.caption)
    at.toggle(key="presentation_mode").set_value(True).run()
    assert not any(c.value.startswith("Voor de gespreksleider") for c in at.caption)


# -- the Diversiteitskader checklist (issue 9) and the comparison with earlier rounds only (issue 11) ---------

KADER_SPRING = SAMPLES / "diversiteitskader_voorjaar_2025_google_forms.csv"
KADER_AUTUMN = SAMPLES / "diversiteitskader_najaar_2025.xlsx"
WIJKTEAM = "In welk wijkteam werkt u?"


def checklist_upload(path=KADER_AUTUMN):
    at = start("gegevens")
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "application/octet-stream")).run()
    assert not at.exception
    at.switch_page("app_pages/presentatie.py").run()
    assert not at.exception
    return at


def test_every_checklist_slide_renders_in_its_own_words():
    data = cli_summary(KADER_AUTUMN, WIJKTEAM, "--threshold", "0.5")
    at = checklist_upload()
    assert titles(at) == ["# Diversiteitskader wijkteams"]
    options = at.selectbox(key="slide_choice").options
    # title, overview, strongest/weakest, 5 blocks, groups (two slides: the wijkteam column is found by itself),
    # questions, next steps in threes, and the blocks' reading (three blocks: one slide)
    assert len(options) == 11 + math.ceil(len(data["weak_items"]) / 3) + 1
    seen = []
    for number in range(len(options)):
        at.selectbox(key="slide_choice").set_value(number).run()
        assert not at.exception, number
        [title] = titles(at)
        seen.append(title)
        text = " ".join(m.value for m in at.markdown)
        assert "Stelling" not in text and "Thema" not in text, title
    assert seen[2] == "# Sterkste en zwakste items"
    assert [t for t in seen if t.startswith("# Bouwsteen")] == [
        f"# Bouwsteen\\: {block['block']}" for block in data["blocks"]]
    assert seen[-2].startswith("# Aan de slag") and seen[-1] == "# Meer lezen"
    at.selectbox(key="slide_choice").set_value(len(options) - 2).run()
    points = next(m.value for m in at.markdown if m.value.startswith("- Item"))
    assert points.count("\n- Item") + 1 <= 3 and "    - Volgende stap\\: " in points
    assert "Meer lezen" not in points


def test_checklist_reading_is_one_slide_with_each_block_once():
    """The najaar sample's weak items draw on the reading of three blocks (Werkwijze 1.2 and 1.3, Informele netwerken
    3.1, 3.4 and 3.5, Proces 5.3 and 5.4); each block is one point, its titles beneath it, none twice."""
    at = checklist_upload()
    options = at.selectbox(key="slide_choice").options
    at.selectbox(key="slide_choice").set_value(len(options) - 1).run()
    assert titles(at) == ["# Meer lezen"]
    points = next(m.value for m in at.markdown if m.value.startswith("- Werkwijze"))
    blocks = [line for line in points.splitlines() if line.startswith("- ")]
    assert blocks == ["- Werkwijze · bij item 1\\.2 en 1\\.3", "- Informele netwerken · bij item 3\\.1, 3\\.4 en 3\\.5",
                      "- Proces · bij item 5\\.3 en 5\\.4"]
    titles_shown = [line for line in points.splitlines() if line.startswith("    - ") and "En nog" not in line]
    assert len(titles_shown) == 8 and len(set(titles_shown)) == 8
    every_slide = ""
    for number in range(len(options)):
        at.selectbox(key="slide_choice").set_value(number).run()
        every_slide += " ".join(m.value for m in at.markdown)
    assert every_slide.count("Schilderswijk Moeders \\(Kennisplatform") == 1


def test_checklist_presentation_mode_and_exports():
    at = checklist_upload()
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"HTML (offline)", "PowerPoint", "Excel"} <= set(labels)
    at.toggle(key="presentation_mode").set_value(True).run()
    at.selectbox(key="slide_choice").set_value(1).run()
    assert not at.exception and len(chart_figures(at)) == 2


def save_rounds(directory):
    from analysis.ingest.dataset import ingest_file
    from analysis.store import RoundStore

    store = RoundStore(directory)
    by_team = {"reporting_columns": [WIJKTEAM], "min_group_size": 5}
    spring = store.save(ingest_file(KADER_SPRING), "Gemeente Voorbeeldstad", "Voorjaar 2025", "2025-04-07",
                        privacy=by_team)
    autumn = store.save(ingest_file(KADER_AUTUMN), "Gemeente Voorbeeldstad", "Najaar 2025", "2025-10-06",
                        privacy=by_team)
    later = store.save(ingest_file(KADER_AUTUMN), "Gemeente Voorbeeldstad", "Voorjaar 2026", "2026-04-06",
                       privacy=by_team)
    quickscan = store.save(ingest_file(SAMPLES / "ronde_2025_voorjaar.xlsx"), "Gemeente Voorbeeldstad",
                           "QuickScan voorjaar", "2025-04-07", privacy={"reporting_columns": [TEAM],
                                                                         "min_group_size": 5})
    return spring, autumn, later, quickscan


def open_round(info):
    at = start("meetrondes")
    choice = at.selectbox(key="manage_round")
    choice.set_value(next(o for o in choice.options if info.round_id[:8] in o)).run()
    next(b for b in at.button if b.label == "Openen in het dashboard").click().run()
    at.switch_page("app_pages/presentatie.py").run()
    assert not at.exception
    return at


def test_the_comparison_offers_only_earlier_rounds_of_the_same_instrument(isolated_round_store):
    spring, autumn, later, quickscan = save_rounds(isolated_round_store)
    at = open_round(autumn)
    offered = at.selectbox(key="previous_round").options
    # Not the round itself, not the later one, not the other instrument's round measured earlier.
    assert offered[0] == "(geen)" and len(offered) == 2 and "Voorjaar 2025" in offered[1]
    count = len(at.selectbox(key="slide_choice").options)
    at.selectbox(key="previous_round").set_value(offered[1]).run()
    assert not at.exception and len(at.selectbox(key="slide_choice").options) == count + 1
    at.selectbox(key="slide_choice").set_value(2).run()
    assert titles(at) == ["# Voortgang sinds Voorjaar 2025 \\(7 april 2025\\)"]
    assert "procentpunt" in " ".join(m.value for m in at.markdown) or any(
        "Geen duidelijke verandering" in m.value for m in at.markdown)
    assert open_round(spring).selectbox(key="previous_round").options == ["(geen)"]
