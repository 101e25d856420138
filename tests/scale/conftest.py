"""Fixtures of the scale-out tests: one local Dask cluster of two worker processes for the module."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(scope="module")
def scheduler() -> str:
    """The address of a local cluster of two single-threaded worker processes.

    ``allowed-failures`` 0: a task whose worker dies is given up at once (the default retries it on three
    more workers), so that the worker-death test restarts two workers, not eight.
    """
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
    with cluster:
        yield cluster.scheduler_address
