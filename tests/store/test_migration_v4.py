"""Schema version 4 on a store written by the release before it: columns filled from the records."""

from __future__ import annotations

import csv

from store_factory import FIXTURES

from kronika.store.schema import SCHEMA_VERSION, VIEWS, current_version


def _fixture_rows(table: str) -> list[dict[str, str]]:
    with (FIXTURES / "store_v3" / f"{table}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_version_3_store_is_migrated_with_its_events_kept(migrated_v3):
    assert current_version(migrated_v3) == SCHEMA_VERSION >= 4
    before = {r["event_id"] for r in _fixture_rows("events")}
    after = {r[0] for r in migrated_v3.execute("SELECT event_id FROM events").fetchall()}
    assert after == before  # relinking recomputes the same deterministic events
    n_mentions = migrated_v3.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert n_mentions == len(_fixture_rows("mentions"))
    views = {r[0] for r in migrated_v3.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    assert set(VIEWS) <= views


def test_place_details_modality_and_confidence_come_from_the_stored_records(migrated_v3):
    mention = migrated_v3.execute(
        "SELECT place_country, place_kind, place_lat, place_lon, place_geonameid, place_admin1 FROM mentions "
        "WHERE place = 'Aleppo'"
    ).fetchone()
    assert mention == ("SYR", "city", 36.2021, 37.1343, 170063, "09")
    event = migrated_v3.execute(
        "SELECT modality, confidence, place_lat, place_geonameid, date, date_precision FROM events "
        "WHERE place = 'Aleppo'"
    ).fetchone()
    assert event == ("asserted", 0.7, 36.2021, 170063, "2016-03", "month")
    negated = migrated_v3.execute(
        "SELECT modality FROM events WHERE actor_codes = ['TUR'] AND event_type = 'ASSAULT'"
    ).fetchall()
    assert negated == [("negated",)]


def test_the_dyads_view_has_one_row_per_actor_recipient_pair(migrated_v3):
    labels = migrated_v3.execute("SELECT actor, recipient FROM dyads").fetchall()
    assert all("," not in (a or "") and "," not in (r or "") for a, r in labels)
    n_pairs = migrated_v3.execute(
        "SELECT sum(greatest(len(actor_cs), 1) * greatest(len(recipient_cs), 1)) FROM events "
        "WHERE NOT (len(recipient_cs) = 0 AND len(actor_cs) = 2)"
    ).fetchone()[0]
    joint = migrated_v3.execute(
        "SELECT count(*) FROM events WHERE len(recipient_cs) = 0 AND len(actor_cs) = 2"
    ).fetchone()[0]
    assert len(labels) == n_pairs + joint
    sources = migrated_v3.execute(
        "SELECT url, publisher, added_at FROM event_sources WHERE doc_id = 'v3-strike' LIMIT 1"
    ).fetchone()
    assert sources[0] == "https://example.org/v3-strike" and sources[1] == "Levant Daily" and sources[2]
