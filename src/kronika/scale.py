"""Scale-out: code documents on a Dask cluster, partition by partition, with the results in input order.

``code_documents_distributed`` has the contract of ``pipeline.code_documents`` (one output per input, in
input order; documents that are not ``ok`` pass through with no events; a document whose coding fails
ends ``failed`` with the reason) and runs the coding on the workers of a Dask cluster: a local one with
``workers`` processes, or an existing one at ``scheduler``. The input is read lazily, in partitions, and
at most ``max_in_flight`` partitions are out at once, so memory stays bounded however long the input.

Each worker process builds the coder (spaCy model, knowledge base, lexicon) once, on its first
partition, from the ``Settings`` sent with every partition (the knowledge comes from the cache in
``$KRONIKA_CACHE`` when a process has built it before). A local cluster's workers are sized by the
memory budget: each gets ``WORKER_MEMORY`` bytes (a coding process peaks near 600 MB at the default
``batch_tokens``), and no more workers are started than the machine's memory holds. Workers of an
existing cluster need Kronika installed, the same knowledge folders at the same paths and the same
``$KRONIKA_DATA``; a local cluster's workers inherit this process's environment (``docs/scale.md``).

A partition that raises, or whose worker dies, does not stop the run: its documents are tried again once,
each on its own, and a document that fails again ends ``failed`` with the reason.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from kronika.config import Settings, get_settings
from kronika.document import STATUS_FAILED, Document
from kronika.pipeline import code_documents
from kronika.records import Event

log = logging.getLogger(__name__)

DEFAULT_PARTITION_SIZE = 32  # one spaCy batch (Settings.batch_size) per task
# The memory limit of one worker process: twice the peak of a coding process at the default token
# budget, so Dask never pauses a worker that codes within the budget.
WORKER_MEMORY = 1200 * 2**20
CONNECT_TIMEOUT = "30s"

Coder = Callable[..., Iterable[tuple[Document, list[Event]]]]
# What coding gives one document: status, reason, warnings, events.
Outcome = tuple[str, str | None, list[str], list[Event]]

MESSAGES: dict[str, str] = {
    "no-dask": "dask.distributed is not installed; install it with pip install 'kronika[scale]'",
    "scheduler": "cannot reach the Dask scheduler; check the address and that the scheduler is running",
    "lost": "lost the connection to the Dask scheduler; the documents not yet written were not coded",
}


class ScaleError(RuntimeError):
    """Coding on a cluster cannot go on (no Dask, scheduler unreachable); ``code`` is a key of MESSAGES."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown scale error code {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(f"{MESSAGES[code]} ({detail})" if detail else MESSAGES[code])


def dask_available() -> bool:
    """True when ``dask.distributed`` can be imported (the ``scale`` extra)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def code_partition(docs: list[Document], settings: Settings, coder: Coder = code_documents) -> list[Outcome]:
    """Code one partition (run on a worker): the status, reason, warnings and events of each document,
    in order.

    Only what coding changes travels back, not the documents. ``pipeline.get_coder`` keeps the coder
    of each process, so a worker loads the spaCy model on its first partition only.
    """
    out = [(d.status, d.reason, d.warnings, events) for d, events in coder(docs, settings=settings)]
    if len(out) != len(docs):
        raise RuntimeError(f"the coder returned {len(out)} results for {len(docs)} documents")
    return out


def code_documents_distributed(
    docs: Iterable[Document],
    settings: Settings | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    max_in_flight: int | None = None,
    coder: Coder = code_documents,
) -> Generator[tuple[Document, list[Event]], None, None]:
    """Code documents on a Dask cluster; same contract and output as ``pipeline.code_documents``.

    ``scheduler`` is the address of a running cluster (``tcp://host:8786``; ``workers`` is then
    ignored); without one, a local cluster of ``workers`` processes (one thread each) is started and
    closed when the iterator ends or is closed. With neither (or ``workers=1``) the documents are
    coded in this process, as they are when Dask is not installed (a warning says so).
    ``partition_size`` documents go to a worker at a time; ``max_in_flight`` partitions (default: twice
    the cluster's threads) are out at once. ``coder`` is the function run on each partition
    (``pipeline.code_documents`` or one with its contract); it must be importable on the workers.
    Yields the input ``Document`` objects themselves.
    """
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    if max_in_flight is not None and max_in_flight < 1:
        raise ValueError("max_in_flight must be at least 1")
    settings = settings or get_settings()
    if scheduler is None and (workers or 1) == 1:
        return (pair for pair in coder(docs, settings=settings))
    if not dask_available():
        if scheduler is not None:
            raise ScaleError("no-dask")
        log.warning("%s: coding in one process", MESSAGES["no-dask"])
        return (pair for pair in coder(docs, settings=settings))
    return _code_on_cluster(
        docs, _Job(settings, coder, partition_size, max_in_flight), workers or 1, scheduler
    )


@dataclass
class _Job:
    settings: Settings
    coder: Coder
    partition_size: int
    max_in_flight: int | None


@dataclass
class _Partition:
    """Documents out on the cluster, in input order; ``future`` codes those that were ``ok``."""

    docs: list[Document]
    to_code: list[bool]
    future: Any = None  # distributed.Future, or None when no document is ok


def local_workers(requested: int, memory: int | None = None, per_worker: int = WORKER_MEMORY) -> int:
    """How many worker processes to start: those requested, at most as many as ``memory`` (the
    machine's available memory by default) holds at ``per_worker`` bytes each, and at least one."""
    if memory is None:
        import psutil  # type: ignore[import-untyped]  # a dependency of distributed

        memory = int(psutil.virtual_memory().available)
    fits = max(1, memory // per_worker)
    if fits < requested:
        log.warning("%d workers asked for, %d fit in the memory available", requested, fits)
    return max(1, min(requested, fits))


def _code_on_cluster(
    docs: Iterable[Document], job: _Job, workers: int, scheduler: str | None
) -> Generator[tuple[Document, list[Event]], None, None]:
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        if scheduler is None:
            workers = local_workers(workers)
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    memory_limit=WORKER_MEMORY,
                    dashboard_address=":0",  # any free port: never "8787 is already in use"
                    silence_logs=logging.CRITICAL,  # a failed partition is reported on its documents
                )
            )
            client = stack.enter_context(Client(cluster))
            threads = workers
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError) as exc:
                raise ScaleError("scheduler", f"{scheduler}: {exc}") from exc
            threads = sum(client.nthreads().values()) or 2
        limit = job.max_in_flight or 2 * threads
        log.info("coding on %s, %d partitions of %d in flight", client, limit, job.partition_size)
        yield from _stream(client, docs, job, limit)


