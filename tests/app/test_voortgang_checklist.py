"""AppTest: Voortgang with two saved Diversiteitskader rounds and the spring round's verbeterplan.

The return-day section (Terugkomdag) and the clearest changes speak the checklist's words (Item, % voldaan,
procentpunt), with the numbers worked out by hand in tests/analysis/scoring/test_progress_checklist.py.
"""

from __future__ import annotations

from analysis.ingest.dataset import ingest_bytes
from analysis.store import RoundStore
from analysis.store.plans import PlanStore
from tests.analysis.scoring.test_progress_checklist import AUTUMN, PLAN, SPRING, by_hand, export
from tests.app.test_pages import start


def test_the_return_day_of_a_checklist_on_voortgang(isolated_round_store):
    import dataclasses

    store = RoundStore(str(isolated_round_store))
    spring = store.save(ingest_bytes(export(SPRING), "voorjaar.csv"), "Wijkteams Oost", "Voorjaar 2025", "2025-04-07")
    store.save(ingest_bytes(export(AUTUMN), "najaar.csv"), "Wijkteams Oost", "Najaar 2025", "2025-10-06")
    PlanStore().save(dataclasses.replace(PLAN, round_id=spring.round_id))

    at = start("voortgang")
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes aside
    _, low, high = by_hand(SPRING["1.3"], AUTUMN["1.3"])
    interval = f"{round(low * 100):+d} tot {round(high * 100):+d} procentpunt"
    # Terugkomdag: each focus with its scores then and now, the change, its interval and the actions.
    assert ("**Item 1.3: 22% voldaan → 79% voldaan (+57 procentpunt; vooruitgang)** · 95%-interval "
            f"{interval}") in text
    assert "Training outreachend werken · teamleider · 1 maart 2026 · Bezig" in text
    assert "Item 4.2: 50% voldaan → 45% voldaan (-5 procentpunt; geen duidelijke verandering)" in text
    assert "Item 1.10: geen oordeel → 60% voldaan (–; geen vergelijking mogelijk)" in text
    assert "Intake ruimer plannen · Klaar" in text and "er was geen actie afgesproken" in text
    # The clearest change, in the same words.
    assert f"**Item 1.3** · Werkwijze: 22% voldaan → 79% voldaan (**+57 procentpunt**; 95%-interval {interval})" in text
    headers = [h.value for h in at.header]
    assert "Terugkomdag: wat we afspraken" in headers and "Per item, met 95%-interval" in headers
    shown = text + "\n".join(headers) + "\n".join(s.value for s in at.subheader)
    assert "Stelling" not in shown
    table = at.dataframe[-1].value.set_index("Item")
    assert table.loc["1.3", "Verandering"] == "+57 procentpunt" and table.loc["1.3", "Oordeel"] == "vooruitgang"


def test_a_checklist_target_in_shares(isolated_round_store):
    """Werkwijze in autumn, by hand: items 1.3 (15 of 19) and 1.10 (12 of 20) are its only scored items, so the
    block scores (15/19 + 12/20) / 2 = 69.5%; a target of 70% is 1 procentpunt away and not reached."""
    store = RoundStore(str(isolated_round_store))
    store.save(ingest_bytes(export(SPRING), "voorjaar.csv"), "Wijkteams Oost", "Voorjaar 2025", "2025-04-07")
    store.save(ingest_bytes(export(AUTUMN), "najaar.csv"), "Wijkteams Oost", "Najaar 2025", "2025-10-06")
    at = start("voortgang")
    assert any(e.label == "Doel per bouwsteen (optioneel)" for e in at.expander)
    at.selectbox(key="target_Werkwijze").set_value(0.7).run()
    assert not at.exception, at.exception
    row = at.dataframe[-1].value.set_index("Bouwsteen").loc["Werkwijze"]
    assert round((15 / 19 + 12 / 20) / 2 * 100) == 69
    assert (row["Score"], row["Doel"], row["Afstand tot doel"], row["Gehaald"]) == ("69%", "70%", "1 procentpunt",
                                                                                    "nee")
    assert "Niveau" not in at.dataframe[-1].value.columns
