"""Linking new mentions relinks only what they can reach, and gives the events a relink of the whole
store gives: whatever the number of runs, and after documents are replaced."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from store_factory import Article, coref_set_hand_coded, filler, generated_corpus, make_event

from kronika.store import coref
from kronika.store.coref import component
from kronika.store.coref.sql import fetch_ids
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


@pytest.fixture(params=["near", "whole"])
def scope_read(request, monkeypatch):
    """Components found by reading near their seeds' dates (however small the blocks), or whole blocks."""
    monkeypatch.setattr(component, "NEAR_ROWS", 0 if request.param == "near" else 10**9)
    return request.param


def test_runs_of_new_documents_link_as_one_relink_of_the_whole_store(scope_read):
    pairs = generated_corpus(60) + _partials(20) + coref_set_hand_coded()[0]
    con = connect(":memory:")
    for i in range(0, len(pairs), 9):  # one run per slice: each relinks only what it touched
        store_coded(pairs[i : i + 9], con)
    incremental = con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()
    assert incremental == _whole_relink(con)
    once = connect(":memory:")
    store_coded(pairs, once)
    assert incremental == (once.execute(EVENTS).fetchall(), once.execute(LINKS).fetchall())


def test_a_replaced_document_relinks_the_events_it_was_in(scope_read):
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


def _article(doc_id: str, events: list, pub: str = "2016-01-20") -> tuple:
    return Article(doc_id, f"{doc_id}. " + filler(len(doc_id) * 7 + 11), pub, "Wire").document(), events


def _partial_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "partial blocks" in r.getMessage()]


def test_partial_mentions_are_looked_at_again_only_near_events_that_changed(caplog, scope_read):
    # Putin called Assad on 10 January and Erdogan on the 9th; a report that Putin held talks on the
    # 9th fits both, so it joins neither and is an event of its own
    pairs = [
        _article("call-a", [make_event("call-a", "CONSULT", "Putin", "Assad", "2016-01-10")]),
        _article("call-b", [make_event("call-b", "CONSULT", "Putin", "Erdogan", "2016-01-09")]),
        _article("part-a", [make_event("part-a", "CONSULT", "Putin", None, "2016-01-09")]),
    ]
    con = connect(":memory:")
    store_coded(pairs, con)
    attached = (
        "SELECT count(*) FROM event_mentions em JOIN events e USING (event_id) "
        "WHERE em.block_key <> e.block_key"
    )
    assert con.execute(attached).fetchall() == [(0,)]
    caplog.set_level(logging.DEBUG, logger="kronika.store.coref.sql")
    # another Putin-Assad call two days later reaches the first one, which is written again as it was:
    # the report near it is not looked at again
    later = make_event("call-c", "CONSULT", "Putin", "Assad", "2016-01-12")
    store_coded([_article("call-c", [later], "2016-01-22")], con)
    assert all(" 0 mentions attached, 0 more" in m for m in _partial_messages(caplog))
    assert (con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()) == _whole_relink(con)
    # a report of the Putin-Assad call dated the 9th changes its event's documents: it is looked at
    caplog.clear()
    store_coded([_article("call-d", [make_event("call-d", "CONSULT", "Putin", "Assad", "2016-01-09")])], con)
    assert any(" 1 more in 1 events" in m for m in _partial_messages(caplog))
    assert con.execute(attached).fetchall() == [(0,)]
    assert (con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()) == _whole_relink(con)


def test_mentions_are_read_by_id_when_their_row_positions_do_not_give_them():
    con = connect(":memory:")
    store_coded(generated_corpus(12), con)
    ids = sorted(r[0] for r in con.execute("SELECT mention_id FROM mentions").fetchall())[:7]
    by_id = fetch_ids(con, ids)
    assert [m.mention_id for m in by_id] == ids
    assert fetch_ids(con, ids, {i: 10_000 + n for n, i in enumerate(ids)}) == by_id
    assert fetch_ids(con, ids, {i: 0 for i in ids}) == by_id
    rows = dict(con.execute("SELECT mention_id, rowid FROM mentions").fetchall())
    assert fetch_ids(con, ids, rows) == by_id


def _grown(con, seed: str, monkeypatch, whole: bool):
    """The component of one stored mention, read near its dates or from its whole block."""
    block = con.execute("SELECT block_key FROM mentions WHERE mention_id = ?", [seed]).fetchall()[0][0]
    with monkeypatch.context() as m:
        m.setattr(component, "NEAR_ROWS", 0)
        if whole:
            m.setattr(component, "NEAR_LIMIT", 0)
        found = component.grow(con, [block], [seed])
    return found.whole, (found.ids, found.links, found.rows)


