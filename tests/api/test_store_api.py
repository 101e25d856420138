"""The API over a real store: the five seed articles read, coded and stored once for the module."""

from __future__ import annotations

import io
import json

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from kronika.api import create_app
from kronika.config import Settings
from kronika.store.ingest import ingest
from kronika.store.network import network
from kronika.store.query import events

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_db(seeds_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "seeds.duckdb"
    report = ingest([seeds_dir], db)
    assert report.documents_new == 5
    return db


@pytest.fixture(scope="module")
def client(seed_db) -> TestClient:
    return TestClient(create_app(seed_db))


def _page(client, **params):
    res = client.get("/api/events", params=params)
    assert res.status_code == 200, res.text
    return res.json()


def test_putin_assad_timeline_has_the_2016_call_once_with_both_sources(client):
    res = client.get("/api/timeline", params={"a": "Putin", "b": "Assad"})
    assert res.status_code == 200, res.text
    rows = res.json()["events"]
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    calls = [r for r in rows if r["date"] == "2016-02-24" and r["event"] == "CONSULT"]
    assert len(calls) == 1, rows
    call = calls[0]
    assert call["n_sources"] == 2
    assert sorted(s[:3] for s in call["sources"]) == ["000", "001"]
    assert {a["doc_id"] for a in call["articles"]} == set(call["sources"])
    assert all(a["title"] for a in call["articles"])


def test_events_are_those_of_the_library_with_the_same_filters(client, seed_db):
    params = {"actor": "Putin", "type": "consult", "date_from": "2016"}
    page = _page(client, **params)
    expected = events(seed_db, actor="Putin", type="consult", date_from="2016")
    assert page["total"] == len(expected) > 0
    assert [e["event_id"] for e in page["events"]] == [e["event_id"] for e in expected]


def test_type_and_date_filters_narrow_the_result(client):
    everything = _page(client, limit=1000)
    consult = _page(client, type="CONSULT", limit=1000)
    assert 0 < consult["total"] < everything["total"] == len(everything["events"])
    assert all("CONSULT" in e["event"].split("+") for e in consult["events"])
    feb = _page(client, date_from="2016-02-01", date_to="2016-02-29", limit=1000)
    assert 0 < feb["total"] < everything["total"]
    assert all(e["date"] and e["date"][:7] == "2016-02" for e in feb["events"])
    assert "2016-02-24" in {e["date"] for e in feb["events"]}


def test_limit_and_offset_page_through_the_same_order(client):
    first_ten = _page(client, limit=10)["events"]
    pages = _page(client, limit=4, offset=0)["events"] + _page(client, limit=4, offset=4)["events"]
    pages += _page(client, limit=2, offset=8)["events"]
    assert [e["event_id"] for e in pages] == [e["event_id"] for e in first_ten]
    total = _page(client, limit=1)["total"]
    last = _page(client, limit=10, offset=total - 1)
    assert len(last["events"]) == 1 and last["total"] == total
    assert _page(client, offset=total)["events"] == []


def test_place_filter_matches_the_event_place_or_its_sentences(client):
    page = _page(client, place="Sochi", limit=1000)
    assert page["total"] > 0
    for e in page["events"]:
        detail = client.get(f"/api/events/{e['event_id']}").json()
        assert "sochi" in (e["place"] or "").lower() or any(
            "sochi" in m["text"].lower() for m in detail["mentions"]
        )


def test_event_mentions_carry_evidence_offsets_into_their_sentence(client):
    rows = client.get("/api/timeline", params={"a": "Putin", "b": "Assad"}).json()["events"]
    call = next(r for r in rows if r["date"] == "2016-02-24" and r["event"] == "CONSULT")
    res = client.get(f"/api/events/{call['event_id']}")
    assert res.status_code == 200, res.text
    detail = res.json()
    assert detail["event"]["event_id"] == call["event_id"]
    mentions = detail["mentions"]
    assert len(mentions) == call["n_mentions"]
    assert {m["doc_id"] for m in mentions} == set(call["sources"])
    for m in mentions:
        trigger = m["trigger"]
        assert m["text"][trigger["start"] : trigger["end"]] == m["event_text"]
        assert m["title"] and m["event"] == "CONSULT"
        for ent in m["actor"] + m["recipient"]:
            ev = ent["evidence"]
            if ev["start"] is not None:
                assert m["text"][ev["start"] : ev["end"]] == ent["entity_text"]


def test_every_event_has_its_mentions_with_the_trigger_in_the_sentence(client):
    for e in _page(client, limit=1000)["events"]:
        detail = client.get(f"/api/events/{e['event_id']}").json()
        assert len(detail["mentions"]) == e["n_mentions"]
        for m in detail["mentions"]:
            assert m["text"][m["trigger"]["start"] : m["trigger"]["end"]] == m["event_text"]


def test_unknown_event_is_a_404(client):
    res = client.get("/api/events/KE-0000000000000000")
    assert res.status_code == 404 and res.json()["code"] == "unknown_event"


@pytest.mark.parametrize(
    "path",
    [
        "/api/events?actor=Napoleon",
        "/api/events?recipient=Napoleon",
        "/api/timeline?a=Putin&b=Napoleon",
        "/api/actors?q=Napoleon",
    ],
)
def test_unknown_actor_is_a_404_that_says_what_to_give(client, path):
    res = client.get(path)
    assert res.status_code == 404
    body = res.json()
    assert body["code"] == "unknown_actor" and "Napoleon" in body["message"] and "RUS" in body["message"]


def test_bad_date_is_a_422_on_a_real_store(client):
    res = client.get("/api/timeline", params={"a": "Putin", "date_to": "2016-02-30"})
    assert res.status_code == 422 and res.json()["fields"][0]["field"] == "date_to"


@pytest.mark.parametrize(
    ("query", "name"), [("Putin", "Vladimir Putin"), ("Bashar al-Assad", "Bashar al-Assad")]
)
def test_actor_query_resolves_to_the_stored_actor(client, query, name):
    res = client.get("/api/actors", params={"q": query})
    assert res.status_code == 200, res.text
    info = res.json()
    assert info["names"] == [name]
    assert any(a["name"] == name and a["mentions"] > 0 for a in info["actors"])
    assert info["events_as_actor"] + info["events_as_recipient"] > 0


def test_actor_code_resolves_to_every_actor_of_the_country(client):
    info = client.get("/api/actors", params={"q": "SYR"}).json()
    assert info["codes"] == ["SYR"] and {a["code"] for a in info["actors"]} == {"SYR"}
    assert "Bashar al-Assad" in {a["name"] for a in info["actors"]}


def test_network_is_the_library_graph_as_nodes_and_edges(client, seed_db):
    res = client.get("/api/network")
    assert res.status_code == 200, res.text
    data = res.json()
    g = network(seed_db)
    assert len(data["nodes"]) == g.number_of_nodes() > 0
    assert len(data["edges"]) == g.number_of_edges() > 0
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["weight"] >= 1 for e in data["edges"])
    narrowed = client.get("/api/network", params={"type": "CONSULT"}).json()
    assert 0 < len(narrowed["edges"]) < len(data["edges"])
    assert all("CONSULT" in e["types"] for e in narrowed["edges"])


