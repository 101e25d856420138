"""``kronika code --workers`` and ``kronika ingest --workers`` give what the single-process commands give."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from kronika.cli import app

pytestmark = pytest.mark.slow


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_code_on_two_workers_writes_the_single_process_output(seeds_dir):
    pytest.importorskip("distributed")
    plain = _run("code", str(seeds_dir))
    assert plain.count("\n") > 0
    assert _run("code", str(seeds_dir), "--workers", "2") == plain


def test_code_on_a_running_cluster_writes_the_single_process_output(seeds_dir, scheduler, tmp_path):
    plain, scaled = tmp_path / "plain.csv", tmp_path / "scaled.csv"
    _run("code", str(seeds_dir), "--format", "csv", "-o", str(plain))
    _run("code", str(seeds_dir), "--format", "csv", "-o", str(scaled), "--scheduler", scheduler)
    assert scaled.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")


def test_ingest_on_two_workers_stores_the_events_of_a_plain_ingest(seeds_dir, tmp_path):
    pytest.importorskip("distributed")
    exports = []
    for name, extra in (("plain", []), ("scaled", ["--workers", "2"])):
        db = str(tmp_path / f"{name}.duckdb")
        _run("ingest", str(seeds_dir), "--db", db, "--quiet", "--commit-every", "2", *extra)
        exports.append(_run("export", "--format", "plover-jsonl", "--db", db))
    assert exports[0].count("\n") > 0
    assert exports[1] == exports[0]


def test_ingest_on_a_cluster_skips_unchanged_documents_and_replaces_revisions(seeds_dir, scheduler, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder)
    db = str(tmp_path / "store.duckdb")
    first = json.loads(_run("ingest", str(folder), "--db", db, "--json", "--scheduler", scheduler))
    first_seed = sorted(folder.iterdir())[0]
    first_seed.write_text(first_seed.read_text(encoding="utf-8").replace(" said ", " stated ", 1))
    again = json.loads(_run("ingest", str(folder), "--db", db, "--json", "--scheduler", scheduler))
    assert first["documents_new"] == 5
    assert (again["documents_unchanged"], again["documents_updated"], again["documents_new"]) == (4, 1, 0)
