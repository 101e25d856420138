"""Publication dates, datelines and year inference across a batch."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.read import read_inputs, read_text
from kronika.read.pubdate import find_dateline, header_date, parse_date

STORY = (
    "Harbour pilots in Vallin walked off the job on Wednesday over pay, halting container traffic at "
    "the port of Vallin, the pilots' union and the port authority said. Union leader Oskar Brandt said "
    "the strike would continue until the port authority improved its offer to the Vallin harbour pilots."
)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Wednesday 24 February 2016 17:23 GMT", "2016-02-24"),
        ("November 14, 2013 / 4:16 PM / 6 years ago", "2013-11-14"),
        ("November 22, 2017 | By | Reply More", "2017-11-22"),
        ("Published 3rd March 2015 by Jane Roe", "2015-03-03"),
        ("2019-05-03T10:00:00Z", "2019-05-03"),
        ("Feb 24", None),
        ("The talks resumed on March 3, 2015 after a long pause in the capital, officials said.", None),
    ],
)
def test_header_date_lines(line, expected):
    found = header_date(line)
    assert (found.date.isoformat() if found else None) == expected


def test_parse_date_never_fills_a_missing_year():
    assert parse_date("24 February") is None
    assert parse_date("Wednesday 24 February 2016") == dt.date(2016, 2, 24)


@pytest.mark.parametrize(
    "para, place, date_text, agency",
    [
        ("MOSCOW, Feb 24 – The Kremlin said", "MOSCOW", "Feb 24", None),
        ("MOSCOW (Reuters) - Russian officials", "MOSCOW", None, "Reuters"),
        ("Beirut, March 3, 2016 (AFP) - The army", "Beirut", "March 3, 2016", "AFP"),
        ("US President Barack Obama said on Monday", None, None, None),
    ],
)
def test_datelines(para, place, date_text, agency):
    dl = find_dateline(para)
    assert (dl.place if dl else None, dl.date_text if dl else None, dl.agency if dl else None) == (
        place,
        date_text,
        agency,
    )


def test_year_inferred_from_weekday_and_a_dated_report_of_the_same_story(tmp_path):
    (tmp_path / "a.txt").write_text(
        f"Pilots strike in Vallin\n\nThursday 4 March 2021 10:05 GMT\n\n{STORY}\n"
    )
    (tmp_path / "b.txt").write_text(f"VALLIN, March 3 - {STORY}\n")
    docs = {d.doc_id: d for d in read_inputs([tmp_path])}
    assert docs["a"].pub_date == dt.date(2021, 3, 4)
    assert docs["b"].pub_date == dt.date(2021, 3, 3)  # 3 March 2021 was a Wednesday
    assert docs["b"].dateline == "VALLIN"
    assert "inferred" in docs["b"].warnings[-1]


def test_year_stays_unknown_without_a_supporting_document(tmp_path):
    (tmp_path / "b.txt").write_text(f"VALLIN, March 3 - {STORY}\n")
    (doc,) = read_inputs([tmp_path])
    assert doc.pub_date is None and doc.pub_date_text == "March 3"
    assert "year unknown" in doc.warnings[-1]


def test_year_stays_unknown_when_the_weekday_disagrees(tmp_path):
    (tmp_path / "a.txt").write_text(
        f"Pilots strike in Vallin\n\nThursday 4 March 2021 10:05 GMT\n\n{STORY}\n"
    )
    (tmp_path / "b.txt").write_text("VALLIN, March 3 - " + STORY.replace("Wednesday", "Friday") + "\n")
    docs = {d.doc_id: d for d in read_inputs([tmp_path])}
    assert docs["b"].pub_date is None


def test_no_date_means_null():
    doc = read_text(STORY, "x")
    assert doc.pub_date is None and doc.pub_date_text is None
