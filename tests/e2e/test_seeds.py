"""End to end on the five seed articles: read, clean, code; the leaders' calls come out right."""

from __future__ import annotations

import pytest

from kronika.pipeline import code_documents
from kronika.read import read_inputs


@pytest.fixture(scope="module")
def coded(seeds_dir):
    return {doc.doc_id[:3]: (doc, events) for doc, events in code_documents(read_inputs([seeds_dir]))}


def _calls(events, a, b):
    out = []
    for e in events:
        codes = {x["code"] for x in e["actor"]} | {x["code"] for x in e["recipient"]}
        if e["event"][0] == "CONSULT" and {a, b} <= codes:
            out.append(e)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "a", "b", "date"),
    [
        ("000", "RUS", "SYR", "2016-02-24"),
        ("002", "RUS", "SYR", "2013-11-14"),
        ("004", "RUS", "USA", "2017-11-21"),
    ],
)
def test_leaders_phone_call_is_coded_with_date_countries_and_sectors(coded, seed, a, b, date):
    _, events = coded[seed]
    calls = _calls([e.to_dict() for e in events], a, b)
    assert calls, f"no {a}-{b} CONSULT in seed {seed}"
    assert any(c["date"] == date for c in calls), [(c["date"], c["text"][:60]) for c in calls]
    call = next(c for c in calls if c["date"] == date)
    sides = call["actor"] + call["recipient"]
    assert all(x["sector"] == "GOV" for x in sides if x["code"] in (a, b))


@pytest.mark.slow
def test_no_event_evidence_in_removed_text(coded):
    for doc, events in coded.values():
        for e in events:
            assert doc.text[e.trigger_start : e.trigger_end] == e.event_text
            for ent in e.actor + e.recipient:
                if ent.start is None:  # implied by the event, not named: no evidence of its own
                    assert ent.rule.startswith("implied:") and ent.entity_text == ""
                    continue
                assert doc.text[ent.start : ent.end] == ent.entity_text


@pytest.mark.slow
def test_undated_seed_gets_no_absolute_dates(coded):
    doc, events = coded["003"]
    assert doc.pub_date is None
    assert all(e.date is None or e.date_source == "text" for e in events)
