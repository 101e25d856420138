"""Ingest: idempotent, transactional and resumable storage of coded documents."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_factory import Article, coref_set_hand_coded, filler, generated_corpus, make_event

from kronika.document import Document
from kronika.records import Entity, Event
from kronika.store.ingest import document_key, ingest, store_coded
from kronika.store.schema import connect

HERE = Path(__file__).parent
SNAPSHOT = {
    "documents": "SELECT doc_key, status, near_duplicate_of, n_mentions FROM documents ORDER BY 1",
    "mentions": "SELECT mention_id, doc_key, block_key, date FROM mentions ORDER BY 1",
    "events": "SELECT event_id, n_mentions, n_sources, date, sources FROM events ORDER BY 1",
    "links": "SELECT event_id, mention_id FROM event_mentions ORDER BY 1, 2",
    "actors": "SELECT actor_key, aliases, n_mentions FROM actors ORDER BY 1",
}


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {name: con.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}


def test_storing_the_same_documents_twice_changes_nothing(store):
    pairs, _ = coref_set_hand_coded()
    first = store_coded(pairs, store, commit_every=4)
    before = snapshot(store)
    second = store_coded(pairs, store, commit_every=4)
    assert first.documents_new == len(pairs) and first.changed
    assert second.documents_unchanged == len(pairs) and not second.changed
    assert second.mentions_added == 0 and second.batches == 0
    assert snapshot(store) == before


def test_document_key_ignores_layout_but_not_content():
    a = Document("x", "Putin  spoke\nwith Assad.")
    b = Document("x", "Putin spoke with Assad.")
    c = Document("x", "Putin spoke with Erdogan.")
    assert document_key(a) == document_key(b)
    assert document_key(a)[0] != document_key(c)[0]


def test_a_new_document_updates_the_events_it_reports(filled):
    doc = Article(
        "a11_late_report", "A late report of the call. " + filler(77), "2016-02-26", "Late"
    ).document()
    ev = make_event(doc.doc_id, "CONSULT", "Putin", "Assad", "2016-02-24", pub_date="2016-02-26")
    report = store_coded([(doc, [ev])], filled)
    assert report.blocks_relinked == 1
    n_mentions, n_sources, last = filled.execute(
        "SELECT e.n_mentions, e.n_sources, e.last_report "
        "FROM events e JOIN event_mentions em USING (event_id) WHERE em.mention_id = ?",
        [ev.id],
    ).fetchone()
    assert (n_mentions, n_sources, str(last)) == (5, 3, "2016-02-26")


def test_a_revised_document_replaces_its_old_version(store):
    old = Article("rev", "Putin met Assad. " + filler(5), "2016-02-24").document()
    store_coded([(old, [make_event("rev", "CONSULT", "Putin", "Assad", "2016-02-24")])], store)
    new = Article("rev", "Putin met Erdogan. " + filler(5), "2016-02-24").document()
    report = store_coded(
        [(new, [make_event("rev", "CONSULT", "Putin", "Erdogan", "2016-02-24", trigger=3)])], store
    )
    assert report.documents_updated == 1
    assert store.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert store.execute("SELECT recipient_label FROM events").fetchall() == [("TUR GOV",)]


def test_documents_are_looked_up_in_chunks_with_the_same_result(monkeypatch, tmp_path):
    """A run reads the stored keys of the documents it sees, a few at a time: unchanged documents,
    revisions and repeats that fall in different chunks are told apart as a run of one chunk does."""
    ingest_module = sys.modules["kronika.store.ingest"]
    corpus = generated_corpus(12)
    revised = [
        (Article(d.doc_id, d.text + " A later paragraph was added.", "2016-02-24").document(), events)
        for d, events in corpus[3:5]
    ]
    second = [*corpus[:6], *revised, corpus[0], *corpus[6:]]
    reports = []
    stores = []
    for chunk in (2, 1000):
        monkeypatch.setattr(ingest_module, "LOOKUP_DOCS", chunk)
        con = connect(str(tmp_path / f"chunk{chunk}.duckdb"))
        store_coded(corpus, con, commit_every=4)
        reports.append(store_coded(second, con, commit_every=4))
        stores.append(snapshot(con))
    looked, whole = reports
    assert (looked.documents_unchanged, looked.documents_updated) == (13, 2)
    assert looked.to_dict() | {"seconds": 0} == whole.to_dict() | {"seconds": 0}
    assert stores[0] == stores[1]


def test_skipped_and_failed_documents_are_recorded_once(store):
    skipped = Document("fr", "Le président a parlé.", status="skipped", reason="not English")
    failed = Document("bad", "", status="failed", reason="unreadable PDF")
    for _ in range(2):
        store_coded([(skipped, []), (failed, [])], store)
    rows = store.execute("SELECT doc_id, status, reason FROM documents ORDER BY doc_id").fetchall()
    assert rows == [("bad", "failed", "unreadable PDF"), ("fr", "skipped", "not English")]


def test_a_failure_between_batches_loses_and_duplicates_nothing(store, tmp_path):
    corpus = generated_corpus(25)

    class Boom(RuntimeError):
        pass

    def explode_in_third_batch():
        for i, pair in enumerate(corpus):
            if i == 12:
                raise Boom("killed")
            yield pair

    with pytest.raises(Boom):
        store_coded(explode_in_third_batch(), store, commit_every=5)
    assert store.execute("SELECT count(*) FROM documents").fetchone()[0] == 10  # two whole batches
    resumed = store_coded(corpus, store, commit_every=5)
    assert resumed.documents_unchanged == 10 and resumed.documents_new == 15
    reference = connect(":memory:")
    store_coded(corpus, reference, commit_every=100)
    assert snapshot(store) == snapshot(reference)


def _child_env() -> dict[str, str]:
    """The environment of a child ingest: it imports the same Kronika as the tests, and the factory."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}


