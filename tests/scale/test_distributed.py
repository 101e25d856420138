"""Coding on a Dask cluster gives what coding in one process gives, and a failure stays with its documents."""

from __future__ import annotations

import datetime as dt
import logging
import os

import pytest

from kronika.config import Settings
from kronika.document import Document
from kronika.pipeline import code_documents
from kronika.read import read_inputs
from kronika.scale import MESSAGES, ScaleError, code_documents_distributed

STRIKE = "Syrian government jets struck Kafr Takharim on Monday, killing 12 people, the Observatory said."


def _out(pairs) -> list[tuple]:
    return [(d.doc_id, d.status, d.reason, [e.to_dict() for e in events]) for d, events in pairs]


def _passthrough(docs, settings=None):
    return ((d, []) for d in docs)


# --------------------------------------------------------------------------- without a cluster


def test_one_worker_codes_in_this_process_with_the_given_coder():
    docs = [Document("a", "text"), Document("b", "", status="failed", reason="empty: the input is empty")]
    out = list(code_documents_distributed(docs, workers=1, coder=_passthrough))
    assert [(d.doc_id, events) for d, events in out] == [("a", []), ("b", [])]
    assert all(a is b for a, (b, _) in zip(docs, out, strict=True))


@pytest.mark.parametrize(
    "kwargs", [{"workers": 0}, {"workers": 2, "partition_size": 0}, {"workers": 2, "max_in_flight": 0}]
)
def test_bad_sizes_are_refused_when_called_not_when_iterated(kwargs):
    with pytest.raises(ValueError):
        code_documents_distributed([], **kwargs)


def test_without_dask_more_workers_fall_back_to_one_process_and_say_so(monkeypatch, caplog):
    monkeypatch.setattr("kronika.scale.dask_available", lambda: False)
    with caplog.at_level(logging.WARNING, logger="kronika.scale"):
        out = list(code_documents_distributed([Document("a", "text")], workers=2, coder=_passthrough))
    assert [d.doc_id for d, _ in out] == ["a"]
    assert "coding in one process" in caplog.text and "kronika[scale]" in caplog.text
    with pytest.raises(ScaleError, match="not installed") as info:
        code_documents_distributed([], scheduler="tcp://127.0.0.1:8786", coder=_passthrough)
    assert info.value.code == "no-dask" and MESSAGES["no-dask"] in str(info.value)


# --------------------------------------------------------------------------- on a cluster


def _raising_coder(bad_id: str | None):
    """A coder that raises for any batch holding ``bad_id`` (every batch of several documents for None).

    Defined in a function so that it travels to the workers by value.
    """

    def coder(docs, settings=None):
        docs = list(docs)
        if (bad_id is None and len(docs) > 1) or any(d.doc_id == bad_id for d in docs):
            raise RuntimeError("this partition cannot be coded")
        return code_documents(docs, settings)

    return coder


def _dying_coder(bad_id: str):
    """A coder whose worker process dies on ``bad_id``, as one killed for running out of memory would."""

    def coder(docs, settings=None):
        docs = list(docs)
        if any(d.doc_id == bad_id for d in docs):
            os._exit(1)
        return code_documents(docs, settings)

    return coder


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> list[Document]:
    return list(read_inputs([seeds_dir]))


def _fresh(docs: list[Document]) -> list[Document]:
    return [Document(d.doc_id, d.text, pub_date=d.pub_date, status=d.status, reason=d.reason) for d in docs]


@pytest.mark.slow
def test_seeds_on_two_workers_give_the_records_of_code_documents_in_order(seeds, scheduler):
    expected = _out(code_documents(_fresh(seeds)))
    docs = _fresh(seeds)
    pairs = list(code_documents_distributed(docs, scheduler=scheduler, partition_size=2, max_in_flight=2))
    assert _out(pairs) == expected
    assert sum(len(records) for *_, records in expected) > 0
    assert all(a is b for a, (b, _) in zip(docs, pairs, strict=True))  # the input objects themselves


