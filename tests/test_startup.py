"""What makes a coding process start and run faster gives the same results as the slower way: the
attribute ruler's table, the lemmatizer's word sets, the actor patterns kept in the knowledge cache,
date expressions found once per sentence, and the heap kept out of the cyclic collector's way."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import numpy as np
import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

from kronika.actors.recognize import ActorMatcher, actor_patterns
from kronika.config import DATA_DIR
from kronika.dates.expressions import find_date_expressions
from kronika.dates.resolve import ABSOLUTE, _resolve_absolute, narrative_year
from kronika.heap import paused_collector
from kronika.knowledge import Knowledge, load_knowledge
from kronika.knowledge.bundle import _cached
from kronika.nlp import ENTITY_STAGE
from kronika.read import read_inputs
from kronika.ruler import TableAttributeRuler

# Forms the model's one-token tag rules do not cover: its two-token and pattern rules.
COLLOQUIAL = "We're gonna win, ain't we? Let's go, y'all. There's nothin' I gotta do. C'mon."


def _texts(seeds_dir: Path, gold_dev_path: Path) -> list[str]:
    texts = [d.text for d in read_inputs([seeds_dir]) if d.ok]
    sentences = [r["text"] for r in json.loads(gold_dev_path.read_text()) if r.get("text")]
    examples = (DATA_DIR / "examples" / "examples.jsonl").read_text().splitlines()
    return texts + [" ".join(sentences[i : i + 10]) for i in range(0, len(sentences), 10)] + [
        json.loads(line)["text"] for line in examples
    ] + [COLLOQUIAL]


def test_the_attribute_ruler_table_annotates_as_the_models_ruler(nlp, seeds_dir, gold_dev_path):
    table = nlp.get_pipe("attribute_ruler")
    assert isinstance(table, TableAttributeRuler) and table.ruler is not None
    assert table.by_value and len(table.rest) > 0  # most rules looked up, the rest matched
    before = [n for n in nlp.pipe_names if n in ("attribute_ruler", "lemmatizer", ENTITY_STAGE)]
    columns = [TAG, POS, MORPH, DEP, LEMMA, HEAD, SENT_START]
    for doc in nlp.pipe(_texts(seeds_dir, gold_dev_path), disable=before):
        theirs, ours = doc.copy(), doc.copy()
        table.ruler(theirs)
        table(ours)
        assert np.array_equal(theirs.to_array(columns), ours.to_array(columns)), doc.text[:80]
        assert [t.morph.key for t in theirs] == [t.morph.key for t in ours]


def test_the_colloquial_forms_get_the_models_lemmas(nlp):
    lemmas = {t.lower_: t.lemma_ for t in nlp(COLLOQUIAL)}
    assert lemmas["gon"] == "go" and lemmas["ai"] == "be" and lemmas["nothin'"] == "nothing"


def test_the_lemmatizer_asks_sets_not_lists(nlp):
    index = nlp.get_pipe("lemmatizer").rules.lookups.get_table("lemma_index")
    assert index and all(isinstance(words, frozenset) for words in index.values())
    assert "strike" in index["verb"]


def test_actor_patterns_give_the_matches_of_tokenised_forms(nlp, seeds_dir):
    kb = load_knowledge().kb
    from_patterns = ActorMatcher(nlp, kb, actor_patterns(nlp, kb))
    from_docs = ActorMatcher(nlp, kb)
    assert len(from_patterns.matcher) == len(from_docs.matcher) == 1
    for document in read_inputs([seeds_dir]):
        doc = nlp(document.text)
        theirs = [(m.span.start, m.span.end) for m in from_docs.kb_matches(doc)]
        assert theirs and [(m.span.start, m.span.end) for m in from_patterns.kb_matches(doc)] == theirs


def test_the_actor_patterns_are_kept_in_the_knowledge_cache(nlp, tmp_path, monkeypatch):
    monkeypatch.setenv("KRONIKA_CACHE", str(tmp_path))
    monkeypatch.delenv("KRONIKA_KNOWLEDGE_CACHE", raising=False)
    built = Knowledge([DATA_DIR])
    patterns = built.phrase_patterns("actors", "en_test-1", lambda: actor_patterns(nlp, built.kb))
    assert ("Vladimir", "Putin") in {tuple(nlp.vocab.strings[h] for h in p) for p in patterns}
    assert built.persist()
    again = _cached(Knowledge([DATA_DIR]))
    assert again.cached
    assert again.phrase_patterns("actors", "en_test-1", lambda: pytest.fail("built again")) == patterns
    assert again.phrase_patterns("actors", "en_other-2", lambda: [(1, 2)]) == [(1, 2)]  # per model


def _sentences(nlp, seeds_dir: Path):
    for document in read_inputs([seeds_dir]):
        yield from nlp(document.text).sents


def test_a_sentences_date_expressions_are_found_once_and_the_same_each_time(nlp, seeds_dir):
    import kronika.dates.expressions as expressions

    found = {}
    for sent in _sentences(nlp, seeds_dir):
        found[sent] = find_date_expressions(sent)
    assert any(found.values())
    calls = []
    real = expressions._find
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(expressions, "_find", lambda *a: calls.append(a) or real(*a))
        for sent, first in found.items():
            assert find_date_expressions(sent) == first
    assert not calls


def test_the_story_year_is_the_first_absolute_dates_year(nlp, seeds_dir, realnews_dev_dir):
    seen = 0
    rows = (realnews_dev_dir / "docs.jsonl").read_text(encoding="utf-8").splitlines()[:10]
    articles = [nlp(json.loads(line)["text"]) for line in rows]
    for sent in [*_sentences(nlp, seeds_dir), *(s for doc in articles for s in doc.sents)]:
        dates = [
            _resolve_absolute(e, load_knowledge().dates).date
            for e in find_date_expressions(sent)
            if e.kind == ABSOLUTE
        ]
        years = [int(d[:4]) for d in dates if d]
        assert narrative_year(sent) == (years[0] if years else None)
        seen += bool(years)
    assert seen >= 10


def test_the_collector_comes_back_as_it_was():
    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_collector():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_coders_heap_is_out_of_the_collectors_passes():
    from kronika.pipeline import get_coder

    get_coder()
    assert gc.get_freeze_count() > 50_000 and gc.isenabled()
