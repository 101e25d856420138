"""Queries: actor resolution, event filters, timelines, stats."""

from __future__ import annotations

import pytest

from kronika.store.query import UnknownActor, events, resolve_actor, stats, timeline


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("RUS", "codes", ["RUS"]),
        ("RUS GOV", "cs", ["RUS GOV"]),
        ("Putin", "names", ["Vladimir Putin"]),
        ("vladimir putin", "names", ["Vladimir Putin"]),
        ("Kremlin", "cs", ["RUS GOV"]),
        ("rus", "codes", ["RUS"]),
    ],
)
def test_resolve_actor_by_name_alias_or_code(filled, query, field, value):
    assert getattr(resolve_actor(filled, query), field) == value


def test_resolve_actor_by_part_of_a_name(filled):
    assert resolve_actor(filled, "Rouhani").names == ["Hassan Rouhani"]
    assert resolve_actor(filled, "Tayyip").names == ["Recep Tayyip Erdogan"]


def test_unknown_actor_says_what_to_give(filled):
    with pytest.raises(UnknownActor, match="code such as RUS"):
        resolve_actor(filled, "Napoleon")


def test_events_filter_by_actor_type_and_dates(filled):
    rows = events(filled, actor="Putin", type="consult", date_from="2016-02", date_to="2016-02-28")
    assert rows and all(r["event"] == "CONSULT" for r in rows)
    assert all("2016-02" <= r["date"] <= "2016-02-28" for r in rows)
    assert all("Vladimir Putin" in r["actor_names"] for r in rows)


def test_events_filter_by_recipient_code_and_place(filled):
    rows = events(filled, recipient="SYR", place="Idlib")
    assert [(r["event"], r["actor"], r["recipient"]) for r in rows] == [("ASSAULT", "RUS MIL", "SYR REB")]
    assert rows[0]["n_sources"] == 2


def test_timeline_of_a_dyad_lists_both_directions_in_date_order(filled):
    rows = timeline(filled, "Putin", "Assad")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert dates == ["2016-02-24", "2016-03-01"]
    call = rows[0]
    assert call["n_sources"] == 2 and set(call["sources"]) >= {"a01_moscow_herald", "a02_levant_daily"}
    assert {a["doc_id"] for a in call["articles"]} == set(call["sources"])


def test_timeline_of_one_actor_includes_both_roles(filled):
    rows = timeline(filled, "Obama")
    assert {(r["event"], r["actor"]) for r in rows} == {("CONSULT", "USA GOV"), ("REQUEST", "USA GOV")}


def test_unnamed_actor_resolves_to_its_code_and_sector(filled):
    rows = timeline(filled, "Kremlin", "United States")
    accusations = [(r["actor"], r["recipient"]) for r in rows if r["event"] == "ACCUSE"]
    assert sorted(accusations) == [("RUS GOV", "USA GOV"), ("USA GOV", "RUS GOV")]
    assert all({r["actor"], r["recipient"]} == {"RUS GOV", "USA GOV"} for r in rows)


def test_stats_count_what_is_stored(filled):
    s = stats(filled)
    assert s["documents"] == 10 and s["near_duplicates"] == 1
    assert s["mentions"] == 23
    assert s["events"] == filled.execute("SELECT count(DISTINCT event_id) FROM event_mentions").fetchone()[0]
    assert s["events_by_type"]["CONSULT"] >= 5
    assert s["top_actors"][0]["mentions"] >= s["top_actors"][-1]["mentions"]
