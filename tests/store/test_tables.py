"""The store's tables come from their declarations: DDL, Arrow columns and rows agree by construction."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_factory import make_event

from kronika.schema import Column, Table
from kronika.store import coref
from kronika.store.bulk import insert_rows
from kronika.store.schema import add_columns
from kronika.store.tables import DOCUMENTS, EVENT_MENTIONS, EVENTS, MENTIONS, mention_row

TABLES = [DOCUMENTS, MENTIONS, EVENTS, EVENT_MENTIONS]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_a_new_store_has_exactly_the_declared_columns(store, table):
    described = store.execute(f"DESCRIBE {table.name}").fetchall()
    assert [r[0] for r in described] == table.names == list(table.arrow())


def test_a_mention_row_has_the_columns_of_the_table():
    row = mention_row(make_event("d", "CONSULT", "Putin", "Assad", "2016-02"), "d#1", dt.date(2016, 3, 1))
    assert list(row) == MENTIONS.names
    assert (row["date_lo"], row["date_hi"], row["date_precision"]) == (
        dt.date(2016, 2, 1),
        dt.date(2016, 2, 29),
        "month",
    )


def test_store_rows_are_the_keys_the_record_computed_once():
    ev = make_event("d", "CONSULT", "Assad", "Putin", "2016-02-24")
    keys = ev.store_keys
    row = mention_row(ev, "d#1")
    assert ev.store_keys is keys  # computed once per record
    assert row["block_key"] == keys.block_key == "CONSULT|RUS:state|SYR:state"
    assert row["actor_cs"] == keys.actor.cs and row["date_lo"] == keys.date_lo


def test_a_new_column_reaches_the_ddl_the_arrow_schema_and_the_row():
    extra = Column("salience", "float", "how central the event is", get=lambda m: 0.5)
    table = Table("mentions", [*MENTIONS.columns, extra])
    con = duckdb.connect(":memory:")
    con.execute(table.ddl())
    assert con.execute("DESCRIBE mentions").fetchall()[-1][:2] == ("salience", "DOUBLE")
    assert list(table.arrow())[-1] == "salience"
    from kronika.store.tables import MentionSource

    row = table.row(MentionSource.of(make_event("d", "CONSULT", "Putin", "Assad", None), "d#1", None))
    assert insert_rows(con, "mentions", [row], table.arrow()) == 1
    assert con.execute("SELECT salience FROM mentions").fetchone() == (0.5,)
    assert add_columns(table, "salience") == [
        "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS salience DOUBLE"
    ]


def test_coreference_reads_mentions_by_column_name(filled):
    keys = [r[0] for r in filled.execute("SELECT DISTINCT block_key FROM mentions").fetchall()]
    filled.register("_relink_blocks", coref.sql.keys_table(keys))
    try:
        rows = coref.fetch(filled)
    finally:
        filled.unregister("_relink_blocks")
    stored = dict(filled.execute("SELECT mention_id, block_key FROM mentions").fetchall())
    assert rows and all(stored[m.mention_id] == m.block_key for m in rows)
    assert {m.actor_sig for m in rows} >= {"RUS GOV"}


dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1)).map(str) | st.sampled_from(["2016-02", "2015"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actor=st.sampled_from(["Putin", "Assad", "Lavrov"]),
    recipient=st.none() | st.sampled_from(["Assad", "Erdogan"]),
    etype=st.sampled_from(["CONSULT", "ASSAULT", "AGREE"]),
    date=dates,
    pub=st.none() | st.dates(min_value=dt.date(1990, 1, 1)),
)
def test_every_mention_column_round_trips_through_the_store(store, actor, recipient, etype, date, pub):
    from kronika.document import Document
    from kronika.store.ingest import document_key, store_coded

    for table in ("mentions", "documents", "events", "event_mentions"):
        store.execute(f"DELETE FROM {table}")
    ev = make_event("h", etype, actor, recipient, date)
    doc = Document("h", ev.text, pub_date=pub)
    store_coded([(doc, [ev])], store)
    cur = store.execute("SELECT * FROM mentions")
    stored = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    assert stored == mention_row(ev, document_key(doc)[0], pub)
