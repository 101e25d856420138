"""Exports: every format writes one row per event; Parquet reads back to the same rows."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

import duckdb
import pycountry
import pytest
import yaml
from store_factory import Article, make_event

import kronika
from kronika.config import Settings
from kronika.records import Entity
from kronika.store.export import COW_FILE, FORMATS, export, load_cow
from kronika.store.ingest import store_coded
from kronika.store.schema import StoreError

COW_YAML = Path(kronika.__file__).resolve().parent / "data" / "actors" / COW_FILE


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


def _polecat_rows(con, tmp_path, settings=None) -> list[dict[str, str]]:
    out = tmp_path / "p.tsv"
    export(con, "polecat-tsv", out, settings=settings)
    with out.open(newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _store_two_events(store) -> None:
    """A Russian strike on Syrian rebels, and Russia consulting the UN Security Council (an IGO side)."""
    strike = make_event(
        "cow-1", "ASSAULT", "Russian warplanes", "rebels", "2016-02-24", pub_date="2016-02-25"
    )
    consult = make_event("cow-2", "CONSULT", "Lavrov", "Assad", "2016-02-24", pub_date="2016-02-25")
    un = Entity("UNO", "GOV", "UN Security Council", "UN Security Council", 20, 39, rule="test:UNSC")
    consult = dataclasses.replace(consult, recipient=[un])
    pairs = [
        (Article("cow-1", "Russian warplanes struck rebels.", "2016-02-25").document(), [strike]),
        (Article("cow-2", "Lavrov consulted the UN Security Council.", "2016-02-25").document(), [consult]),
    ]
    store_coded(pairs, store)


def test_polecat_cow_columns_carry_the_cow_state_numbers(store, tmp_path):
    _store_two_events(store)
    rows = {r["Event Type"]: r for r in _polecat_rows(store, tmp_path)}
    strike = rows["ASSAULT"]
    assert (strike["Actor Country"], strike["Actor COW"]) == ("RUS", "365")
    assert (strike["Recipient Country"], strike["Recipient COW"]) == ("SYR", "652")
    consult = rows["CONSULT"]
    assert (consult["Actor COW"], consult["Recipient Country"], consult["Recipient COW"]) == (
        "365",
        "UNO",
        "",
    )


def test_polecat_cow_columns_in_the_hand_coded_store(filled, tmp_path):
    rows = _polecat_rows(filled, tmp_path)
    cow = load_cow()
    for r in rows:
        for side in ("Actor", "Recipient"):
            state = cow.get(r[f"{side} Country"])
            assert r[f"{side} COW"] == (str(state.ccode) if state else "")
    assert any(r["Actor COW"] == "365" and r["Recipient COW"] == "652" for r in rows)


def test_user_cow_file_overrides_and_removes_entries(store, tmp_path):
    _store_two_events(store)
    user = tmp_path / "kb"
    (user / "actors").mkdir(parents=True)
    (user / "actors" / COW_FILE).write_text(
        "- {code: RUS, ccode: 9365, stateabb: RUS, name: Russia}\n- {code: SYR, remove: true}\n",
        encoding="utf-8",
    )
    rows = {r["Event Type"]: r for r in _polecat_rows(store, tmp_path, Settings(data_dirs=[user]))}
    assert (rows["ASSAULT"]["Actor COW"], rows["ASSAULT"]["Recipient COW"]) == ("9365", "")
    assert load_cow()["SYR"].ccode == 652  # the packaged table is untouched


def test_malformed_cow_file_is_refused(store, tmp_path):
    user = tmp_path / "bad"
    (user / "actors").mkdir(parents=True)
    (user / "actors" / COW_FILE).write_text("- {code: RUS, ccode: three, stateabb: RUS}\n", encoding="utf-8")
    with pytest.raises(StoreError, match="ccode"):
        export(store, "polecat-tsv", tmp_path / "p.tsv", settings=Settings(data_dirs=[user]))


def test_cow_table_data_integrity():
    entries = yaml.safe_load(COW_YAML.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries
    iso3 = {c.alpha_3 for c in pycountry.countries}
    codes = [e["code"] for e in entries]
    assert len(codes) == len(set(codes)), "a country code is listed twice"
    # KOS is PLOVER's code for Kosovo, which has no ISO 3166 code.
    assert [c for c in codes if c not in iso3 and c != "KOS"] == []
    numbers = [e["ccode"] for e in entries]
    assert all(isinstance(n, int) and 0 < n < 1000 for n in numbers)
    assert len(numbers) == len(set(numbers)), "a COW number is listed twice"
    abbs = [e["stateabb"] for e in entries]
    assert all(isinstance(a, str) and re.fullmatch(r"[A-Z]{3}", a) for a in abbs)
    assert len(abbs) == len(set(abbs)), "a COW abbreviation is listed twice"
    assert numbers == sorted(numbers), "entries are ordered by COW number"
    known = {
        "USA": (2, "USA"),
        "GBR": (200, "UKG"),
        "DEU": (255, "GMY"),
        "RUS": (365, "RUS"),
        "SYR": (652, "SYR"),
        "KOR": (732, "ROK"),
        "CHE": (225, "SWZ"),
        "SWZ": (572, "SWA"),
    }
    table = load_cow(Settings(data_dirs=[]))
    assert {c: (table[c].ccode, table[c].stateabb) for c in known} == known
    assert len(table) == len(entries)


def test_cow_table_covers_every_state_of_the_knowledge_base():
    countries = yaml.safe_load((COW_YAML.parent / "countries.yaml").read_text(encoding="utf-8"))
    codes = {e["code"] for e in countries}
    # Not states of the COW system: Palestine, the Holy See, Hong Kong, Antarctica.
    assert codes - set(load_cow(Settings(data_dirs=[]))) == {"PSE", "VAT", "HKG", "ATA"}
