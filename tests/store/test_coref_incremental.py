"""Linking new mentions relinks only what they can reach, and gives the events a relink of the whole
store gives: whatever the number of runs, and after documents are replaced."""

from __future__ import annotations

import datetime as dt

from store_factory import Article, coref_set_hand_coded, filler, generated_corpus, make_event

from kronika.store import coref
from kronika.store.ingest import store_coded
from kronika.store.schema import connect

EVENTS = "SELECT event_id, block_key, n_mentions, n_sources, date FROM events ORDER BY 1"
LINKS = "SELECT event_id, mention_id FROM event_mentions ORDER BY 1, 2"


def _partials(n: int) -> list:
    """Documents with one side only, dated near the generated corpus's events, and undated ones."""
    out = []
    for i in range(n):
        doc_id = f"part-{i:03d}"
        day = dt.date(2016, 1, 1) + dt.timedelta(days=(i * 5) % 40)
        date = day.isoformat() if i % 3 else None
        pub = (day + dt.timedelta(days=1)).isoformat()
        ev = make_event(doc_id, "CONSULT", "Putin", None, date, trigger=0, pub_date=pub)
        out.append((Article(doc_id, f"{doc_id}. " + filler(3000 + i), pub, "Wire").document(), [ev]))
    return out


def _whole_relink(con) -> tuple[list, list]:
    con.execute("BEGIN TRANSACTION")
    coref.rekey_all(con)
    con.execute("COMMIT")
    return con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()


def test_runs_of_new_documents_link_as_one_relink_of_the_whole_store():
    pairs = generated_corpus(60) + _partials(20) + coref_set_hand_coded()[0]
    con = connect(":memory:")
    for i in range(0, len(pairs), 9):  # one run per slice: each relinks only what it touched
        store_coded(pairs[i : i + 9], con)
    incremental = con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()
    assert incremental == _whole_relink(con)
    once = connect(":memory:")
    store_coded(pairs, once)
    assert incremental == (once.execute(EVENTS).fetchall(), once.execute(LINKS).fetchall())


def test_a_replaced_document_relinks_the_events_it_was_in():
    pairs = generated_corpus(30) + _partials(10)
    con = connect(":memory:")
    store_coded(pairs, con)
    doc, events = pairs[4]
    moved = [make_event(doc.doc_id, "CONSULT", "Putin", "Assad", "2016-03-30", trigger=0)]
    revised = Article(doc.doc_id, doc.text + " Updated.", None, "Outlet").document()
    store_coded([(revised, moved)], con)
    old = {e.id for e in events}
    stored = {r[0] for r in con.execute("SELECT mention_id FROM event_mentions").fetchall()}
    assert not old & stored
    assert (con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()) == _whole_relink(con)
