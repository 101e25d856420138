"""Shared fixtures: the spaCy pipeline loaded once per run, and the ../shared data when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "data" / "seeds"
GOLD_DEV = SHARED / "data" / "plover" / "plover_gsr_dev.json"


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
