"""The API against its own OpenAPI document (schemathesis, a bounded number of examples per endpoint):
no request, however odd, gets a 5xx, and every response is one the document describes."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings

from kronika.api import create_app
from kronika.store.ingest import store_coded

schemathesis = pytest.importorskip("schemathesis")

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from store_factory import generated_corpus  # noqa: E402

EXAMPLES = 40
# The store is made by the module fixture; the app only keeps its path (each request opens it).
DB = Path(tempfile.mkdtemp(prefix="kronika-schema-")) / "store.duckdb"
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app(DB))
# /api/code loads the spaCy model: it has its own tests (test_app, test_store_api).
OPERATIONS = [op.ok() for op in SCHEMA.get_all_operations() if op.ok().path != "/api/code"]
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(scope="module", autouse=True)
def filled_store():
    store_coded(generated_corpus(40), DB)
    yield DB
    for path in DB.parent.iterdir():
        path.unlink()
    DB.parent.rmdir()


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_no_server_error_and_every_response_as_documented(operation):
    @given(case=operation.as_strategy())
    @hsettings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
