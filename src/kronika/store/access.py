"""Opening the store file beside other processes: DuckDB's single-writer rule, with bounded waits.

DuckDB lets one process write a database file, or several processes read it, never both at once.
Kronika keeps every hold on the file short so that an ingest and a server can share it: ``kronika
ingest`` opens the file for writing only while it commits a batch (coding happens with the file
closed), and the API opens it read-only for each request. Whoever finds the file locked waits —
polling, up to a bounded time — and then gives up with :class:`StoreBusy`, whose message names no
path and no process.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import duckdb

from kronika.store.schema import StoreError

log = logging.getLogger(__name__)

# How long a reader (a query, an API request) waits for a writer to finish its batch, and how long a
# writer (an ingest batch) waits for readers to let go, in seconds.
READ_WAIT = 5.0
WRITE_WAIT = 60.0
_POLL = (0.005, 0.2)  # first and longest pause between attempts


class StoreBusy(StoreError):
    """The store file is locked by another process (an ingest writing, or readers while one writes)."""

    def __init__(self, waited: float, read_only: bool) -> None:
        doing = "reading" if read_only else "writing"
        other = "an ingest is committing to it" if read_only else "other processes are reading it"
        super().__init__(
            f"the event store is busy: {other}; waited {waited:.1f} s before {doing}. Try again in a moment"
        )


def is_lock_error(exc: duckdb.Error) -> bool:
    """Whether DuckDB refused to open the file because another process holds its lock."""
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def open_file(path: str, read_only: bool, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store file, waiting up to ``wait`` seconds (default READ_WAIT or WRITE_WAIT) while
    another process holds its lock; StoreBusy after that, StoreError for any other failure."""
    budget = (READ_WAIT if read_only else WRITE_WAIT) if wait is None else wait
    start = time.monotonic()
    pause = _POLL[0]
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            waited = time.monotonic() - start
            if not is_lock_error(exc):
                raise StoreError(f"cannot open the event store {path}: {exc}") from exc
            if waited + pause > budget:
                raise StoreBusy(waited, read_only) from exc
        time.sleep(pause)
        pause = min(pause * 2, _POLL[1])


_PID = re.compile(r"\s*\(PID \d+\)")
_PATH = re.compile(r"""(?:[A-Za-z]:)?(?:[\\/][^\s'"\\/:]+)+[\\/]?""")


def public_message(message: str, db: str | Path | None = None) -> str:
    """``message`` fit to show to a client: the store's path as its file name, no other paths, no PIDs."""
    if db is not None and str(db) not in ("", ":memory:"):
        message = message.replace(str(db), Path(db).name)
    message = _PID.sub("", message)
    return _PATH.sub(lambda m: Path(m.group()).name or "…", message)
