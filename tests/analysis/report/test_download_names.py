"""Download names say what is in the file, in ASCII letters, digits and hyphens only."""

import re

import pytest

from analysis.report.download_names import MAX_STEM, download_name, instrument_prefix, slug


@pytest.mark.parametrize(("text", "expected"), [
    ("Gemeente Voorbeeldstad · Najaar", "gemeente-voorbeeldstad-najaar"),
    ("Ærøskøbing Kommune", "aeroskobing-kommune"),          # letters NFKD leaves whole are spelled out
    ("Łódź · Straße", "lodz-strasse"),
    ("Œuvre de Þór", "oeuvre-de-thor"),
    ("Café ‘De Ĳssel’", "cafe-de-ijssel"),
    ("中文", ""),                                            # nothing Latin: the caller's fallback applies
])
def test_slug_spells_every_latin_letter_in_ascii(text, expected):
    assert slug(text) == expected


def test_a_name_is_safe_on_every_file_system_and_says_what_it_is():
    name = download_name("Ærø Kommune – wijkteam Nørrebro.xlsx", "2025-04-07", "pdf", "antwoorden per stelling",
                         instrument_prefix("quickscan-dsb"))
    assert name == "quickscan-aero-kommune-wijkteam-norrebro-2025-04-07-antwoorden-per-stelling.pdf"
    assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9]+", name)
    long = download_name("x" * 500, "2025-04-07", "pdf")
    assert len(long.removesuffix(".pdf")) <= MAX_STEM
