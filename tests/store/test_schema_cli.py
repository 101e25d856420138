"""Schema versioning and the command-line front ends."""

from __future__ import annotations

import json

import duckdb
import pytest
from store_factory import coref_set_hand_coded
from typer.testing import CliRunner

from kronika.cli import app
from kronika.store.ingest import store_coded
from kronika.store.schema import MIGRATIONS, SCHEMA_VERSION, StoreError, connect, current_version


def test_new_store_is_built_to_the_latest_version(store):
    assert current_version(store) == SCHEMA_VERSION == MIGRATIONS[-1][0]
    tables = {r[0] for r in store.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"meta", "documents", "mentions", "events", "event_mentions", "actors", "doc_lsh"} <= tables


def test_reopening_a_store_keeps_its_data(tmp_path):
    db = tmp_path / "s.duckdb"
    store_coded(coref_set_hand_coded()[0], db)
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 23
    con.close()


def test_a_newer_store_is_refused(tmp_path):
    db = tmp_path / "new.duckdb"
    con = connect(db)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        connect(db)


def test_reading_a_missing_store_says_how_to_make_one(tmp_path):
    with pytest.raises(StoreError, match="kronika ingest"):
        connect(tmp_path / "absent.duckdb", read_only=True)


@pytest.fixture
def db_file(tmp_path):
    db = tmp_path / "cli.duckdb"
    store_coded(coref_set_hand_coded()[0], db)
    return db


runner = CliRunner()


def test_cli_timeline_json(db_file):
    result = runner.invoke(app, ["timeline", "Putin", "Assad", "--json", "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["date"] for r in rows] == ["2016-02-24", "2016-03-01"]
    assert {"date", "event", "actor", "recipient", "sources", "n_sources"} <= set(rows[0])


def test_cli_events_stats_network_export(db_file, tmp_path):
    ev = runner.invoke(app, ["events", "--actor", "RUS MIL", "--json", "--db", str(db_file)])
    assert ev.exit_code == 0 and json.loads(ev.output)[0]["event"] == "ASSAULT"
    st = runner.invoke(app, ["stats", "--json", "--db", str(db_file)])
    assert json.loads(st.output)["documents"] == 10
    net = runner.invoke(app, ["network", "--out", str(tmp_path / "n.gexf"), "--db", str(db_file)])
    assert net.exit_code == 0 and (tmp_path / "n.gexf").exists()
    ex = runner.invoke(app, ["export", "--format", "plover-jsonl", "--db", str(db_file)])
    assert (
        ex.exit_code == 0
        and len(ex.output.splitlines())
        == duckdb.connect(str(db_file)).execute("SELECT count(*) FROM events").fetchone()[0]
    )


def test_cli_unknown_actor_fails_cleanly(db_file):
    result = runner.invoke(app, ["timeline", "Napoleon", "--db", str(db_file)])
    assert result.exit_code == 1 and "Napoleon" in result.output


def test_a_version_2_store_is_rekeyed_and_relinked_when_opened(tmp_path):
    db = tmp_path / "v2.duckdb"
    store_coded(coref_set_hand_coded()[0], db)
    con = duckdb.connect(str(db))
    query = (
        "SELECT e.event_id, e.n_mentions, em.mention_id FROM events e JOIN event_mentions em USING (event_id)"
    )
    before = sorted(con.execute(query).fetchall())
    # back to version 2: blocks keyed by exact sectors, events linked per batch, no queue
    con.execute(
        "UPDATE mentions SET block_key = event_type || '|' || array_to_string(actor_cs, ',') || '|' "
        "|| array_to_string(recipient_cs, ',')"
    )
    con.execute("DELETE FROM events; DELETE FROM event_mentions; DROP TABLE relink_queue")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    con = connect(db)
    assert current_version(con) == SCHEMA_VERSION
    assert sorted(con.execute(query).fetchall()) == before
    con.close()


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--from", "9999999999"],
        ["events", "--to", "99999-01"],
        ["events", "--from", "2016-02-30"],
        ["events", "--limit", "-1"],
        ["events", "--limit", "99999999999999999999"],
        ["timeline", "Putin", "--from", "9999999999"],
        ["network", "-o", "net.graphml", "--to", "9999999999"],
        ["counts", "--from", "9999999999"],
        ["export", "--format", "csv", "-o", "e.csv", "--from", "9999999999"],
        ["map", "--to", "9999999999"],
        ["ingest", "--commit-every", "0", "articles"],
    ],
)
def test_an_out_of_range_date_or_number_is_a_usage_error_without_a_traceback(db_file, args):
    result = runner.invoke(app, [*args, "--db", str(db_file)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit
    )
    assert "Invalid value" in result.output


def test_a_date_bound_within_range_still_filters(db_file):
    every = runner.invoke(app, ["events", "--json", "--db", str(db_file)])
    bounded = ["events", "--from", "2016-03", "--to", "2016", "--json"]
    result = runner.invoke(app, [*bounded, "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    dates = [r["date"] for r in json.loads(every.output)]
    assert "2016-02-24" in dates and "2016-03-01" in dates
    assert [r["date"] for r in json.loads(result.output)] == ["2016-03-01"]
