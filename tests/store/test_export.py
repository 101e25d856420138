"""Exports: each format loads in pandas and DuckDB with its documented columns and passes its schema."""

from __future__ import annotations

import csv
import dataclasses
import importlib
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pycountry
import pytest
import yaml
from export_schemas import GdeltRow, IcewsRow, PolecatRow, columns
from pydantic import ValidationError
from store_factory import Article, make_event

import kronika
from kronika.config import Settings
from kronika.records import MODALITIES, Entity
from kronika.store.export import COW_FILE, EVENT_COLUMNS, FORMATS, export, load_cow
from kronika.store.filters import EventFilter
from kronika.store.ingest import store_coded
from kronika.store.layouts import layout
from kronika.store.schema import StoreError

export_module = importlib.import_module("kronika.store.export")

COW_YAML = Path(kronika.__file__).resolve().parent / "data" / "actors" / COW_FILE


@pytest.mark.parametrize("table", ["mentions", "documents", "actors", "event_mentions"])
def test_parquet_export_of_a_store_table_round_trips(filled, tmp_path, table):
    out = tmp_path / f"{table}.parquet"
    n = export(filled, "parquet", out, table=table)
    assert n == filled.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    back = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')").fetchall()
    original = filled.execute(f"SELECT * FROM {table}").fetchall()
    key = repr
    assert sorted(back, key=key) == sorted(original, key=key)


def _read_layout(path: Path, fmt: str) -> pd.DataFrame:
    lay = layout(fmt)
    header = 0 if lay.header else None
    names = None if lay.header else columns(fmt)
    return pd.read_csv(path, sep=lay.delimiter, header=header, names=names, dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("fmt", "name"), [("gdelt-csv", "gdelt"), ("icews-tsv", "icews"), ("polecat-tsv", "polecat")]
)
def test_layout_exports_load_in_pandas_and_duckdb_with_the_documented_columns(
    migrated_v3, tmp_path, fmt, name
):
    out = tmp_path / f"{name}.txt"
    n = export(migrated_v3, fmt, out, all_events=True)
    frame = _read_layout(out, name)
    assert list(frame.columns) == columns(name) and len(frame) == n > 0
    lay = layout(name)
    con = duckdb.connect()
    if lay.header:
        rel = con.execute(f"SELECT * FROM read_csv('{out}', delim='\t', header=true, all_varchar=true)")
        assert [d[0] for d in rel.description] == columns(name)
    else:
        rel = con.execute(f"SELECT * FROM read_csv('{out}', delim='\t', header=false, all_varchar=true)")
        assert len(rel.description) == 61
    assert len(rel.fetchall()) == n
    model = {"gdelt": GdeltRow, "icews": IcewsRow, "polecat": PolecatRow}[name]
    for row in frame.to_dict("records"):
        model.model_validate(row)


def test_gdelt_layout_is_the_61_columns_of_the_gdelt_2_event_table():
    names = columns("gdelt")
    assert len(names) == 61 and len(set(names)) == 61
    assert names[:5] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert names[25:35] == [
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    ]
    geo = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
    assert names[35:59] == [f"{p}_{g}" for p in ("Actor1Geo", "Actor2Geo", "ActionGeo") for g in geo]
    assert names[59:] == ["DATEADDED", "SOURCEURL"]
    assert layout("gdelt").delimiter == "\t" and not layout("gdelt").header


def test_a_column_filled_from_the_wrong_field_fails_the_schema(migrated_v3, tmp_path, monkeypatch):
    lay = layout("gdelt")
    wrong = [c.model_copy(update={"source": "doc_id"}) if c.name == "SOURCEURL" else c for c in lay.columns]
    monkeypatch.setattr(export_module, "layout", lambda fmt: lay.model_copy(update={"columns": wrong}))
    out = tmp_path / "g.tsv"
    export(migrated_v3, "gdelt-csv", out)
    with pytest.raises(ValidationError, match="SOURCEURL"):
        for row in _read_layout(out, "gdelt").to_dict("records"):
            GdeltRow.model_validate(row)


def test_gdelt_rows_carry_dates_codes_and_places_only_as_precise_as_known(migrated_v3, tmp_path):
    out = tmp_path / "g.tsv"
    export(migrated_v3, "gdelt-csv", out, all_events=True)
    rows = _read_layout(out, "gdelt").to_dict("records")
    strike = [r for r in rows if r["EventRootCode"] == "19" and r["ActionGeo_FullName"]]
    assert len(strike) == 1
    s = strike[0]
    assert (s["SQLDATE"], s["MonthYear"], s["Year"]) == ("", "201603", "2016")  # dated "in March"
    assert (s["Actor1Code"], s["Actor2Code"], s["GoldsteinScale"]) == ("RUSMIL", "SYRREB", "-10.0")
    assert (s["ActionGeo_FullName"], s["ActionGeo_CountryCode"], s["ActionGeo_ADM1Code"]) == (
        "Aleppo, Syria",
        "SY",
        "SY09",
    )
    assert (float(s["ActionGeo_Lat"]), s["ActionGeo_FeatureID"], s["ActionGeo_Type"]) == (
        36.2021,
        "170063",
        "4",
    )
    assert s["SOURCEURL"] == "https://example.org/v3-strike"
    agreed = [r for r in rows if r["Year"] == "1940"]
    assert agreed and agreed[0]["SQLDATE"] == "" and agreed[0]["MonthYear"] == ""
    # the joint "Putin and Assad agreed" is their dyad
    assert (agreed[0]["Actor1Code"], agreed[0]["Actor2Code"]) == ("RUSGOV", "SYRGOV")