def _stream(
    client: Any, docs: Iterable[Document], job: _Job, limit: int
) -> Iterator[tuple[Document, list[Event]]]:
    pending: deque[_Partition] = deque()
    source = iter(docs)
    try:
        while True:
            part = _take(source, job.partition_size, partition_chars(job.settings))
            if part:
                pending.append(_submit(client, part, job))
            while pending and (len(pending) >= limit or not part):
                yield from _collect(client, pending.popleft(), job)
            if not part:
                return
    finally:
        for p in pending:  # stopped early: the cluster need not finish these
            if p.future is not None:
                p.future.cancel()


def partition_chars(settings: Settings) -> int:
    """The most characters of text in one partition: four spaCy batches of ``batch_tokens`` tokens
    (about five characters each), so that a worker's memory follows the same budget as one process."""
    return 4 * 5 * settings.batch_tokens


def _take(source: Iterator[Document], size: int, chars: int) -> list[Document]:
    """The next documents: at most ``size`` of them and ``chars`` characters (at least one document)."""
    part: list[Document] = []
    total = 0
    for doc in source:
        part.append(doc)
        total += len(doc.text or "")
        if len(part) >= size or total >= chars:
            break
    return part


def _submit(client: Any, part: list[Document], job: _Job) -> _Partition:
    p = _Partition(part, [d.ok for d in part])
    to_code = [d for d in part if d.ok]
    if to_code:
        p.future = client.submit(code_partition, to_code, job.settings, job.coder, pure=False)
    return p


def _collect(client: Any, p: _Partition, job: _Job) -> Iterator[tuple[Document, list[Event]]]:
    to_code = [d for d, flag in zip(p.docs, p.to_code, strict=True) if flag]
    outcomes: list[Outcome | BaseException] = []
    if p.future is not None:
        try:
            outcomes = list(p.future.result())
        except Exception as exc:
            _check_connection(client, exc)
            log.warning("a partition of %d documents failed (%s): coding them one by one", len(to_code), exc)
            outcomes = _one_by_one(client, to_code, job, worker_died=_worker_died(exc))
    results = iter(outcomes)
    for doc, flag in zip(p.docs, p.to_code, strict=True):
        if not flag:
            yield doc, []
            continue
        outcome = next(results)
        if isinstance(outcome, BaseException):
            log.error("coding failed for %s on the cluster: %s", doc.doc_id, outcome)
            doc.status, doc.reason = STATUS_FAILED, f"coding error: {type(outcome).__name__}: {outcome}"
            yield doc, []
            continue
        doc.status, doc.reason, warnings, events = outcome
        doc.warnings[:] = warnings
        yield doc, events


def _one_by_one(
    client: Any, docs: list[Document], job: _Job, worker_died: bool
) -> list[Outcome | BaseException]:
    """The retry of a failed partition: each document alone, so that one bad document fails alone.

    After an exception the documents are submitted together. After a worker death they go one at a
    time: a document that kills its worker would otherwise take the documents queued on it along.
    """
    out: list[Outcome | BaseException] = []
    futures = [] if worker_died else [_submit_one(client, d, job) for d in docs]
    for i, d in enumerate(docs):
        f = _submit_one(client, d, job) if worker_died else futures[i]
        try:
            out.append(f.result()[0])
        except Exception as exc:
            _check_connection(client, exc)
            out.append(exc)
    return out


def _submit_one(client: Any, doc: Document, job: _Job) -> Any:
    return client.submit(code_partition, [doc], job.settings, job.coder, pure=False)


def _worker_died(exc: BaseException) -> bool:
    from distributed import KilledWorker

    return isinstance(exc, KilledWorker)


def _check_connection(client: Any, exc: BaseException) -> None:
    """A lost scheduler is not a bad document: stop rather than fail every document that follows."""
    if client.status != "running":
        raise ScaleError("lost", f"{type(exc).__name__}: {exc}") from exc
