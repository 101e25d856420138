"""The API stays up and answers as documented: out-of-range numbers and dates are 422, every error is
a problem document without paths or process ids, every response has the security headers, bodies are
capped, the store is read beside a writer, and a long text to code does not hold up a short one."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from kronika.api import coding, create_app
from kronika.store import access
from kronika.store.ingest import store_coded

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from store_factory import generated_corpus  # noqa: E402

HEADERS = ("content-security-policy", "x-content-type-options")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hard") / "store.duckdb"
    store_coded(generated_corpus(30), path)
    return path


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return TestClient(create_app(db))


def _is_problem(r) -> bool:
    body = r.json()
    return set(body) == {"code", "message", "fields"} and all(h in r.headers for h in HEADERS)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/events?offset={2**63}",
        "/api/events?offset=-1",
        "/api/events?limit=100000",
        "/api/events?date_from=9999999999",
        "/api/events?date_to=99999-01-01",
        "/api/network?date_from=0000",
        f"/api/stats?top={2**70}",
    ],
)
def test_out_of_range_numbers_and_dates_are_422(client, url):
    r = client.get(url)
    assert r.status_code == 422 and _is_problem(r)


@pytest.mark.parametrize("pub_date", [0, 1700000000, "2016", "24/02/2016", [2016]])
def test_code_pub_date_must_be_an_iso_day(client, pub_date):
    r = client.post("/api/code", json={"text": "The talks went on.", "pub_date": pub_date})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "pub_date"


@pytest.mark.parametrize(
    "method, url, status, code",
    [("get", "/api/nothing", 404, "not_found"), ("delete", "/api/events", 405, "method_not_allowed")],
)
def test_unknown_routes_and_methods_are_problem_documents(client, method, url, status, code):
    r = getattr(client, method)(url)
    assert r.status_code == status and _is_problem(r) and r.json()["code"] == code


def test_every_response_has_the_security_headers(client):
    for url in ("/", "/api/stats", "/openapi.json", "/api/events?offset=-1"):
        r = client.get(url)
        assert all(h in r.headers for h in HEADERS), url


def test_a_body_over_the_limit_is_413_without_being_read_whole(client):
    big = b'{"text": "' + b"x" * 2_100_000 + b'"}'
    r = client.post("/api/code", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and _is_problem(r)

    def chunks():  # no declared length: counted as it arrives
        for _ in range(30):
            yield b"x" * 100_000

    r = client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and _is_problem(r)


def test_place_is_a_name_not_a_pattern(client):
    assert client.get("/api/events", params={"place": "%"}).json()["total"] == 0
    assert client.get("/api/events", params={"place": "_"}).json()["total"] == 0


def test_a_store_with_a_malformed_version_is_a_clear_503(tmp_path):
    path = tmp_path / "odd.duckdb"
    store_coded([], path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE meta SET value = 'one point two' WHERE key = 'schema_version'")
    r = TestClient(create_app(path)).get("/api/stats")
    assert r.status_code == 503 and "not a number" in r.json()["message"]
    assert str(tmp_path) not in r.text


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen:
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
        "time.sleep(float(sys.argv[2])); c.close()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_request_waits_for_a_short_write_and_answers(client, db):
    proc = _hold_write_lock(db, 1.0)
    t0 = time.perf_counter()
    r = client.get("/api/stats")
    proc.wait()
    assert r.status_code == 200 and 0.5 < time.perf_counter() - t0 < access.READ_WAIT


def test_a_long_write_gives_503_busy_without_paths_or_pids(client, db, monkeypatch):
    monkeypatch.setattr(access, "READ_WAIT", 0.3)
    proc = _hold_write_lock(db, 2.0)
    try:
        r = client.get("/api/stats")
    finally:
        proc.wait()
    assert r.status_code == 503 and _is_problem(r) and r.json()["code"] == "store_busy"
    assert r.headers["retry-after"]
    assert "PID" not in r.text and str(db.parent) not in r.text and sys.executable not in r.text


def test_an_ingest_started_while_a_reader_holds_the_store_waits_and_succeeds(db):
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print('held', flush=True); time.sleep(1.0); c.close()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    report = store_coded(generated_corpus(3, seed=5), db)
    proc.wait()
    assert report.batches >= 1


def test_a_short_text_does_not_wait_behind_a_long_one(client, monkeypatch):
    def fake_code(text, pub_date, settings):
        time.sleep(2.0 if len(text) > coding.SHORT_TEXT else 0.0)
        return {"records": [], "status": "ok", "reason": None}

    monkeypatch.setattr(coding, "_code", fake_code)
    monkeypatch.setattr(coding._LANES["long"], "in_process", True)
    long = threading.Thread(target=client.post, args=("/api/code",), kwargs={"json": {"text": "y" * 30_000}})
    long.start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    r = client.post("/api/code", json={"text": "The talks went on."})
    assert r.status_code == 200 and time.perf_counter() - t0 < 1.0
    long.join()


def test_a_full_lane_answers_503_at_once(client, monkeypatch):
    release = threading.Event()

    def fake_code(text, pub_date, settings):
        release.wait(10)
        return {"records": [], "status": "ok", "reason": None}

    monkeypatch.setattr(coding, "_code", fake_code)
    threads = [
        threading.Thread(target=client.post, args=("/api/code",), kwargs={"json": {"text": "a b"}})
        for _ in range(coding.MAX_WAITING)
    ]
    for t in threads:
        t.start()
    time.sleep(0.5)
    r = client.post("/api/code", json={"text": "a b"})
    release.set()
    for t in threads:
        t.join()
    assert r.status_code == 503 and r.json()["code"] == "coder_busy" and r.headers["retry-after"]