@pytest.mark.parametrize("fmt", ["gdelt-csv", "icews-tsv", "polecat-tsv", "csv", "plover-jsonl"])
def test_default_exports_hold_only_asserted_events_and_all_keeps_them_with_modality(
    migrated_v3, tmp_path, fmt
):
    default, every = tmp_path / "default", tmp_path / "all"
    n_default = export(migrated_v3, fmt, default, table="dyads" if fmt == "csv" else "events")
    n_all = export(migrated_v3, fmt, every, table="dyads" if fmt == "csv" else "events", all_events=True)
    assert n_all == n_default + 1  # the negated attack
    ids = _ids_by_modality(migrated_v3, tmp_path)
    text = default.read_text()
    assert all(str(i) not in text for i in ids["negated"])
    assert any(str(i) in every.read_text() for i in ids["negated"])
    if fmt in ("icews-tsv", "polecat-tsv"):
        frame = pd.read_csv(every, sep="\t")
        assert set(frame["Modality"]) == {"asserted", "negated"}
        assert set(pd.read_csv(default, sep="\t")["Modality"]) == {"asserted"}


def _ids_by_modality(con, tmp_path) -> dict[str, set]:
    out = tmp_path / "dyads.csv"
    export(con, "csv", out, table="dyads", all_events=True)
    frame = pd.read_csv(out)
    return {m: set(g["global_event_id"]) | set(g["event_id"]) for m, g in frame.groupby("modality")}


def test_below_the_operating_point_is_left_out_unless_asked(migrated_v3, tmp_path):
    out = tmp_path / "e.csv"
    assert export(migrated_v3, "csv", out, settings=Settings(min_confidence=0.9)) == 0
    assert export(migrated_v3, "csv", out, filters=EventFilter(min_confidence=0.5)) == 16


def test_partial_dates_load_as_dates_with_their_precision(migrated_v3, tmp_path):
    csv_out, icews_out, pq_out = tmp_path / "e.csv", tmp_path / "i.tsv", tmp_path / "e.parquet"
    export(migrated_v3, "csv", csv_out, all_events=True)
    export(migrated_v3, "icews-tsv", icews_out, all_events=True)
    export(migrated_v3, "parquet", pq_out, all_events=True)
    frame = pd.read_csv(csv_out, parse_dates=["date_start", "date_end", "first_report", "last_report"])
    assert pd.api.types.is_datetime64_any_dtype(frame["date_start"])
    year = frame[frame["date"] == "1940"].iloc[0]
    assert (year["date_precision"], str(year["date_start"].date()), str(year["date_end"].date())) == (
        "year",
        "1940-01-01",
        "1940-12-31",
    )
    icews = pd.read_csv(icews_out, sep="\t", parse_dates=["Event Date", "Event Date End"])
    assert pd.api.types.is_datetime64_any_dtype(icews["Event Date"])
    schema = pq.read_schema(pq_out)
    assert str(schema.field("date_start").type) == "date32[day]"
    assert str(schema.field("actors").type) == "list<element: string>"
    assert str(schema.field("confidence").type) == "double"
    assert pd.read_parquet(pq_out)["actors"].map(len).max() >= 1


def test_csv_lists_are_joined_and_parquet_keeps_them(migrated_v3, tmp_path):
    export(migrated_v3, "csv", tmp_path / "e.csv", all_events=True)
    export(migrated_v3, "parquet", tmp_path / "e.parquet", all_events=True)
    frame = pd.read_csv(tmp_path / "e.csv")
    assert list(frame.columns) == [name for _, name in EVENT_COLUMNS]
    joint = frame[frame["date"] == "1940"].iloc[0]
    assert joint["actors"] == "RUS GOV;SYR GOV"
    back = pd.read_parquet(tmp_path / "e.parquet")
    assert list(back[back["date"] == "1940"].iloc[0]["actors"]) == ["RUS GOV", "SYR GOV"]


def test_plover_jsonl_has_one_record_per_event_with_its_mentions(migrated_v3, tmp_path):
    out = tmp_path / "e.jsonl"
    n = export(migrated_v3, "plover-jsonl", out, all_events=True)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == n == migrated_v3.execute("SELECT count(*) FROM events").fetchone()[0]
    linked = dict(migrated_v3.execute("SELECT event_id, count(*) FROM event_mentions GROUP BY 1").fetchall())
    for r in records:
        assert r["id"].startswith("KE-") and len(r["mentions"]) == r["n_mentions"] == linked[r["id"]]
        assert r["event"] and r["actor"] and r["mention_id"] in r["mentions"]
        assert r["modality"] in MODALITIES and 0 <= r["confidence"] <= 1 and r["date_start"] <= r["date_end"]
        assert r["source_documents"][0]["url"].startswith("https://")
    aleppo = [r for r in records if (r["place"] or {}).get("name") == "Aleppo"]
    assert aleppo[0]["place"]["lat"] == 36.2021 and aleppo[0]["place"]["geonameid"] == 170063


@pytest.mark.parametrize(("table", "key", "value"), [("countries", "code", "RUS"), ("cameo", "code", "195")])
def test_code_tables_are_exported(store, tmp_path, table, key, value):
    out = tmp_path / f"{table}.csv"
    assert export(store, "csv", out, table=table) > 100
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    row = frame[frame[key] == value].iloc[0].to_dict()
    expected = {
        "countries": {"iso2": "RU", "fips": "RS", "cow": "365", "gw": "365", "iso_numeric": "643"},
        "cameo": {"label": "Employ aerial weapons", "goldstein": "-10.0"},
    }[table]
    assert {k: row[k] for k in expected} == expected


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