def test_killed_ingest_process_resumes_to_the_same_store(tmp_path):
    db, marker = tmp_path / "k.duckdb", tmp_path / "marker"
    script = [sys.executable, str(HERE / "slow_ingest.py"), str(db), str(marker), "30", "5", "0.2"]
    proc = subprocess.Popen(script, env=_child_env())
    try:
        deadline = time.time() + 60
        while not marker.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert marker.exists(), "the ingest process committed no batch"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    con = connect(db)
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 5 <= stored < 30 and stored % 5 == 0  # whole batches only
    resumed = store_coded(generated_corpus(30), con, commit_every=5)
    assert resumed.documents_unchanged == stored
    reference = connect(":memory:")
    store_coded(generated_corpus(30), reference)
    assert snapshot(con) == snapshot(reference)
    con.close()


@pytest.mark.slow
def test_an_ingest_killed_several_times_at_random_points_ends_as_a_clean_run(tmp_path):
    """The store file is opened and closed per batch: a kill while opening, committing or closing it
    loses at most the batch in flight."""
    import random

    rng = random.Random(14)
    db, marker = tmp_path / "k.duckdb", tmp_path / "marker"
    script = [sys.executable, str(HERE / "slow_ingest.py"), str(db), str(marker), "40", "4", "0.05"]
    for _ in range(4):
        proc = subprocess.Popen(script, env=_child_env())
        try:
            time.sleep(rng.uniform(1.0, 4.0))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
    con = connect(db)
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert stored % 4 == 0  # whole batches only
    store_coded(generated_corpus(40), con, commit_every=4)
    reference = connect(":memory:")
    store_coded(generated_corpus(40), reference)
    assert snapshot(con) == snapshot(reference)
    con.close()


