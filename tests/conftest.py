"""Shared fixtures: the spaCy pipeline loaded once per run, and the ../shared data when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "data" / "seeds"
GOLD_DEV = SHARED / "data" / "plover" / "plover_gsr_dev.json"
REALNEWS_DEV = SHARED / "data" / "realnews" / "dev"


@pytest.fixture(scope="session", autouse=True)
def every_event():
    """Tests of the stages see every event found: the operating point (``min_confidence``) is tested
    on its own, with explicit settings."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KRONIKA_MIN_CONFIDENCE", "0")
        yield


@pytest.fixture(scope="session")
def nlp():
    from kronika.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/data/seeds is not present")
    return SEEDS


@pytest.fixture(scope="session")
def gold_dev_path() -> Path:
    if not GOLD_DEV.is_file():
        pytest.skip("../shared/data/plover/plover_gsr_dev.json is not present")
    return GOLD_DEV


@pytest.fixture(scope="session")
def realnews_dev_dir() -> Path:
    if not (REALNEWS_DEV / "docs.jsonl").is_file():
        pytest.skip("../shared/data/realnews/dev is not present")
    return REALNEWS_DEV
