"""What the page's views read: places with coordinates, the network with one node per actor."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kronika.api import create_app
from kronika.store.filters import EventFilter
from kronika.store.geo import country_centres, event_places
from kronika.store.network import network


def test_network_has_one_node_per_actor_when_a_side_is_joint(seed_store):
    g = network(seed_store)
    assert all("," not in n for n in g.nodes)
    # "Iran, Russia and Turkey ... Kazakhstan": each of the three is linked to the host
    assert {"IRN GOV", "RUS GOV", "TUR GOV"} <= {a for a, r in g.edges if r == "KAZ GOV"}


def test_places_have_coordinates_and_countries_stand_at_their_centre(seed_store):
    places = event_places(seed_store)
    by_name = {p["name"]: p for p in places}
    assert by_name["Geneva"]["approximate"] is False and round(by_name["Geneva"]["lat"]) == 46
    syria = by_name["Syria"]  # the gazetteer's point for the country
    assert syria["approximate"] is False and 34 < syria["lat"] < 37 and 36 < syria["lon"] < 40
    centres = country_centres()
    for p in places:
        if p["approximate"]:
            assert (p["lon"], p["lat"]) == centres[p["country"]]
    assert places[0]["name"] == "Syria" and sum(p["events"] for p in places) >= len(places)


def test_places_follow_the_filters(seed_store):
    putin = event_places(seed_store, actor="Putin")
    assert putin and sum(p["events"] for p in putin) < sum(p["events"] for p in event_places(seed_store))
    assert event_places(seed_store, date_from="1990", date_to="1990") == []


def test_places_take_the_shared_filters_in_python_and_over_the_api(seed_store):
    every = sum(p["events"] for p in event_places(seed_store))
    syria = event_places(seed_store, EventFilter(country="SYR"))
    assert syria and all(p["country"] == "SYR" for p in syria)
    assert sum(p["events"] for p in syria) < every
    client = TestClient(create_app(seed_store))
    got = client.get("/api/places", params={"country": "SYR"}).json()["places"]
    assert [p["name"] for p in got] == [p["name"] for p in syria]
    assert client.get("/api/places", params={"min_confidence": 1}).json()["places"] == []


def test_places_endpoint(seed_store, tmp_path):
    client = TestClient(create_app(seed_store))
    res = client.get("/api/places", params={"actor": "Putin", "unknown_filter": "kept"})
    assert res.status_code == 200 and res.json()["places"]
    assert client.get("/api/places", params={"date_from": "24/02/2016"}).status_code == 422
    assert TestClient(create_app(tmp_path / "absent.duckdb")).get("/api/places").status_code == 503
