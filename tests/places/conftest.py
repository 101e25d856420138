"""The geoparsing corpora of ../shared, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "geo"


@pytest.fixture(scope="session")
def geo_corpus():
    def path(name: str) -> Path:
        p = GEO / name
        if not p.is_file():
            pytest.skip(f"../shared/data/geo/{name} is not present")
        return p

    return path


@pytest.fixture(scope="session")
def knowledge():
    from kronika.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def index():
    from kronika.places.gazetteer import open_index

    return open_index()
