"""The fuzz harness of ``bench/fuzz_commands.py`` on a few cases: every bad input read, coded and
ingested in a process of its own ends with its statuses, without an exception or a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bad_inputs_read_coded_and_ingested_each_in_its_own_process_all_end_with_a_status():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, str(ROOT / "bench" / "fuzz_commands.py"), "--cases", "40", "--seed", "7"]
    proc = subprocess.run(
        [*command, "--ingest-every", "4", "--code-chars", "20000", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=True,
    )
    report = json.loads(proc.stdout)
    summary = report["summary"]
    assert summary["cases"] == 40
    kinds = {key: n for key, n in summary.items() if ":" in key}
    assert kinds["read:ok"] == 40, report
    assert kinds.get("code:ok", 0) > 20 and kinds.get("ingest:ok", 0) > 5, report
    assert all(key.endswith(":ok") for key in kinds), report
    assert report["failures"] == []
