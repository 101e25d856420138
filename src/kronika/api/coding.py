"""Coding pasted text for the API, in two lanes so that a short text never waits behind a long one.

Texts up to ``SHORT_TEXT`` characters are coded in the server process, one at a time (spaCy
pipelines are not documented as thread-safe; the server runs sync endpoints in a thread pool).
Longer texts go to a worker process of their own (started, and its model loaded, by the first long
text). Each lane takes at most ``MAX_WAITING`` requests at a time and a request waits at most
``WAIT_SECONDS`` for its turn: beyond that the client gets 503 with ``Retry-After`` instead of a
hanging connection.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import threading
from typing import Any

from kronika.config import Settings

SHORT_TEXT = 20_000
MAX_WAITING = 4
WAIT_SECONDS = 30.0
LONG_TIMEOUT = 300.0


class CoderBusy(RuntimeError):
    """The lane a text belongs to is full, or the text waited too long for its turn."""


def _code(text: str, pub_date: dt.date | None, settings: Settings | None) -> dict[str, Any]:
    """The text's records, and its status: ``failed`` with the reason when it could not be coded
    (its time budget ran out, say), so that an empty list is never mistaken for "no events"."""
    from kronika.document import Document
    from kronika.pipeline import code_documents  # spaCy is imported by the first request that needs it

    document = Document(doc_id="text", text=text, pub_date=pub_date)
    records: list[dict[str, Any]] = []
    for coded, events in code_documents([document], settings):
        records.extend(e.to_dict() for e in events)
        document = coded
    return {"records": records, "status": document.status, "reason": document.reason}


class _Lane:
    """At most MAX_WAITING requests, coded one at a time, in this process or in a worker process."""

    def __init__(self, name: str, in_process: bool) -> None:
        self.name = name
        self.in_process = in_process
        self._turn = threading.Lock()
        self._count = threading.Lock()
        self._waiting = 0
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def code(self, text: str, pub_date: dt.date | None, settings: Settings | None) -> dict[str, Any]:
        with self._count:
            if self._waiting >= MAX_WAITING:
                raise CoderBusy(f"{MAX_WAITING} {self.name} texts are being coded already")
            self._waiting += 1
        try:
            if not self._turn.acquire(timeout=WAIT_SECONDS):
                raise CoderBusy(f"no turn to code a {self.name} text within {WAIT_SECONDS:.0f} s")
            try:
                if self.in_process:
                    return _code(text, pub_date, settings)
                return self._worker().submit(_code, text, pub_date, settings).result(timeout=LONG_TIMEOUT)
            except concurrent.futures.TimeoutError:
                self._restart()
                raise CoderBusy(f"coding the {self.name} text took over {LONG_TIMEOUT:.0f} s") from None
            finally:
                self._turn.release()
        finally:
            with self._count:
                self._waiting -= 1

    def _worker(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
        return self._pool

    def _restart(self) -> None:
        """Drop a worker that ran over its time (the next long text starts a fresh one)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)


_LANES = {"short": _Lane("short", in_process=True), "long": _Lane("long", in_process=False)}


def code_text(
    text: str, pub_date: dt.date | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """The PLOVER records coded from ``text`` (nothing is stored) with the text's status and reason;
    CoderBusy when its lane is full."""
    lane = _LANES["short" if len(text) <= SHORT_TEXT else "long"]
    return lane.code(text, pub_date, settings)
