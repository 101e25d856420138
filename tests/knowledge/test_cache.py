"""The knowledge bundle kept on disk: the same knowledge from the cache, rebuilt when stale or broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.config import DATA_DIR
from kronika.knowledge import Knowledge, cache
from kronika.knowledge.bundle import _cached

PERSON = """- name: Jane Q. Example
  aliases: [Jane Example]
  roles: [{code: GBR, sector: GOV, office: foreign secretary, start: 2020-01-01}]
"""


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv("KRONIKA_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KRONIKA_KNOWLEDGE_CACHE", raising=False)
    user = tmp_path / "mine"
    (user / "actors").mkdir(parents=True)
    (user / "actors" / "people.yaml").write_text(PERSON, encoding="utf-8")
    return [DATA_DIR, user]


def _persisted(dirs: list[Path]) -> Path:
    k = Knowledge(dirs)
    assert k.persist()
    path = cache.path_for(dirs)
    assert path.is_file()
    return path


def test_a_later_process_gets_the_same_knowledge_from_the_cache(folders: list[Path]):
    _persisted(folders)
    built = Knowledge(folders)
    again = _cached(Knowledge(folders))
    assert again.cached and not built.cached
    assert "kb" in again.__dict__ and "gazetteer" in again.__dict__  # nothing left to build
    assert again.kb.lookup("Jane Example")[0].code == "GBR"
    assert set(again.kb.surface) == set(built.kb.surface)
    assert again.gazetteer.forms.keys() == built.gazetteer.forms.keys()
    assert again.dates.months == built.dates.months
    assert [t.key() for t in again.entries("triggers")] == [t.key() for t in built.entries("triggers")]
    assert again.check() == built.check()


def test_a_changed_data_file_is_read_again(folders: list[Path]):
    _persisted(folders)
    people = folders[1] / "actors" / "people.yaml"
    people.write_text(PERSON.replace("GBR", "IRL"), encoding="utf-8")
    fresh = _cached(Knowledge(folders))
    assert not fresh.cached  # the key no longer matches: built from the files
    assert fresh.kb.lookup("Jane Example")[0].code == "IRL"


@pytest.mark.parametrize("content", [b"", b"not a pickle at all", b"\x80\x05K\x01."])
def test_a_corrupt_cache_file_is_rebuilt_not_trusted(folders: list[Path], content: bytes):
    path = _persisted(folders)
    path.write_bytes(content)
    k = _cached(Knowledge(folders))
    assert not k.cached
    assert k.kb.lookup("Jane Example")[0].code == "GBR"
    assert k.persist()  # and written again, whole
    assert _cached(Knowledge(folders)).cached


def test_a_cache_of_another_shape_is_rebuilt(folders: list[Path]):
    path = _persisted(folders)
    import pickle

    path.write_bytes(pickle.dumps({"key": cache.key(folders), "state": {"loaded": {}, "built": 3}}))
    k = _cached(Knowledge(folders))
    assert not k.cached
    assert k.kb.lookup("Jane Example")


def test_an_unwritable_cache_folder_only_costs_the_cache(folders: list[Path], monkeypatch, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KRONIKA_CACHE", str(blocker / "cache"))  # below a file: cannot be made
    k = Knowledge(folders)
    assert not k.persist()
    assert k.kb.lookup("Jane Example")


def test_bad_knowledge_is_not_cached_and_still_reported(folders: list[Path]):
    bad = "- {name: Jane Roe, aliasses: [x]}\n"
    (folders[1] / "actors" / "people.yaml").write_text(bad, encoding="utf-8")
    k = Knowledge(folders)
    assert not k.persist()
    assert not cache.path_for(folders).exists()
    from kronika.knowledge import KnowledgeErrors

    with pytest.raises(KnowledgeErrors):
        _ = _cached(Knowledge(folders)).kb


def test_the_cache_can_be_turned_off(folders: list[Path], monkeypatch):
    monkeypatch.setenv("KRONIKA_KNOWLEDGE_CACHE", "0")
    assert not Knowledge(folders).persist()
    assert not cache.path_for(folders).exists()
