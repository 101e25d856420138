"""Exports: every format writes one row per event; Parquet reads back to the same rows."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from kronika.store.export import FORMATS, export
from kronika.store.schema import StoreError


@pytest.mark.parametrize("table", ["events", "mentions", "documents", "actors", "event_mentions"])
def test_parquet_export_round_trips(filled, tmp_path, table):
    out = tmp_path / f"{table}.parquet"
    n = export(filled, "parquet", out, table=table)
    assert n == filled.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    back = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')").fetchall()
    original = filled.execute(f"SELECT * FROM {table}").fetchall()
    key = repr
    assert sorted(back, key=key) == sorted(original, key=key)


def test_plover_jsonl_has_one_record_per_event_with_its_mentions(filled, tmp_path):
    out = tmp_path / "e.jsonl"
    n = export(filled, "plover-jsonl", out)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == n == filled.execute("SELECT count(*) FROM events").fetchone()[0]
    linked = dict(filled.execute("SELECT event_id, count(*) FROM event_mentions GROUP BY 1").fetchall())
    for r in records:
        assert r["id"].startswith("KE-") and len(r["mentions"]) == r["n_mentions"] == linked[r["id"]]
        assert r["event"] and r["actor"] and r["mention_id"] in r["mentions"]


@pytest.mark.parametrize(
    ("fmt", "delimiter", "columns"),
    [
        (
            "gdelt-csv",
            ",",
            [
                "GLOBALEVENTID",
                "SQLDATE",
                "Actor1Code",
                "Actor1CountryCode",
                "Actor2Code",
                "EventCode",
                "EventRootCode",
                "QuadClass",
                "GoldsteinScale",
                "NumMentions",
                "NumSources",
                "NumArticles",
                "SOURCEURL",
            ],
        ),
        (
            "polecat-tsv",
            "\t",
            [
                "Event ID",
                "Event Date",
                "Event Type",
                "Event Mode",
                "Actor Name",
                "Actor Country",
                "Actor COW",
                "Recipient Name",
                "Source",
            ],
        ),
        (
            "icews-tsv",
            "\t",
            [
                "Event ID",
                "Event Date",
                "Source Name",
                "Source Sectors",
                "Source Country",
                "Event Text",
                "CAMEO Code",
                "Intensity",
                "Target Name",
                "Story ID",
            ],
        ),
        ("csv", ",", ["event_id", "event_type", "n_sources"]),
    ],
)
def test_tabular_exports_carry_the_documented_columns(filled, tmp_path, fmt, delimiter, columns):
    out = tmp_path / "out.txt"
    n = export(filled, fmt, out)
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=delimiter))
    assert len(rows) == n > 0
    assert set(columns) <= set(rows[0])


def test_gdelt_rows_describe_the_strike(filled, tmp_path):
    out = tmp_path / "g.csv"
    export(filled, "gdelt-csv", out)
    with out.open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["EventRootCode"] == "19"]
    assert len(rows) == 1
    r = rows[0]
    assert (r["SQLDATE"], r["Actor1Code"], r["Actor2Code"], r["QuadClass"]) == (
        "20160224",
        "RUSMIL",
        "SYRREB",
        "4",
    )
    assert (r["NumMentions"], r["NumSources"], float(r["GoldsteinScale"])) == ("2", "2", -10.0)
    assert int(r["GLOBALEVENTID"]) > 0


def test_unknown_format_is_refused_with_the_list(filled, tmp_path):
    with pytest.raises(StoreError, match="plover-jsonl"):
        export(filled, "xml", tmp_path / "x")
    assert "parquet" in FORMATS
