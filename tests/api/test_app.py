"""The API without a store: the page, the OpenAPI document, parameter checks and a missing store."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kronika.cli import app as cli

ENDPOINTS = {
    "/api/events",
    "/api/events/{event_id}",
    "/api/timeline",
    "/api/actors",
    "/api/network",
    "/api/stats",
    "/api/export/{fmt}",
    "/api/code",
    "/api/places",
    "/api/world",
}


def test_page_has_the_search_form_and_loads_only_local_files(no_store):
    res = no_store.get("/")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    html = res.text
    assert '<form id="filters"' in html and 'name="actor"' in html and 'name="place"' in html
    assert 'id="timeline-chart"' in html and 'id="network-chart"' in html and 'id="map-chart"' in html
    assert '<form id="code"' in html
    assert "http://" not in html and "https://" not in html
    assert res.headers["content-security-policy"].startswith("default-src 'self'")
    for name in ("app.js", "charts.js"):
        script = no_store.get(f"/static/{name}")
        assert script.status_code == 200 and "innerHTML" not in script.text
    assert no_store.get("/static/app.css").status_code == 200
    for src in re.findall(r'<script src="([^"]+)"', html):
        assert src.startswith("/static/") and no_store.get(src).status_code == 200, src


def test_docs_are_served_from_the_package_not_a_cdn(no_store):
    res = no_store.get("/docs")
    assert res.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', res.text)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert any(u.startswith("/static/vendor/swagger-ui/") for u in urls)
    assert "cdn" not in res.text and "https://" not in res.text
    assert "<script>" not in res.text  # no inline script: the content security policy holds
    for u in urls:
        assert no_store.get(u).status_code == 200, u
    assert no_store.get("/redoc").status_code == 404


def test_world_outline_is_geojson_with_country_codes(no_store):
    world = no_store.get("/api/world").json()
    codes = {f["properties"]["iso3"] for f in world["features"]}
    assert {"SYR", "RUS", "USA", "KAZ", "CHE"} <= codes and len(world["features"]) > 150


def test_openapi_lists_every_endpoint(no_store):
    doc = no_store.get("/openapi.json").json()
    assert ENDPOINTS <= set(doc["paths"])
    assert "Problem" in doc["components"]["schemas"] and "EventRow" in doc["components"]["schemas"]


def test_missing_store_is_a_503_that_says_how_to_make_one(no_store):
    for path in ("/api/events", "/api/stats", "/api/network", "/api/export/csv", "/api/actors?q=Putin"):
        res = no_store.get(path)
        assert res.status_code == 503, path
        body = res.json()
        assert body["code"] == "store_unavailable" and "kronika ingest" in body["message"]


@pytest.mark.parametrize("value", ["2016-13", "2016-02-30", "yesterday", "24/02/2016"])
def test_unreadable_date_is_a_422_naming_the_parameter_and_the_format(no_store, value):
    res = no_store.get("/api/events", params={"date_from": value})
    assert res.status_code == 422
    body = res.json()
    assert body["code"] == "bad_request"
    assert body["message"].startswith("date_from: cannot read the date") and "YYYY-MM-DD" in body["message"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/events?limit=0", "limit"),
        ("/api/events?offset=-1", "offset"),
        ("/api/timeline", "a"),
        ("/api/actors", "q"),
        ("/api/export/xlsx", "fmt"),
        ("/api/export/csv?table=secrets", "table"),
    ],
)
def test_bad_parameters_are_422(no_store, path, field):
    res = no_store.get(path)
    assert res.status_code == 422
    assert [f["field"] for f in res.json()["fields"]] == [field]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Putin met Assad.", "pub_date": "2016-02-30"}, "pub_date"),
        ({"text": ""}, "text"),
        ({}, "text"),
    ],
)
def test_code_body_is_checked_before_coding(no_store, body, field):
    res = no_store.post("/api/code", json=body)
    assert res.status_code == 422
    assert res.json()["fields"][0]["field"] == field


def test_serve_runs_uvicorn_on_the_given_store(monkeypatch, tmp_path):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port: seen.update(app=app, host=host, port=port))
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.db == str(db)
    assert "no event store" in result.output  # warned, still serving /api/code


def test_every_export_format_and_table_can_be_downloaded():
    from typing import get_args

    from kronika.api.reads import DOWNLOADS, NETWORK_DOWNLOADS
    from kronika.api.routes import ExportFormat, TableName
    from kronika.store.export import FORMATS, TABLES

    assert set(DOWNLOADS) == set(get_args(ExportFormat)) == {*FORMATS, *NETWORK_DOWNLOADS}
    assert set(get_args(TableName)) == set(TABLES)
