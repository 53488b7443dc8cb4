"""Dutch dates and numbers: what every page, label and export shows, and what the save form accepts."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.dutch import DateError, format_date, format_number, parse_date


@pytest.mark.parametrize("value,expected", [
    (dt.date(2025, 4, 7), "7 april 2025"), ("2025-10-06", "6 oktober 2025"), ("2025-03-01", "1 maart 2025"),
    (dt.datetime(2024, 12, 31, 23, 59), "31 december 2024"), ("2025-05-15T10:00:00+00:00", "15 mei 2025"),
    ("geen datum", "geen datum")])
def test_format_date(value, expected):
    assert format_date(value) == expected


@pytest.mark.parametrize("text", ["7 april 2025", "07-04-2025", "7-4-2025", "7/4/2025", "07.04.2025", "7 apr 2025",
                                  "7 Apr. 2025", " 7  APRIL  2025 ", "2025-04-07", "7 april, 2025"])
def test_parse_date_reads_what_a_dutch_user_types(text):
    assert parse_date(text) == dt.date(2025, 4, 7)


def test_parse_date_knows_the_dutch_abbreviations():
    assert parse_date("3 mrt 2025") == dt.date(2025, 3, 3)
    assert parse_date("3 okt 2025") == dt.date(2025, 10, 3)
    assert parse_date("3 mei 2025") == dt.date(2025, 5, 3)


def test_every_month_round_trips():
    for month in range(1, 13):
        day = dt.date(2025, month, 28)
        assert parse_date(format_date(day)) == day


@pytest.mark.parametrize("text,message", [
    ("", "Vul een datum in"), ("31 februari 2025", "bestaat niet als datum"), ("7 april", "geen datum"),
    ("april 7 2025", "geen datum"), ("7 foo 2025", "geen datum"), ("04/07/25", "geen datum")])
def test_parse_date_explains_in_dutch(text, message):
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_format_number_uses_a_decimal_comma():
    assert format_number(3.254) == "3,25"
    assert format_number(0.4, signed=True) == "+0,40"
    assert format_number(-0.05, signed=True) == "-0,05"
    assert format_number(None) == "–" and format_number(float("nan")) == "–"
