"""As an analyst would: the seeds and negated, hypothetical, future and historical sentences ingested
by the real reader and coder, every export loaded with pandas."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from export_schemas import GdeltRow, IcewsRow, PolecatRow, columns
from typer.testing import CliRunner

from kronika.cli import app
from kronika.config import DEFAULT_MIN_CONFIDENCE, Settings
from kronika.store.export import export
from kronika.store.ingest import ingest
from kronika.store.network import network

pytestmark = pytest.mark.slow

NOT_ASSERTED = (
    "Turkey did not attack Kurdish forces in northern Syria on Monday, the Turkish army said.\n\n"
    "If Israel strikes Iranian bases in Syria, Tehran will respond, an Iranian official said on Tuesday.\n\n"
    "Iran will not withdraw its forces from Syria, the foreign minister said on Wednesday.\n\n"
    "In 1940, Britain declared war on Germany.\n"
)


@pytest.fixture(scope="module")
def analyst_db(seeds_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for path in seeds_dir.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    (folder / "modality.jsonl").write_text(
        json.dumps(
            {"id": "modality", "text": NOT_ASSERTED, "date": "2016-03-20", "url": "https://example.org/m"}
        )
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path_factory.mktemp("db") / "analyst.duckdb"
    ingest([folder], db)
    return str(db)


OPERATING_POINT = Settings(min_confidence=DEFAULT_MIN_CONFIDENCE)


def _dyads(db, tmp_path) -> pd.DataFrame:
    out = tmp_path / "dyads.csv"
    export(db, "csv", out, table="dyads", all_events=True)
    return pd.read_csv(out)


def test_non_asserted_events_are_stored_with_their_modality(analyst_db, tmp_path):
    dyads = _dyads(analyst_db, tmp_path)
    assert {"negated", "hypothetical", "historical"} <= set(dyads["modality"])


@pytest.mark.parametrize(
    ("fmt", "name"), [("gdelt-csv", "gdelt"), ("icews-tsv", "icews"), ("polecat-tsv", "polecat")]
)
def test_default_layout_exports_hold_no_non_asserted_event_and_all_holds_them(
    analyst_db, tmp_path, fmt, name
):
    dyads = _dyads(analyst_db, tmp_path)
    hidden = set(dyads.loc[dyads["modality"] != "asserted", "global_event_id"])
    default, every = tmp_path / "default.tsv", tmp_path / "all.tsv"
    export(analyst_db, fmt, default, settings=OPERATING_POINT)
    export(analyst_db, fmt, every, all_events=True)
    header = 0 if name != "gdelt" else None
    names = None if name != "gdelt" else columns("gdelt")
    kept = pd.read_csv(default, sep="\t", header=header, names=names, dtype=str, keep_default_na=False)
    full = pd.read_csv(every, sep="\t", header=header, names=names, dtype=str, keep_default_na=False)
    id_col = "GLOBALEVENTID" if name == "gdelt" else "Event ID"
    assert hidden and not hidden & set(kept[id_col].astype(int))
    assert hidden <= set(full[id_col].astype(int))
    model = {"gdelt": GdeltRow, "icews": IcewsRow, "polecat": PolecatRow}[name]
    for row in full.to_dict("records"):
        model.model_validate(row)
    if name != "gdelt":
        assert set(full["Modality"]) - {"asserted"} and set(kept["Modality"]) == {"asserted"}
        dates = pd.read_csv(every, sep="\t", parse_dates=["Event Date", "Event Date End"])
        assert pd.api.types.is_datetime64_any_dtype(dates["Event Date"])


def test_default_csv_holds_only_asserted_events_and_every_date_parses(analyst_db, tmp_path):
    out, every = tmp_path / "e.csv", tmp_path / "all.csv"
    export(analyst_db, "csv", out, settings=OPERATING_POINT)
    export(analyst_db, "csv", every, all_events=True)
    assert set(pd.read_csv(out)["modality"]) == {"asserted"}
    frame = pd.read_csv(every, parse_dates=["date_start", "date_end", "first_report", "last_report"])
    assert pd.api.types.is_datetime64_any_dtype(frame["date_start"])
    assert "year" in set(frame["date_precision"])  # "In 1940"
    assert (pd.read_csv(out)["confidence"] >= DEFAULT_MIN_CONFIDENCE).all()


def test_the_network_of_the_seeds_has_one_node_per_actor(analyst_db):
    g = network(analyst_db, all_events=True)
    assert g.number_of_nodes() > 3 and all("," not in node for node in g.nodes)


def test_cli_counts_and_actor_search(analyst_db):
    runner = CliRunner()
    res = runner.invoke(app, ["counts", "--by", "month", "--dyad", "--json", "--db", analyst_db])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows and all(r["period"].endswith("-01") for r in rows)
    res = runner.invoke(app, ["events", "--actor", "vlad", "--json", "--db", analyst_db])
    assert res.exit_code == 0, res.output
    found = json.loads(res.output)
    assert found and all("Vladimir Putin" in r["actor_names"] + r["recipient_names"] for r in found)
    res = runner.invoke(app, ["events", "--actor", "he", "--json", "--db", analyst_db])
    assert res.exit_code == 1 and "no actor called 'he'" in res.output
