"""analysis.ingest.matching's multi-select reader: an item is found in any case, spacing or punctuation, also now that
its pattern is compiled only for a cell that holds all of its words."""

from analysis.ingest.matching import ItemFinder
from analysis.instrument import all_instruments

CHECKLIST = next(i for i in all_instruments() if i.kind.multi_select)
FIRST, FOURTH = CHECKLIST.statements[0], CHECKLIST.statements[3]


def test_items_are_found_in_any_case_spacing_and_punctuation():
    finder = ItemFinder(CHECKLIST)
    cell = f"{FIRST.text.upper()}; {' -  '.join(FOURTH.text.split())}"
    assert finder.read(cell).items == {FIRST.id, FOURTH.id}
    assert finder.read(cell).leftovers == ()


def test_a_dotless_or_dotted_i_still_matches_as_re_ignorecase_lets_it():
    finder = ItemFinder(CHECKLIST)
    text = next(s for s in CHECKLIST.statements if "i" in s.text)
    assert finder.read(text.text.replace("i", "\u0131")).items == {text.id}
    assert finder.read(text.text.replace("i", "\u0130")).items == {text.id}


def test_cells_without_items_count_as_no_ticks():
    finder = ItemFinder(CHECKLIST)
    assert finder.ticks_in(["Goed op weg", "Gevorderd", "", FIRST.text]) == 1
    ticked = finder.read("Goed op weg")
    assert ticked.items == frozenset() and ticked.leftovers == ("Goed op weg",)


def test_a_repeated_cell_counts_every_time_also_once_remembered(monkeypatch):
    """ticks_in remembers per distinct text whether it names an item; the count is still per cell, and a full
    memory is emptied rather than giving stale or missing answers."""
    monkeypatch.setattr("analysis.ingest.matching.MAX_REMEMBERED", 3)
    finder = ItemFinder(CHECKLIST)
    cells = [FIRST.text, "Gevorderd", FIRST.text, "", FOURTH.text.lower(), "x", FIRST.text]
    assert finder.ticks_in(cells) == 4
    assert finder.ticks_in(cells) == 4
    assert finder.ticks_in(["x", "y", "z", FOURTH.text]) == 1
