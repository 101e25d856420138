"""code_documents over a batch: every document comes back once, in order, whatever its size or status."""

from __future__ import annotations

import datetime as dt

import pytest

from kronika.config import Settings
from kronika.document import Document
from kronika.pipeline import code_documents

CALL = "Russian President Vladimir Putin spoke by phone with Syrian President Bashar al-Assad on Wednesday."
STRIKE = "Turkish jets struck Kurdish positions near Afrin on Monday, the army said."


def test_a_text_over_the_limit_is_coded_up_to_it_with_a_warning_and_the_batch_goes_on():
    pub = dt.date(2016, 2, 24)
    long_text = CALL + "\n\n" + ("Filler words without any event in them at all. " * 40) + "\n\n" + STRIKE
    docs = [
        Document("first", STRIKE, pub_date=pub),
        Document("long", long_text, pub_date=pub),
        Document("empty", "", status="failed", reason="empty: the input is empty"),
        Document("last", CALL, pub_date=pub),
    ]
    out = list(code_documents(docs, Settings(max_chars=1000)))

    assert [d.doc_id for d, _ in out] == ["first", "long", "empty", "last"]
    status = {d.doc_id: d for d, _ in out}
    events = {d.doc_id: ev for d, ev in out}
    assert status["long"].status == "ok"
    assert any(w.startswith("too long to code whole") for w in status["long"].warnings)
    # the call at the start is coded; the strike past the limit is not
    assert [e.event for e in events["long"]] == [["CONSULT"]]
    assert all(e.trigger_end <= 1000 for e in events["long"])
    assert events["first"] and events["last"] and events["empty"] == []
    assert status["first"].warnings == [] and status["last"].warnings == []


def test_the_default_operating_point_leaves_out_events_unlikely_to_be_right(monkeypatch):
    from kronika.config import DEFAULT_MIN_CONFIDENCE, Settings
    from kronika.pipeline import code_texts

    monkeypatch.delenv("KRONIKA_MIN_CONFIDENCE")
    assert Settings().min_confidence == DEFAULT_MIN_CONFIDENCE > 0
    text = (
        "Turkey's president accused Russia of arming Kurdish militias on Monday. "
        "The talks are said to be difficult."
    )
    every = code_texts([text], pub_date="2016-02-24", settings=Settings(min_confidence=0.0))
    kept = code_texts([text], pub_date="2016-02-24")
    assert kept and all(e.confidence >= DEFAULT_MIN_CONFIDENCE for e in kept)
    assert {e.id for e in kept} <= {e.id for e in every}
    assert all(e.confidence < DEFAULT_MIN_CONFIDENCE for e in every if e.id not in {k.id for k in kept})


def test_code_texts_refuses_a_bare_string():
    import kronika

    with pytest.raises(TypeError, match=r"code_texts\(\[text\]\)"):
        kronika.code_texts("Vladimir Putin spoke to Bashar al-Assad by phone on Wednesday.")


def test_the_package_declares_its_type_hints():
    from pathlib import Path

    import kronika

    assert (Path(kronika.__file__).parent / "py.typed").is_file()
