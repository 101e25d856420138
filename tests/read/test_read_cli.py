"""The ``kronika read`` front end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kronika.cli import app

ARTICLE = (
    "Rebels and government troops agreed on Sunday to a three-day truce in the north, a mediator said.\n"
)


def test_read_writes_one_record_per_document_and_reports_failures(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    out, errors = tmp_path / "docs.jsonl", tmp_path / "errors.jsonl"
    args = [
        "read",
        str(tmp_path / "a.txt"),
        str(tmp_path / "nope.txt"),
        "-o",
        str(out),
        "--errors",
        str(errors),
    ]
    result = CliRunner().invoke(app, [*args, "--pub-date", "2020-01-02"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["doc_id"], r["status"], r["pub_date"]) for r in records] == [
        ("a", "ok", "2020-01-02"),
        ("nope", "failed", None),
    ]
    assert [json.loads(line)["doc_id"] for line in errors.read_text().splitlines()] == ["nope"]
    assert CliRunner().invoke(app, [*args, "--strict"]).exit_code == 1


def test_usage_errors_exit_with_2(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    assert CliRunner().invoke(app, ["read", str(tmp_path / "a.txt"), "--pub-date", "soon"]).exit_code == 2
    assert CliRunner().invoke(app, ["read"]).exit_code == 2


def test_standard_input_is_read_as_a_stream_within_the_size_cap(tmp_path):
    """``kronika read -`` on a pipe reads no more than the cap allows (not the whole input first),
    and a gzip stream on standard input is inflated."""
    import gzip
    import os
    import subprocess
    import sys
    from pathlib import Path

    body = (ARTICLE * 200).encode()  # about 20 kB
    env = {**os.environ, "KRONIKA_MAX_BYTES": "5000", "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    command = [sys.executable, "-m", "kronika.cli", "read", "-"]
    proc = subprocess.run(command, input=body, capture_output=True, env=env, check=True)
    (record,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert record["status"] == "ok" and len(record["text"]) <= 5000
    assert any(w.startswith("truncated: the input is over 5000 bytes") for w in record["warnings"])

    packed = CliRunner().invoke(app, ["read", "-"], input=gzip.compress(ARTICLE.encode()))
    assert packed.exit_code == 0, packed.output
    (record,) = [json.loads(line) for line in packed.stdout.splitlines()]
    assert record["status"] == "ok" and record["text"].startswith("Rebels and government troops")
