"""The workbook pre-scan finds exactly the area a sheet's cells claim, however the sheet is cut into windows.

calamine allocates the whole used area, so the scan must never under-count: rows out of order, a cell far
to the right or further down than any row element, in any window of a long sheet. The windows are made small
here so a sheet of a few hundred rows crosses many of them, as a sheet of 100,000 rows does at full size.
"""

from __future__ import annotations

import random

import hostile as h
import pytest

from analysis.ingest import spreadsheets


def _area_found(monkeypatch, xml: str, chunk: int) -> tuple[int, int]:
    seen = {}
    monkeypatch.setattr(spreadsheets, "CHUNK", chunk)
    monkeypatch.setattr(spreadsheets, "check_shape",
                        lambda rows, columns, where: seen.setdefault(where, (rows, columns)))
    spreadsheets._check_container(h.workbook({"A": xml}), "x.xlsx")
    return next(area for where, area in seen.items() if "sheet1.xml" in where)


def _random_sheet(rng: random.Random) -> tuple[str, tuple[int, int]]:
    """Sheet XML with some oddities placed at random, and the area its references really claim."""
    n_rows, width = rng.randint(20, 400), rng.randint(2, 40)
    rows = [(r, [(c, r) for c in range(1, width + 1)]) for r in range(1, n_rows + 1)]
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(rows))
        kind = rng.choice(["late_row", "wide_cell", "deep_cell"])
        number, cells = rows[at]
        if kind == "late_row":  # a row element numbered far beyond those after it
            rows[at] = (rng.randint(n_rows + 1, 5_000), cells)
        elif kind == "wide_cell":
            rows[at] = (number, cells + [(rng.randint(width + 1, 300), number)])
        else:  # a cell further down than its own row element says
            rows[at] = (number, cells + [(1, rng.randint(n_rows + 1, 9_000))])
    body = "".join(f'<row r="{number}" spans="1:{width}">' + "".join(
        f'<c r="{h.column_letters(c - 1)}{cell_row}" t="inlineStr"><is><t>arrow row {c}</t></is></c>'
        for c, cell_row in cells) + "</row>" for number, cells in rows)
    claimed_rows = max(max(number, *(r for _, r in cells)) for number, cells in rows)
    claimed_columns = max(c for _, cells in rows for c, _ in cells)
    return f'<worksheet {h.NS}><sheetData>{body}</sheetData></worksheet>', (claimed_rows, claimed_columns)


@pytest.mark.parametrize("seed", range(25))
def test_the_area_is_exact_in_every_window(monkeypatch, seed):
    rng = random.Random(seed)
    xml, claimed = _random_sheet(rng)
    assert _area_found(monkeypatch, xml, rng.choice([2_000, 8_000, 50_000])) == claimed


def test_a_late_cell_beyond_the_header_width_counts(monkeypatch):
    rows = [[f"Kop {c}" for c in range(5)]] + [[str(r)] * 5 for r in range(300)]
    xml = h.sheet_xml(rows, extra_cells='<row r="302"><c r="AB302"><v>1</v></c></row>')
    assert _area_found(monkeypatch, xml, 500) == (302, 28)


def test_an_early_row_element_numbered_far_down_counts(monkeypatch):
    rows = [[f"Kop {c}" for c in range(5)]] + [[str(r)] * 5 for r in range(300)]
    xml = h.sheet_xml(rows).replace('<row r="3">', '<row r="70000">', 1)
    assert _area_found(monkeypatch, xml, 500) == (70_000, 5)
