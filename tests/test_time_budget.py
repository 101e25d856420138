"""The coder's time budget: a document that runs too long ends as failed with its reason, and the
batch goes on; long and adversarial texts are coded in time linear in their length."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from typer.testing import CliRunner

from kronika.cli import app
from kronika.config import DATA_DIR, Settings
from kronika.document import Document
from kronika.nlp import (
    MAX_SENTENCE_TOKENS,
    RUN_CHUNK,
    TOKENIZE_CHUNK,
    cap_sentences,
    load_nlp,
    make_doc,
    parse_in_batches,
)
from kronika.pipeline import TimeBudget, code_documents

CALL = "Russian President Vladimir Putin spoke by phone with Syrian President Bashar al-Assad on Wednesday."
PUB = dt.date(2016, 2, 24)


def _articles(n_chars: int) -> str:
    """The packaged example articles one after the other, as paragraphs, up to ``n_chars``."""
    rows = [json.loads(line) for line in (DATA_DIR / "examples" / "examples.jsonl").read_text().splitlines()]
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < n_chars:
        parts.append(rows[len(parts) % len(rows)]["text"])
    return "\n\n".join(parts)[:n_chars]


def test_a_document_over_its_time_budget_fails_with_the_reason_and_the_batch_goes_on():
    docs = [
        Document("first", CALL, pub_date=PUB),
        Document("long", _articles(120_000), pub_date=PUB),
        Document("last", CALL, pub_date=PUB),
    ]
    t0 = time.monotonic()
    list(code_documents([Document("warm", CALL)]))  # the model loaded before the clock starts
    out = list(code_documents(docs, Settings(time_budget=0.3)))
    seconds = time.monotonic() - t0

    assert [d.doc_id for d, _ in out] == ["first", "long", "last"]
    (_, first), (long, long_events), (_, last) = out
    assert long.status == "failed" and long_events == []
    # stopped between the pieces of the long text, not after parsing and coding it whole
    assert long.reason == "time budget of 0.3 s (CPU) exceeded while parsing"
    assert [e.event for e in first] == [["CONSULT"]] and [e.event for e in last] == [["CONSULT"]]
    assert seconds < 30, seconds


def test_the_budget_counts_the_coder_s_cpu_time_not_time_spent_waiting():
    """A busy machine (or a pause) does not make a document fail: only the work done counts."""
    budget = TimeBudget(0.2)
    doc = Document("waiting", CALL)
    budget.start(doc)
    time.sleep(0.4)
    assert not budget.over(doc)
    t0 = time.thread_time()
    while time.thread_time() - t0 < 0.3:
        pass
    assert budget.over(doc)
    budget.stop(doc)
    assert not budget.over(doc)


def test_the_time_budget_is_a_setting_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("KRONIKA_TIME_BUDGET", "12.5")
    assert Settings().time_budget == 12.5
    assert Settings(time_budget=0).time_budget == 0


def test_no_budget_lets_a_long_document_be_coded_whole():
    text = _articles(30_000)
    ((doc, events),) = list(code_documents([Document("long", text, pub_date=PUB)], Settings(time_budget=0)))
    assert doc.status == "ok" and doc.reason is None
    assert len(events) > 10


def test_kronika_code_reports_a_document_over_budget_and_codes_the_others(tmp_path, monkeypatch):
    batch = tmp_path / "batch.jsonl"
    rows = [
        {"id": "call", "text": CALL, "date": "2016-02-24"},
        {"id": "long", "text": _articles(120_000), "date": "2016-02-24"},
        {"id": "again", "text": CALL, "date": "2016-02-24"},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    monkeypatch.setenv("KRONIKA_TIME_BUDGET", "0.3")
    runner = CliRunner()
    result = runner.invoke(app, ["code", str(batch), "--errors", str(tmp_path / "errors.jsonl")])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert sorted({e["doc_id"] for e in events}) == ["again", "call"]
    (error,) = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text().splitlines()]
    assert error["doc_id"] == "long" and error["status"] == "failed"
    assert error["reason"] == "time budget of 0.3 s (CPU) exceeded while parsing"
    strict = runner.invoke(app, ["code", str(batch), "--strict"])
    assert strict.exit_code == 1


def _seconds_per_char(text: str) -> float:
    """CPU seconds per character: what the coder does, not how busy the machine is."""
    t0 = time.process_time()
    ((doc, _),) = list(code_documents([Document("t", text, pub_date=PUB)], Settings(time_budget=0)))
    assert doc.status == "ok"
    return (time.process_time() - t0) / len(text)


@pytest.mark.slow
def test_a_long_text_on_one_line_is_coded_in_time_linear_in_its_length():
    """A text without line breaks (an article flattened into one line) used to take time quadratic
    in its length: an unknown person's words were cut out of the whole document's text."""
    line = " ".join(_articles(200_000).split())
    list(code_documents([Document("warm", CALL)]))
    short = min(_seconds_per_char(line[:25_000]) for _ in range(2))
    long = _seconds_per_char(line)
    assert long / short < 3, (short, long)


def test_a_long_text_is_tokenised_in_parts_into_the_same_tokens():
    nlp = load_nlp()
    text = _articles(3 * TOKENIZE_CHUNK)
    doc = make_doc(nlp, text)
    assert doc.text == text
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]


def test_a_million_emoji_are_tokenised_only_as_far_as_the_token_limit():
    nlp = load_nlp()
    text = "\U0001f600" * 1_000_000  # one token each
    doc = make_doc(nlp, text, max_tokens=20_000)
    assert 20_000 < len(doc) <= 20_000 + RUN_CHUNK
    assert text.startswith(doc.text)
    ((coded, events),) = list(code_documents([Document("emoji", text)], Settings(max_tokens=20_000)))
    assert coded.status == "ok" and events == []
    cut, long = coded.warnings
    assert cut == "too long to code whole: coded the first 20000 tokens (20000 of 1000000 characters)"
    assert long.startswith(f"sentences over {MAX_SENTENCE_TOKENS} tokens without a full stop: cut ")


NESTED = "The talks (" * 3333 + ")" * 3333  # 40,000 characters, one sentence to the parser


def test_no_sentence_is_parsed_longer_than_the_cap():
    nlp = load_nlp()
    ((doc, _),) = list(parse_in_batches(nlp, [(NESTED, None)], 6000, 32))
    lengths = [len(s) for s in doc.sents]
    assert max(lengths) <= MAX_SENTENCE_TOKENS and sum(lengths) == len(doc)


def test_nested_parentheses_are_coded_in_bounded_time_with_a_warning():
    t0 = time.perf_counter()
    ((doc, _),) = list(code_documents([Document("nested", NESTED + "\n\n" + CALL, pub_date=PUB)]))
    assert time.perf_counter() - t0 < 30
    assert doc.status == "ok"
    (warning,) = doc.warnings
    assert warning.startswith(f"sentences over {MAX_SENTENCE_TOKENS} tokens without a full stop: cut ")


def test_a_normal_article_is_not_cut_into_shorter_sentences():
    ((doc, _),) = list(code_documents([Document("normal", _articles(20_000), pub_date=PUB)]))
    assert doc.status == "ok" and doc.warnings == []


def test_a_long_paragraph_is_capped_only_at_its_full_stops():
    """A paragraph of many sentences on one line is capped after a full stop, where a sentence ends
    anyway: nothing is cut mid-sentence, so no warning."""
    nlp = load_nlp()
    line = " ".join(_articles(20_000).split())
    doc = nlp.make_doc(line)
    assert cap_sentences(doc) == 0
    starts = [t for t in doc if t.is_sent_start and t.i > 0]
    assert starts and all(doc[t.i - 1].text in ".!?;" for t in starts)


def test_the_api_says_why_a_text_over_its_budget_has_no_records(tmp_path):
    from fastapi.testclient import TestClient

    from kronika.api import create_app

    client = TestClient(create_app(tmp_path / "none.duckdb", settings=Settings(time_budget=0.3)))
    client.post("/api/code", json={"text": CALL})  # the model loaded before the clock starts
    res = client.post("/api/code", json={"text": _articles(19_000), "pub_date": "2016-02-24"})
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["status"] == "failed" and body["records"] == []
    assert body["reason"].startswith("time budget of 0.3 s (CPU) exceeded")
    ok = client.post("/api/code", json={"text": CALL, "pub_date": "2016-02-24"}).json()
    assert ok["status"] == "ok" and ok["reason"] is None and ok["records"]
