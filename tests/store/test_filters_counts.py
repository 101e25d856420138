"""The one filter set, counts by period and dyad, actor search by names, and frames for notebooks."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from kronika.cli import app
from kronika.store.counts import counts
from kronika.store.filters import EventFilter
from kronika.store.network import network
from kronika.store.query import UnknownActor, events, is_name, resolve_actor, timeline
from kronika.store.schema import StoreError


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("Vladimir Putin", True),
        ("Putin", True),
        ("the Kremlin", True),
        ("He", False),
        ("It", False),
        ("Putin's ability", False),
        ("the country", False),
        ("they", False),
    ],
)
def test_only_names_are_searchable_aliases(alias, expected):
    assert is_name(alias) is expected


def test_a_partial_or_misspelt_name_finds_the_actor(filled):
    assert resolve_actor(filled, "vlad").names == ["Vladimir Putin"]
    assert resolve_actor(filled, "Puttin").names == ["Vladimir Putin"]


def test_a_pronoun_finds_nobody(filled):
    filled.execute("UPDATE actors SET aliases = list_append(aliases, 'He') WHERE name = 'Vladimir Putin'")
    with pytest.raises(UnknownActor):
        resolve_actor(filled, "he")


def test_events_are_newest_first_and_can_be_a_frame(filled):
    rows = events(filled)
    ends = [r["date_end"] for r in rows if r["date_end"]]
    assert ends == sorted(ends, reverse=True)
    frame = events(filled, as_frame=True)
    assert isinstance(frame, pd.DataFrame) and len(frame) == len(rows)
    assert pd.api.types.is_datetime64_any_dtype(frame["date_start"])
    assert str(frame["n_sources"].dtype) == "Int64"


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (EventFilter(modality="negated"), lambda r: r["modality"] == "negated"),
        (EventFilter(min_confidence=0.5), lambda r: r["confidence"] >= 0.5),
        (EventFilter(country="SYR"), lambda r: r["place_country"] == "SYR"),
        (EventFilter(type="ASSAULT", date_from="2016-03"), lambda r: r["date_end"] >= dt.date(2016, 3, 1)),
    ],
)
def test_each_filter_keeps_only_what_it_says(migrated_v3, filters, check):
    rows = events(migrated_v3, filters=filters)
    assert rows and all(check(r) for r in rows)


def test_an_unknown_modality_is_refused(filled):
    with pytest.raises(StoreError, match="hypothetical"):
        events(filled, filters=EventFilter(modality="maybe"))


def test_timeline_takes_the_filter_set(migrated_v3):
    rows = timeline(migrated_v3, "Putin", filters=EventFilter(type="AGREE"))
    assert rows and {r["event"] for r in rows} == {"AGREE"}
    frame = timeline(migrated_v3, "Putin", "Assad", as_frame=True)
    assert list(frame["date_start"]) == sorted(frame["date_start"])


def test_counts_by_month_and_dyad_are_the_dyad_month_table(migrated_v3):
    rows = counts(migrated_v3, by="month", dyad=True, all_events=True)
    assert [r["period"] for r in rows] == sorted((r["period"] for r in rows), reverse=True)
    assert all(r["period"].day == 1 for r in rows)
    march = {(r["actor"], r["recipient"]): r["events"] for r in rows if r["period"] == dt.date(2016, 3, 1)}
    assert march[("RUS MIL", "SYR REB")] == 1 and march[("TUR GOV", "SYR REB")] == 1
    asserted = counts(migrated_v3, by="month", dyad=True)
    assert sum(r["events"] for r in asserted) == sum(r["events"] for r in rows) - 1
    # a year-dated event has no month: it counts by year only
    assert all(r["period"].year != 1940 for r in rows)
    assert any(r["period"] == dt.date(1940, 1, 1) for r in counts(migrated_v3, by="year", all_events=True))


def test_counts_by_week_type_and_quad(migrated_v3):
    rows = counts(migrated_v3, by="week", type=True, quad=True, all_events=True)
    assert rows and all(r["period"].weekday() == 0 for r in rows)
    assert {"event_type", "quad_code", "events", "mentions", "mean_scale"} <= set(rows[0])
    with pytest.raises(StoreError, match="month"):
        counts(migrated_v3, by="fortnight")


def test_network_has_one_node_per_actor(migrated_v3):
    g = network(migrated_v3, all_events=True)
    assert all("," not in n for n in g.nodes)
    assert g.has_edge("RUS GOV", "SYR GOV")  # the joint "Putin and Assad agreed"
    assert not network(migrated_v3).has_edge("TUR GOV", "SYR REB")  # negated: not by default


@pytest.fixture
def v3_file(migrated_v3, tmp_path):
    path = tmp_path / "v4.duckdb"
    migrated_v3.execute(f"ATTACH '{path}' AS f")
    migrated_v3.execute("COPY FROM DATABASE memory TO f")
    migrated_v3.execute("DETACH f")
    return str(path)


def test_cli_counts_and_filters(v3_file):
    runner = CliRunner()
    res = runner.invoke(app, ["counts", "--by", "month", "--dyad", "--all", "--json", "--db", v3_file])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert {"period", "actor", "recipient", "events"} <= set(rows[0])
    res = runner.invoke(app, ["events", "--actor", "vlad", "--json", "--db", v3_file])
    assert res.exit_code == 0, res.output
    assert all("Vladimir Putin" in r["actor_names"] + r["recipient_names"] for r in json.loads(res.output))
    res = runner.invoke(app, ["events", "--modality", "negated", "--json", "--db", v3_file])
    assert [r["modality"] for r in json.loads(res.output)] == ["negated"]
    res = runner.invoke(app, ["events", "--actor", "he", "--db", v3_file])
    assert res.exit_code == 1 and "no actor called 'he'" in res.output


def test_a_joint_report_and_a_directed_one_of_a_call_are_one_pair(store):
    from store_factory import Article, filler, make_event

    from kronika.store.ingest import store_coded

    joint = make_event("j1", "CONSULT", ["Putin", "Assad"], None, "2016-02-24", pub_date="2016-02-25")
    directed = make_event("j2", "CONSULT", "Assad", "Putin", "2016-02-24", pub_date="2016-02-25")
    store_coded(
        [
            (Article("j1", "j1. " + filler(31), "2016-02-25").document(), [joint]),
            (Article("j2", "j2. " + filler(32), "2016-02-25").document(), [directed]),
        ],
        store,
    )
    assert store.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    pairs = store.execute("SELECT actor, recipient FROM dyads").fetchall()
    assert len(pairs) == 1 and set(pairs[0]) == {"RUS GOV", "SYR GOV"}