@pytest.mark.slow
def test_every_input_gets_one_status_beside_unreadable_and_overlong_documents(seeds_dir, tmp_path, scheduler):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    read = list(read_inputs([seeds_dir, tmp_path / "empty.txt"]))
    settings = Settings(max_chars=20_000)  # above every seed, below the long document
    long = Document("long", (STRIKE + "\n\n") * 400)
    docs = [*read[:2], long, *read[2:]]
    expected = {d: r for d, *r in _out(code_documents(_fresh(read), settings))}

    got = _out(code_documents_distributed(docs, settings, scheduler=scheduler, partition_size=4))

    assert [d for d, *_ in got] == [d.doc_id for d in docs]
    status = {d: (s, reason) for d, s, reason, _ in got}
    assert status["empty"][0] == "failed" and status["empty"][1].startswith("empty")
    assert status["long"] == ("ok", None)
    assert any(w.startswith("too long to code whole") for w in long.warnings)  # travels back
    long_events = next(records for d, *_, records in got if d == "long")
    assert long_events and all(r["text_info"]["end"] <= 20_000 for r in long_events)
    for doc_id, *result in got:
        if doc_id != "long":
            assert result == expected[doc_id], doc_id  # the documents sharing its partition are coded


@pytest.mark.slow
def test_a_partition_that_raises_is_retried_document_by_document(seeds, scheduler):
    expected = _out(code_documents(_fresh(seeds)))
    bad = seeds[1].doc_id
    got = _out(code_documents_distributed(_fresh(seeds), scheduler=scheduler, coder=_raising_coder(bad)))
    assert [g for g in got if g[0] != bad] == [e for e in expected if e[0] != bad]
    (failed,) = [g for g in got if g[0] == bad]
    assert failed[1:] == ("failed", "coding error: RuntimeError: this partition cannot be coded", [])


@pytest.mark.slow
def test_a_partition_that_fails_once_is_coded_on_the_retry(seeds, scheduler):
    expected = _out(code_documents(_fresh(seeds)))
    got = _out(code_documents_distributed(_fresh(seeds), scheduler=scheduler, coder=_raising_coder(None)))
    assert got == expected


@pytest.mark.slow
def test_a_worker_that_dies_fails_only_its_document(seeds, scheduler):
    expected = _out(code_documents(_fresh(seeds)))
    bad = seeds[3].doc_id
    got = _out(code_documents_distributed(_fresh(seeds), scheduler=scheduler, coder=_dying_coder(bad)))
    assert [g for g in got if g[0] != bad] == [e for e in expected if e[0] != bad]
    (failed,) = [g for g in got if g[0] == bad]
    assert failed[1] == "failed" and failed[2].startswith("coding error: KilledWorker")


@pytest.mark.slow
def test_settings_reach_the_workers(tmp_path, scheduler):
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "mine.yaml").write_text(
        "- {name: Kafr Takharim, country: SYR, kind: town, lat: 36.12, lon: 36.52}\n", encoding="utf-8"
    )
    settings = Settings(data_dirs=[tmp_path])
    day = dt.date(2016, 2, 22)
    got = _out(
        code_documents_distributed([Document("strike", STRIKE, pub_date=day)], settings, scheduler=scheduler)
    )
    assert got == _out(code_documents([Document("strike", STRIKE, pub_date=day)], settings))
    assert [r["place"]["name"] for r in got[0][3]] == ["Kafr Takharim"]


def test_an_unreachable_scheduler_is_a_scale_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("kronika.scale.CONNECT_TIMEOUT", "1s")
    with pytest.raises(ScaleError, match="cannot reach the Dask scheduler") as info:
        next(code_documents_distributed([Document("a", "text")], scheduler="tcp://127.0.0.1:9"))
    assert info.value.code == "scheduler"
