"""Downloads: spreadsheet formulas are neutralised, suppressed groups carry no numbers."""

import io

import pandas as pd

from analysis.ingest.dataset import ingest_file
from analysis.report.exports import csv_bytes
from analysis.report.next_steps import next_steps_html
from analysis.scoring.overview import group_csv, group_download, group_scores
from analysis.scoring.summary import summarize
from tests.conftest import SAMPLES


def test_csv_download_makes_formulas_inert():
    frame = pd.DataFrame({"groep": ["=HYPERLINK(\"x\")", "+31", "Team"], "score": [1.5, 2.0, 3.25]})
    text = csv_bytes(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert back["groep"].tolist() == ["'=HYPERLINK(\"x\")", "'+31", "Team"]
    assert back["score"].tolist() == [1.5, 2.0, 3.25]


def test_group_download_has_no_scores_for_suppressed_groups():
    summary = summarize(ingest_file(SAMPLES / "quickscan_voorbeeld.xlsx"), "In welk team werkt u?",
                        reporting_columns=["In welk team werkt u?"])
    table = group_download(group_scores(summary))
    # Centrum (3) is too small; West (6), the smallest other team, is hidden to protect it.
    assert set(table.loc[table["status"] == "te weinig respondenten (n<5)", "groep"]) == {"Team Centrum"}
    assert set(table.loc[table["status"] == "verborgen om een kleine groep te beschermen", "groep"]) == {"Team West"}
    assert set(table.loc[table["groep"] == "Team Centrum", "respondenten"]) == {"<5"}
    hidden = table[table["status"] != ""]
    assert hidden["score"].isna().all() and hidden["verschil met organisatie"].isna().all()


def test_checklist_group_csv_speaks_items_and_whole_percentages_for_every_group():
    """The Teams csv of a checklist: item ids, shares as the 62 the page shows (not 0,62), and every group, the
    hidden ones with their reason and no numbers (it used to hold only the groups ticked on the page)."""
    column = "In welk wijkteam werkt u?"
    summary = summarize(ingest_file(SAMPLES / "diversiteitskader_najaar_2025.xlsx"), column,
                        reporting_columns=[column])
    kind = summary.instrument.kind
    text = csv_bytes(group_csv(group_scores(summary), kind)).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"item": str})
    assert list(back.columns) == ["groep", "respondenten", "item", "% voldaan",
                                  "verschil met organisatie (procentpunt)", "status"]
    assert set(back["groep"]) == {"Wijkteam Noord", "Wijkteam Oost", "Wijkteam West", "Wijkteam Zuid"}
    hidden = back[back["groep"].isin(["Wijkteam Noord", "Wijkteam Zuid"])]
    assert hidden["% voldaan"].isna().all() and hidden["status"].notna().all()
    oost = next(g for g in summary.groups if g.name == "Wijkteam Oost").statements.set_index("id")
    overall = summary.statements.set_index("id")["score"]
    rows = back[back["groep"] == "Wijkteam Oost"].set_index("item")
    assert list(rows.index) == [str(i) for i in summary.instrument.statement_ids]
    for item, row in rows.iterrows():
        share, whole = oost.loc[item, "score"], overall.loc[item]
        if pd.isna(share):
            assert pd.isna(row["% voldaan"])
            continue
        assert row["% voldaan"] == round(share * 100)
        assert row["verschil met organisatie (procentpunt)"] == round((share - whole) * 100)
    assert back["% voldaan"].dropna().between(0, 100).all() and back["% voldaan"].dropna().max() > 1


def test_next_steps_page_escapes_and_lists_weak_statements():
    summary = summarize(ingest_file(SAMPLES / "quickscan_voorbeeld.xlsx"))
    html = next_steps_html(summary)
    for statement_id in summary.weak:
        assert f"Stelling {statement_id} ·" in html
    assert "<script" not in html
