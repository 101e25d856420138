"""Plots of timelines, networks and places: periods, formats, and readability from 10 to 500 events."""

from __future__ import annotations

import datetime as dt
import random

import networkx as nx
import pytest

from kronika.store.plot import period_unit, periods, plot_network, plot_places, plot_timeline
from kronika.store.schema import StoreError

TYPES = ["CONSULT", "ACCUSE", "AGREE", "ASSAULT", "REQUEST", "THREATEN", "SUPPORT", "COERCE"]


def _rows(n: int, days: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    out = []
    for i in range(n):
        t = TYPES[rng.randrange(len(TYPES))]
        out.append(
            {
                "event_id": f"KE-{i}",
                "date": (start + dt.timedelta(days=rng.randrange(days))).isoformat(),
                "event": t,
                "quad_code": 1 + TYPES.index(t) % 4,
                "event_scale": rng.uniform(-10, 10),
                "actor": "RUS GOV",
                "recipient": "SYR GOV",
                "n_sources": 1,
                "sources": [f"doc{i}"],
            }
        )
    return out


@pytest.mark.parametrize(("days", "unit"), [(60, "week"), (900, "month"), (5000, "year")])
def test_period_follows_the_time_span(days, unit):
    rows = _rows(50, days)
    assert period_unit(dt.date.fromisoformat(r["date"]) for r in rows) == unit
    data = periods(rows)
    assert data.unit == unit and data.total == 50


def test_periods_count_every_dated_event_once_and_by_quad_class():
    rows = _rows(500, 1500) + [{"event_id": "x", "date": None, "event": "CONSULT"}]
    data = periods(rows, by="quad")
    assert data.total == 500 and data.by == "quad"
    assert all(k[0] in "1234" for k in data.keys)
    assert all(-10 <= s <= 10 for s in data.scores.values())


@pytest.mark.parametrize("n", [10, 500])
@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_timeline_plot_is_written_with_title_axes_and_legend(tmp_path, n, suffix):
    out = plot_timeline(_rows(n, 800), tmp_path / f"t{suffix}", title="Russia – Syria")
    assert out.stat().st_size > 1000
    if suffix == ".svg":
        svg = out.read_text()
        assert f"Russia – Syria: {n} dated events, per month" in svg
        assert "PLOVER type" in svg and "events" in svg and "mean score" in svg
    if suffix == ".html":
        page = out.read_text()
        assert "<script src=" not in page and "<link" not in page and "vegaEmbed" in page  # all inlined
        assert "doc3" in page and f"{n} dated events" in page


def test_timeline_plot_of_the_seed_dyad_lists_both_sources(seed_store, tmp_path):
    from kronika.store.query import timeline

    rows = timeline(seed_store, "Putin", "Assad")
    page = plot_timeline(rows, tmp_path / "t.html", title="Putin – Assad").read_text()
    assert "2016-02-24" in page and "000_" in page and "001_" in page


def test_unknown_plot_format_is_an_error():
    with pytest.raises(StoreError, match=r"\.png, \.svg or \.html"):
        plot_timeline(_rows(3, 10), "t.pdf")


def _big_network(n: int) -> nx.DiGraph:
    rng = random.Random(2)
    g = nx.DiGraph()
    for i in range(n):
        g.add_node(f"A{i:03d} GOV", events=0, names="")
    for _ in range(3 * n):
        a, b = rng.sample(list(g.nodes), 2)
        g.add_edge(a, b, weight=rng.randint(1, 9), mean_scale=rng.uniform(-10, 10), types="CONSULT:1")
        g.nodes[a]["events"] += 1
        g.nodes[b]["events"] += 1
    return g


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html"])
def test_big_network_keeps_its_most_active_actors(tmp_path, suffix):
    out = plot_network(_big_network(120), tmp_path / f"n{suffix}")
    text = out.read_text(errors="ignore") if suffix != ".png" else ""
    assert out.stat().st_size > 1000
    if suffix == ".svg":
        assert "40 most active of 120 actors" in text and "mean PLOVER score" in text


def test_map_plot_draws_places(seed_store, tmp_path):
    from kronika.store.geo import event_places

    places = event_places(seed_store)
    assert places and places[0]["name"] == "Syria"
    svg = plot_places(places, tmp_path / "m.svg").read_text()
    assert "Syria" in svg and "longitude" in svg
    # places without coordinates of their own stand at their country's centre, marked in the legend
    assert ("country centre" in svg) == any(p["approximate"] for p in places)
    page = plot_places(places, tmp_path / "m.html").read_text()
    assert "geoshape" in page and "Geneva" in page
