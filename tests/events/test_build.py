"""Building the record: scale by mode, the mode check, the "historical" rule and the confidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from kronika.dates.resolve import DateResolution
from kronika.document import Document
from kronika.events.build import build_event, record_modality, scale
from kronika.events.confidence import probability
from kronika.events.extract import sentence_drafts
from kronika.events.lexicon import TypeInfo

CONSULT = TypeInfo("CONSULT", 1, 2.5, {"phone": 1.5, "visit": None}, "040", False, ())
DOC = Document(doc_id="d", text="", pub_date=dt.date(2016, 2, 24))


@pytest.mark.parametrize(
    ("info", "mode", "expected"),
    [(CONSULT, "phone", 1.5), (CONSULT, "visit", 2.5), (CONSULT, None, 2.5), (None, "phone", None)],
)
def test_scale_by_mode_or_type(info, mode, expected):
    assert scale(info, mode) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (DateResolution("2010-05-01", "day", source="text"), "historical"),
        (DateResolution("2015-05-01", "day", source="text"), "asserted"),
        (DateResolution("2010-05-01", "day", source="publication"), "asserted"),
        (DateResolution(), "asserted"),
    ],
)
def test_an_asserted_event_dated_long_before_publication_is_historical(date, expected):
    assert record_modality("asserted", date, DOC) == expected


def test_only_an_asserted_event_becomes_historical():
    assert record_modality("future", DateResolution("2010", "year", source="text"), DOC) == "future"


def _draft(parse, text: str):
    p = parse(text)
    return p, sentence_drafts(p.ctx, p.sent)[0]


def test_confidence_is_the_models_probability_of_the_record(parse):
    text = "Putin spoke to Assad by phone on Wednesday."
    p, d = _draft(parse, text)
    doc = Document(doc_id="d", text=text, pub_date=dt.date(2016, 2, 24))
    knowledge = p.ctx.knowledge
    e = build_event(d, p.sent, 0, doc, knowledge)
    assert 0.0 < e.confidence < 1.0
    assert e.confidence == probability(knowledge.confidence, e.to_dict())
    # an event with its recipient named is more likely right than the same event without one
    alone = build_event(replace(d, recipients=[]), p.sent, 0, doc, knowledge)
    assert alone.confidence < e.confidence


def test_build_event_fills_the_record(parse):
    text = "Putin spoke to Assad by phone on Wednesday."
    p, d = _draft(parse, text)
    doc = Document(doc_id="d", text=text, pub_date=dt.date(2016, 2, 24))
    e = build_event(d, p.sent, 0, doc, p.ctx.knowledge).to_dict()
    assert e["event"] == ["CONSULT"] and e["mode"] == ["phone"] and e["event_scale"] == 1.5
    assert e["date"] == "2016-02-24" and e["modality"] == "asserted"
    assert e["event_text"] == "spoke"
