"""Fixtures of the workbench tests: the seed articles ingested once, every event kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.store.ingest import ingest


@pytest.fixture(scope="session")
def seed_store(seeds_dir, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("web") / "seeds.duckdb"
    report = ingest([seeds_dir], db)
    assert report.documents_new == 5
    return db