def test_stats_count_the_seed_store(client):
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 5 and stats["documents_by_status"] == {"ok": 5}
    assert stats["events"] == _page(client, limit=1)["total"]
    assert stats["events_by_type"]["CONSULT"] >= 1


@pytest.mark.parametrize(
    ("fmt", "media_type", "suffix"),
    [
        ("plover-jsonl", "application/x-ndjson", ".jsonl"),
        ("polecat-tsv", "text/tab-separated-values", ".tsv"),
        ("gdelt-csv", "text/csv", ".csv"),
        ("csv", "text/csv", ".csv"),
        ("parquet", "application/vnd.apache.parquet", ".parquet"),
        ("graphml", "application/graphml+xml", ".graphml"),
    ],
)
def test_export_is_a_download_of_the_right_type(client, fmt, media_type, suffix):
    res = client.get(f"/api/export/{fmt}")
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].split(";")[0] == media_type
    disposition = res.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.rstrip('"').endswith(suffix)
    assert len(res.content) > 0


def test_plover_export_has_one_record_per_event(client):
    total = _page(client, limit=1)["total"]
    lines = client.get("/api/export/plover-jsonl", params={"all": True}).text.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == total and all(r["id"].startswith("KE-") for r in records)


def test_default_export_keeps_asserted_events_at_the_operating_point(client):
    kept = _page(client, limit=1, modality="asserted", min_confidence=Settings().min_confidence)["total"]
    lines = client.get("/api/export/plover-jsonl").text.splitlines()
    assert len(lines) == kept and all(json.loads(x)["modality"] == "asserted" for x in lines)


def test_counts_by_month_and_dyad(client):
    res = client.get("/api/counts", params={"by": "month", "dyad": True, "all": True})
    assert res.status_code == 200, res.text
    rows = res.json()
    assert rows and all({"period", "actor", "recipient", "events"} <= set(r) for r in rows)
    assert [r["period"] for r in rows] == sorted((r["period"] for r in rows), reverse=True)


def test_parquet_export_of_a_table(client):
    res = client.get("/api/export/parquet", params={"table": "mentions"})
    assert res.status_code == 200 and res.content[:4] == b"PAR1"
    assert "kronika-mentions.parquet" in res.headers["content-disposition"]
    assert pq.read_table(io.BytesIO(res.content)).num_rows == client.get("/api/stats").json()["mentions"]


def test_code_a_phone_call_without_touching_the_store(client):
    before = client.get("/api/stats").json()
    text = (
        "Russian President Vladimir Putin spoke by phone with Syrian President Bashar al-Assad on Wednesday."
    )
    res = client.post("/api/code", json={"text": text, "pub_date": "2016-02-26"})
    assert res.status_code == 200, res.text
    records = res.json()["records"]
    calls = [
        r
        for r in records
        if r["event"] == ["CONSULT"]
        and {a["code"] for a in r["actor"]} == {"RUS"}
        and {x["code"] for x in r["recipient"]} == {"SYR"}
    ]
    assert len(calls) == 1, records
    call = calls[0]
    assert call["date"] == "2016-02-24"  # the Wednesday before the publication day
    assert text[call["text_info"]["trigger_start"] : call["text_info"]["trigger_end"]] == call["event_text"]
    assert client.get("/api/stats").json() == before


def test_events_take_the_filter_set(client):
    page = _page(client, modality="asserted", min_confidence=0.3)
    assert page["events"] and all(
        e["modality"] == "asserted" and e["confidence"] >= 0.3 for e in page["events"]
    )
    res = client.get("/api/events", params={"modality": "maybe"})
    assert res.status_code == 422
