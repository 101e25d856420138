"""Fixtures of the API tests: a client over a missing store (no spaCy, no ingest needed)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kronika.api import create_app


@pytest.fixture
def no_store(tmp_path) -> TestClient:
    """A client whose event store does not exist yet."""
    return TestClient(create_app(tmp_path / "absent.duckdb"))
