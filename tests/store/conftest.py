"""Fixtures of the store tests: an in-memory event store, and a small store of hand-coded events."""

from __future__ import annotations

import duckdb
import pytest
from store_factory import FIXTURES, coref_set_hand_coded

from kronika.store.ingest import store_coded
from kronika.store.schema import connect


@pytest.fixture
def store() -> duckdb.DuckDBPyConnection:
    """An empty, migrated in-memory event store."""
    con = connect(":memory:")
    yield con
    con.close()


@pytest.fixture
def filled(store: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The labelled coreference articles, hand-coded and stored."""
    pairs, _ = coref_set_hand_coded()
    store_coded(pairs, store, commit_every=3)
    return store



@pytest.fixture
def migrated_v3() -> duckdb.DuckDBPyConnection:
    """A store written by the release before schema version 4 (``EXPORT DATABASE`` of it), opened and
    migrated: the hand-coded coreference set plus a month-dated strike near Aleppo with coordinates,
    a GeoNames id and an admin1 code in its record, a negated attack and a year-dated agreement."""
    con = duckdb.connect()
    con.execute(f"IMPORT DATABASE '{FIXTURES / 'store_v3'}'")
    connect(con)
    yield con
    con.close()
