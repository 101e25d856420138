"""Partitions sent to Dask workers follow the token budget of one process: a count and characters."""

from __future__ import annotations

from kronika.config import Settings
from kronika.document import Document
from kronika.scale import _take, partition_chars


def test_partitions_stop_at_the_count_or_the_character_budget_whichever_comes_first():
    chars = partition_chars(Settings(batch_tokens=1000))
    docs = iter([Document(f"d{i}", "word " * n) for i, n in enumerate([10, 10, 5000, 10, 10, 10])])
    parts = [p for p in iter(lambda: _take(docs, 3, chars), [])]
    assert [[d.doc_id for d in p] for p in parts] == [["d0", "d1", "d2"], ["d3", "d4", "d5"]]
    long = iter([Document("big", "word " * 10_000), Document("next", "word")])
    assert [d.doc_id for d in _take(long, 32, chars)] == ["big"]
    assert [d.doc_id for d in _take(long, 32, chars)] == ["next"]
