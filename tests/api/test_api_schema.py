"""The API against its own OpenAPI document (schemathesis, a bounded number of examples per endpoint):
no request, however odd, gets a 5xx, and every response is one the document describes."""

from __future__ import annotations

import json
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
# POST /api/code codes each body with the language model: fewer examples, and small bodies (a text
# over 20,000 characters is coded in a process of its own, which the tests of the API cover).
CODE_EXAMPLES = 30
CODE_BODY_CHARS = 2_000
# The store is made by the module fixture; the app only keeps its path (each request opens it).
DB = Path(tempfile.mkdtemp(prefix="kronika-schema-")) / "store.duckdb"
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app(DB))
OPERATIONS = [op.ok() for op in SCHEMA.get_all_operations() if op.ok().path != "/api/code"]
(CODE,) = [op.ok() for op in SCHEMA.get_all_operations() if op.ok().path == "/api/code"]
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


def _small(case) -> bool:
    return len(json.dumps(case.body, default=str)) <= CODE_BODY_CHARS


def test_coding_a_text_gives_no_server_error_and_every_response_as_documented():
    from kronika.pipeline import code_texts

    # the language model and the gazetteer load once, here, not within a request's time limit
    assert code_texts(["Vladimir Putin met Bashar al-Assad in Moscow on Monday."], pub_date="2016-02-22")

    @given(case=CODE.as_strategy().filter(_small))
    @hsettings(max_examples=CODE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CHECKS, timeout=60)

    check()
