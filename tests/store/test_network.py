"""Actor networks: weights, filters, files."""

from __future__ import annotations

import networkx as nx
import pytest

from kronika.store.network import network, write_network
from kronika.store.plot import plot_timeline
from kronika.store.query import timeline


def test_network_edges_count_events_and_average_scale(filled):
    g = network(filled)
    edge = g.edges["RUS MIL", "SYR REB"]
    assert edge["weight"] == 1 and edge["mentions"] == 2 and edge["mean_scale"] == -10.0
    sides = filled.execute(
        "SELECT actor_label, recipient_label FROM events WHERE actor_label <> '' AND recipient_label <> ''"
    ).fetchall()
    pairs = sum(len(a.split(",")) * len(r.split(",")) for a, r in sides)
    assert sum(d["weight"] for _, _, d in g.edges(data=True)) == pairs


def test_network_filters_by_type_and_dates(filled):
    g = network(filled, date_from="2015-10-01", date_to="2015-10-31", type="ACCUSE")
    assert sorted(g.edges) == [("RUS GOV", "USA GOV"), ("USA GOV", "RUS GOV")]


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".png", ".svg", ".html"])
def test_network_files_are_written(filled, tmp_path, suffix):
    out = write_network(network(filled), tmp_path / f"net{suffix}")
    assert out.stat().st_size > 0
    if suffix == ".graphml":
        back = nx.read_graphml(out)
        assert back.number_of_edges() == network(filled).number_of_edges()


@pytest.mark.parametrize("suffix", [".png", ".html"])
def test_timeline_plots(filled, tmp_path, suffix):
    out = plot_timeline(timeline(filled, "Putin", "Assad"), tmp_path / f"t{suffix}", title="Putin – Assad")
    assert out.stat().st_size > 0
    if suffix == ".html":
        page = out.read_text()
        assert "2016-02-24" in page and "a02_levant_daily" in page and "vegaEmbed" in page
