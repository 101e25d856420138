"""The command line that guides: progress, tables, one option vocabulary, help without type noise."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console
from typer.testing import CliRunner

from kronika.cli import app
from kronika.cli.progress import Ticker, bar, count_documents, ingest_progress
from kronika.cli.tables import number

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def test_version():
    code, out, _ = _run("--version")
    assert code == 0 and re.fullmatch(r"kronika \d+\.\d+\.\d+\n", out)


@pytest.mark.parametrize(
    "command", ["code", "ingest", "export", "stats", "timeline", "network", "map", "read", "eval", "serve"]
)
def test_help_has_no_python_type_names_and_every_option_says_what_it_does(command):
    code, out, _ = _run(command, "--help")
    assert code == 0
    assert not re.search(r"<(bool|str|int|float|path|list\[str\])", out), out
    assert "--help" in out


@pytest.mark.parametrize("command", ["code", "demo", "export", "network", "read"])
def test_every_command_that_writes_a_file_has_o_output(command):
    _, out, _ = _run(command, "--help")
    assert "--output" in out and "-o" in out
    assert "--out " not in out  # the old spelling works but is not shown


def test_numbers_are_rounded_for_people():
    assert number(0.7000000000000001) == "0.70" and number(12345) == "12,345" and number(None) == "—"


def test_stats_is_a_table_and_json_is_exact(seed_store):
    code, out, _ = _run("stats", "--db", str(seed_store))
    assert code == 0
    assert "┃ type" in out and "CONSULT" in out and "mentions per event" in out and "{" not in out
    code, out, _ = _run("stats", "--db", str(seed_store), "--json")
    data = json.loads(out)
    assert data["events"] > 0 and isinstance(data["mentions_per_event"], float)


def test_map_lists_places_and_draws_them(seed_store, tmp_path):
    code, out, _ = _run("map", "--db", str(seed_store))
    assert code == 0 and "Syria" in out and "Geneva" in out
    code, out, _ = _run("map", "--db", str(seed_store), "--json", "--actor", "Putin")
    places = json.loads(out)
    assert places and all({"lat", "lon", "events"} <= set(p) for p in places)
    code, out, _ = _run("map", "--db", str(seed_store), "--plot", str(tmp_path / "m.png"))
    assert code == 0 and (tmp_path / "m.png").stat().st_size > 10_000


@pytest.mark.parametrize("option", ["-o", "--output", "--out"])
def test_network_writes_drawings_and_takes_the_old_option(seed_store, tmp_path, option):
    out = tmp_path / "n.svg"
    code, stdout, _ = _run("network", "--db", str(seed_store), option, str(out))
    assert code == 0 and "actors" in stdout and out.read_text().startswith("<?xml")


def test_network_without_a_file_says_what_to_give(seed_store):
    code, _, err = _run("network", "--db", str(seed_store))
    assert code == 2 and "-o FILE.graphml" in err


def test_timeline_plot_as_svg(seed_store, tmp_path):
    code, _, _ = _run(
        "timeline", "Putin", "Assad", "--db", str(seed_store), "--plot", str(tmp_path / "t.svg")
    )
    assert code == 0 and "Putin – Assad" in (tmp_path / "t.svg").read_text()


def test_no_progress_bar_when_stderr_is_not_a_terminal(seed_store, tmp_path):
    code, _, err = _run("export", "-f", "csv", "-o", str(tmp_path / "e.csv"), "--db", str(seed_store))
    assert code == 0 and "━" not in err and re.search(r"\d+ rows → ", err)


def test_inputs_are_counted_before_the_run(tmp_path):
    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.html").write_text("<p>Two.</p>")
    (tmp_path / "c.jsonl").write_text('{"id": 1, "text": "x"}\n{"id": 2, "text": "y"}\n\n')
    (tmp_path / "d.csv").write_text("id,text\n1,x\n2,y\n3,z\n")
    (tmp_path / ".hidden.txt").write_text("no")
    assert count_documents([tmp_path]) == 1 + 1 + 2 + 3
    assert count_documents([tmp_path / "a.txt", "-"]) is None


def test_ingest_progress_shows_total_rate_and_time_left():
    sink = io.StringIO()
    shown = bar("ingest", console=Console(file=sink, force_terminal=True, width=120))
    with shown:
        ticker = Ticker(shown, total=200)
        on_progress = ingest_progress(ticker)
        on_progress(1, None, "unchanged doc1")
        for _ in ticker.counted(range(9)):
            pass
        on_progress(10, None, "12 mentions")
    task = shown.tasks[0]
    assert task.total == 200 and task.completed == 10
    text = sink.getvalue()
    assert "ingest" in text and "/200" in text and "ETA" in text and "docs/s" in text