def test_ingest_reads_codes_and_stores_through_the_given_stages(tmp_path):
    corpus = {d.doc_id: (d, evs) for d, evs in generated_corpus(6)}
    coded_ids: list[str] = []

    def reader(inputs, settings=None, pub_date=None):
        return (corpus[i][0] for i in inputs)

    def coder(docs, settings=None):
        for d in docs:
            coded_ids.append(d.doc_id)
            yield d, corpus[d.doc_id][1]

    db = tmp_path / "s.duckdb"
    first = ingest(list(corpus), db, reader=reader, coder=coder, commit_every=4)
    again = ingest(list(corpus), db, reader=reader, coder=coder)
    assert first.documents_new == 6 and first.batches == 2
    assert again.documents_unchanged == 6
    assert len(coded_ids) == 6  # unchanged documents are not coded again


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20)
codes = st.sampled_from(["RUS", "SYR", "USA", "IRN", None])
sectors = st.sampled_from(["GOV", "MIL", "REB", None])
entities = st.builds(
    Entity,
    code=codes,
    sector=sectors,
    entity_text=names,
    name=st.none() | names,
    start=st.integers(0, 500),
    end=st.integers(0, 500),
    rule=st.text(max_size=5),
)
dates = (
    st.none()
    | st.dates(min_value=__import__("datetime").date(1990, 1, 1)).map(str)
    | st.sampled_from(["2016-02", "2015"])
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actor=st.lists(entities, min_size=1, max_size=3),
    recipient=st.lists(entities, max_size=2),
    etype=st.sampled_from(["CONSULT", "ASSAULT", "AGREE", "ACCUSE"]),
    date=dates,
    text=names,
    scale=st.none() | st.floats(-10, 10, allow_nan=False),
    confidence=st.floats(0, 1),
)
def test_mention_records_round_trip_through_the_store(
    store, actor, recipient, etype, date, text, scale, confidence
):
    ev = Event(
        doc_id="h",
        event=[etype],
        actor=actor,
        recipient=recipient,
        cameo="040",
        quad_code=1,
        event_scale=scale,
        text=text,
        sentence_index=0,
        sentence_start=0,
        sentence_end=len(text),
        trigger_start=0,
        trigger_end=1,
        event_text=text[:3],
        date=date,
        confidence=confidence,
    )
    store.execute(
        "DELETE FROM mentions; DELETE FROM documents; DELETE FROM events; DELETE FROM event_mentions"
    )
    store_coded([(Document("h", text), [ev])], store)
    stored = store.execute("SELECT record, actor_code, recipient_codes FROM mentions").fetchall()
    assert len(stored) == 1
    record, actor_code, recipient_codes = stored[0]
    assert json.loads(record) == json.loads(json.dumps(ev.to_dict()))
    assert actor_code == actor[0].code
    assert recipient_codes == sorted({e.code for e in recipient if e.code})
    assert (
        store.execute("SELECT count(*) FROM event_mentions WHERE mention_id = ?", [ev.id]).fetchone()[0] == 1
    )


def test_blocks_left_queued_by_a_stopped_run_are_relinked_by_the_next(store):
    from kronika.store import coref

    store_coded(coref_set_hand_coded()[0], store)
    before = snapshot(store)
    keys = [r[0] for r in store.execute("SELECT DISTINCT block_key FROM mentions").fetchall()]
    store.execute("DELETE FROM events; DELETE FROM event_mentions")
    coref.enqueue(store, keys)  # as a run killed between its last commit and its relink leaves it
    report = store_coded([], store)
    assert report.blocks_relinked == len(keys) and coref.pending(store) == 0
    assert snapshot(store) == before


def test_mentions_left_queued_by_a_stopped_run_are_linked_as_a_whole_relink_links_them(store):
    from kronika.store import coref

    store_coded(coref_set_hand_coded()[0], store)
    before = snapshot(store)
    mentions = store.execute("SELECT mention_id, block_key FROM mentions").fetchall()
    store.execute("DELETE FROM events; DELETE FROM event_mentions")
    coref.enqueue_mentions(store, mentions)  # what the batches of a run killed before its relink queue
    assert coref.pending(store) == len({b for _, b in mentions})
    report = store_coded([], store)
    assert report.blocks_relinked == len({b for _, b in mentions}) and coref.pending(store) == 0
    assert store.execute("SELECT count(*) FROM relink_mentions").fetchone()[0] == 0
    assert snapshot(store) == before


def test_a_batch_queues_its_mentions_not_their_blocks(store):
    from kronika.store import coref
    from kronika.store.ingest import IngestReport, _Pending, store_batch

    pairs = coref_set_hand_coded()[0][:3]
    batch = [_Pending(d, list(e), *document_key(d)) for d, e in pairs]
    store_batch(store, batch, IngestReport())
    queued = {r[0] for r in store.execute("SELECT mention_id FROM relink_mentions").fetchall()}
    assert queued == {ev.id for _, events in pairs for ev in events}
    assert store.execute("SELECT count(*) FROM relink_queue").fetchone()[0] == 0
    coref.relink_pending(store)
    linked = store.execute("SELECT count(DISTINCT mention_id) FROM event_mentions").fetchone()[0]
    assert linked == len(queued)


def test_ingest_reports_progress_through_the_callback(store):
    pairs, _ = coref_set_hand_coded()
    first: list[tuple[int, int | None, str]] = []
    store_coded(pairs, store, commit_every=4, on_progress=lambda *a: first.append(a))
    batches = [min(n, len(pairs)) for n in range(4, len(pairs) + 4, 4)]
    assert [d for d, _, _ in first] == [*batches, len(pairs)]
    assert first[-1][2].startswith("linking the events of") and all(t is None for _, t, _ in first)
    again: list[tuple[int, int | None, str]] = []
    store_coded(pairs[:1], store, on_progress=lambda *a: again.append(a))
    assert again == [
        (1, None, f"unchanged {pairs[0][0].doc_id}"),
        (1, None, "linking the events of 0 blocks"),
    ]