def _year_of_calls(undated: bool = False) -> list:
    """Putin-Assad calls every ten days of 2016, and an article reporting one in January and one in
    July (and, if ``undated``, a call it gives no date); a month-dated report of March."""
    pairs = [
        _article(f"call-{i:02d}", [make_event(f"call-{i:02d}", "CONSULT", "Putin", "Assad", day.isoformat())])
        for i, day in enumerate(dt.date(2016, 1, 5) + dt.timedelta(days=10 * n) for n in range(36))
    ]
    both = [
        make_event("both", "CONSULT", "Putin", "Assad", "2016-01-06", trigger=0),
        make_event("both", "CONSULT", "Putin", "Assad", "2016-07-22", trigger=40),
    ]
    if undated:
        both.append(make_event("both", "CONSULT", "Putin", "Assad", None, trigger=80))
    month = [make_event("month", "CONSULT", "Putin", "Assad", "2016-03", trigger=0)]
    return [*pairs, _article("both", both), _article("month", month)]


def test_a_reach_leaving_the_dates_read_gives_the_component_of_the_whole_block(monkeypatch):
    con = connect(":memory:")
    store_coded(_year_of_calls(), con)
    ids = dict(con.execute("SELECT doc_id || ':' || date, mention_id FROM mentions").fetchall())
    # a call far from the other report of its article: read near its dates
    whole, alone = _grown(con, ids["call-30:2016-10-31"], monkeypatch, whole=False)
    assert not whole and alone == _grown(con, ids["call-30:2016-10-31"], monkeypatch, whole=True)[1]
    assert len(alone[0]) == 1
    # the call of 5 January reaches the article that also reports 22 July; both its reports are dated,
    # so each is clustered by its date alone and the July one is not reached
    whole, near = _grown(con, ids["call-00:2016-01-05"], monkeypatch, whole=False)
    assert not whole and near == _grown(con, ids["call-00:2016-01-05"], monkeypatch, whole=True)[1]
    assert ids["both:2016-01-06"] in near[0] and ids["both:2016-07-22"] not in near[0]
    # a call of March reaches the month-dated report, whose month leaves the dates read: they are
    # widened to it, and every call of March is reached
    whole, march = _grown(con, ids["call-07:2016-03-15"], monkeypatch, whole=False)
    assert not whole and march == _grown(con, ids["call-07:2016-03-15"], monkeypatch, whole=True)[1]
    assert {ids["month:2016-03"], ids["call-06:2016-03-05"], ids["call-08:2016-03-25"]} <= set(march[0])
    assert (con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()) == _whole_relink(con)


def test_an_article_with_an_undated_report_ties_its_reports_in_the_block(monkeypatch):
    con = connect(":memory:")
    store_coded(_year_of_calls(undated=True), con)
    keys = "SELECT doc_id || ':' || coalesce(date, '-'), mention_id FROM mentions"
    ids = dict(con.execute(keys).fetchall())
    # its undated report may join any of the article's events: the call of 5 January reaches the
    # article, whose report of 22 July is outside the dates read, so the whole block is read, and the
    # call of 23 July is reached through it
    whole, far = _grown(con, ids["call-00:2016-01-05"], monkeypatch, whole=False)
    assert whole and far == _grown(con, ids["call-00:2016-01-05"], monkeypatch, whole=True)[1]
    assert {ids["both:-"], ids["both:2016-07-22"], ids["call-20:2016-07-23"]} <= set(far[0])
    assert (con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()) == _whole_relink(con)


def test_a_seed_the_window_standing_for_its_dates_misses_is_looked_up(monkeypatch):
    con = connect(":memory:")
    store_coded(_year_of_calls(), con)
    seed = con.execute("SELECT mention_id FROM mentions WHERE doc_id = 'call-30'").fetchall()[0][0]
    block = con.execute("SELECT block_key FROM mentions WHERE mention_id = ?", [seed]).fetchall()[0][0]
    ranges = component.SeedRanges(con)
    ranges.stand_in[seed] = (block, dt.date(2016, 1, 1), dt.date(2016, 1, 2))  # months from its date
    monkeypatch.setattr(component, "NEAR_ROWS", 0)
    found = component.grow(con, [block], [seed], ranges=ranges)
    assert not found.whole
    assert (found.ids, found.links, found.rows) == _grown(con, seed, monkeypatch, whole=False)[1]


def test_an_event_clustered_again_with_the_same_members_keeps_its_row_and_attachment(scope_read):
    call = make_event("call", "CONSULT", "Putin", "Assad", "2016-02-10")
    partial = make_event("partial", "CONSULT", "Putin", None, "2016-02-10")
    con = connect(":memory:")
    store_coded([_article("call", [call]), _article("partial", [partial])], con)
    before = con.execute("SELECT rowid, * FROM events WHERE n_mentions = 2").fetchall()
    assert len(before) == 1
    # a call two days later is another event, but its component reaches the first call
    later = make_event("later", "CONSULT", "Putin", "Assad", "2016-02-12")
    store_coded([_article("later", [later])], con)
    assert con.execute("SELECT rowid, * FROM events WHERE n_mentions = 2").fetchall() == before
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == 2
    assert (con.execute(EVENTS).fetchall(), con.execute(LINKS).fetchall()) == _whole_relink(con)
