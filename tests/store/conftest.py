"""Fixtures of the store tests: an in-memory event store, and a small store of hand-coded events."""

from __future__ import annotations

import duckdb
import pytest
from store_factory import coref_set_hand_coded

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
