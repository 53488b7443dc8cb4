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


def _ods_area(monkeypatch, data: bytes, chunk: int):
    seen = {}
    monkeypatch.setattr(spreadsheets, "CHUNK", chunk)
    monkeypatch.setattr(spreadsheets, "check_shape",
                        lambda rows, columns, where: seen.setdefault(where, (rows, columns)))
    spreadsheets._check_container(data, "x.ods")
    return next(area for where, area in seen.items() if "content.xml" in where)


@pytest.mark.parametrize("seed", range(12))
def test_a_row_reference_after_many_attributes_is_found_wherever_a_window_ends(monkeypatch, seed):
    """A row tag with hundreds of bytes of attributes before its number, cut by a window's end: the number still
    counts (the windows used to overlap by 256 bytes only, so such a tag could fall between two)."""
    rng = random.Random(seed)
    padding = "x" * rng.randint(300, 900)
    far = rng.randint(5_000, 90_000)
    rows = []
    for r in range(1, 120):
        number = far if r == 60 else r
        rows.append(f'<row spans="1:3" note="{padding}" r="{number}"><c r="A{r}"><v>{r}</v></c></row>')
    xml = f'<worksheet {h.NS}><sheetData>{"".join(rows)}</sheetData></worksheet>'
    for chunk in rng.sample(range(400, 3_000), 6):
        assert _area_found(monkeypatch, xml, chunk) == (far, 1), chunk


@pytest.mark.parametrize("chunk", [97, 131, 200, 257, 333, 512, 1_000])
def test_an_ods_empty_rest_cut_by_a_window_is_still_empty(monkeypatch, chunk):
    """LibreOffice writes a sheet's empty rest as one repeated row of repeated empty cells; wherever a window ends
    inside it, it costs nothing. A repeated row with content, cut anywhere, counts all its repeats."""
    rows = [["Team", "Stelling 1"]] + [[f"T{r}", str(r % 5 + 1)] for r in range(12)]
    assert _ods_area(monkeypatch, h.ods({"A": rows}), chunk)[0] == 13
    repeated = ('<table:table-row table:number-rows-repeated="700"><table:table-cell office:value-type="string">'
                '<text:p>x</text:p></table:table-cell></table:table-row>')
    data = h.ods({"A": rows}, {"A": repeated})
    found = _ods_area(monkeypatch, data, chunk)[0]
    assert found >= 13 + 700 and found == _ods_area(monkeypatch, data, 10**6)[0]  # as when read in one window


def test_a_single_tag_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_TAG_BYTES", 5_000)
    xml = f'<worksheet {h.NS}><sheetData><row r="1" note="{"x" * 20_000}"><c r="A1"><v>1</v></c></row>' \
          '</sheetData></worksheet>'
    monkeypatch.setattr(spreadsheets, "CHUNK", 1_000)
    with pytest.raises(spreadsheets.IngestError, match="XML-element"):
        spreadsheets._check_container(h.workbook({"A": xml}), "x.xlsx")
