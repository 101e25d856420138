"""A local cluster is sized by the memory budget: no more workers than the memory holds."""

from __future__ import annotations

import pytest

from kronika.scale import WORKER_MEMORY, local_workers


def test_workers_asked_for_start_when_the_memory_holds_them():
    assert local_workers(4, memory=8 * WORKER_MEMORY) == 4


def test_fewer_workers_start_when_the_memory_is_short(caplog):
    assert local_workers(4, memory=2 * WORKER_MEMORY + 1) == 2
    assert "2 fit in the memory" in caplog.text


def test_at_least_one_worker_starts():
    assert local_workers(3, memory=WORKER_MEMORY // 2) == 1


def test_the_machine_memory_is_read_when_not_given():
    pytest.importorskip("psutil")  # comes with distributed (the scale extra)
    assert 1 <= local_workers(2) <= 2
