"""Progress of long commands on stderr: a bar with the total, the rate and the time left.

Shown only when stderr is a terminal and ``--quiet`` is not given, so pipes, logs and tests get the
plain output alone. The total is counted before the run from the inputs (one document per text or
HTML file, one per line of a JSON Lines or CSV file); inputs whose documents cannot be counted
cheaply (stdin, WARC, JSON) leave the total open.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from kronika.read.formats import Item
from kronika.read.sources import STDIN, iter_paths, split_name

T = TypeVar("T")

# Files of one document each, and files of one document per line (the first CSV line is the header).
_LINE_FORMATS = {".jsonl": 0, ".ndjson": 0, ".csv": 1, ".tsv": 1}


class RateColumn(ProgressColumn):
    """Documents (or rows) per second."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} {self.unit}/s", style="progress.data.speed")


def _count_lines(path: Path) -> int:
    stream = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    with stream:
        return sum(1 for line in stream if line.strip())


def count_documents(inputs: Iterable[str | Path]) -> int | None:
    """How many documents ``inputs`` hold, as ``kronika.read`` will read them; ``None`` if unknown."""
    total = 0
    for target in iter_paths(inputs):
        if target == STDIN:
            return None
        if isinstance(target, Item):
            total += 1  # an unreadable or empty folder: one status line
            continue
        path = Path(target)
        if not path.is_file():
            total += 1  # reported as a missing input, one line each
            continue
        _stem, ext, _ = split_name(path.name)
        if ext in _LINE_FORMATS:
            total += max(0, _count_lines(path) - _LINE_FORMATS[ext])
        elif ext in (".warc", ".json", ""):
            return None
        else:
            total += 1
    return total


def enabled(quiet: bool) -> bool:
    """Whether to draw progress: not with ``--quiet``, not when stderr is not a terminal."""
    return not quiet and Console(stderr=True).is_terminal


def bar(label: str, unit: str = "docs", console: Console | None = None) -> Progress:
    """A progress bar on stderr: label, bar, done/total, rate, elapsed and remaining time, status."""
    return Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}", style="dim"),
        console=console or Console(stderr=True),
        transient=False,
    )


class Ticker:
    """Moves one task of a bar; does nothing when there is no bar (quiet, or not a terminal)."""

    def __init__(self, progress: Progress | None, total: int | None, status: str = "") -> None:
        self.progress = progress
        self.task = progress.add_task("", total=total, status=status) if progress is not None else None
        self.done = 0

    def advance(self, n: int = 1, status: str | None = None) -> None:
        self.done += n
        self.update(status if status is not None or self.done > n else "")

    def update(self, status: str | None = None, **fields: Any) -> None:
        if self.progress is None or self.task is None:
            return
        if status is not None:
            fields["status"] = status if len(status) <= 36 else status[:35] + "…"
        self.progress.update(self.task, completed=self.done, **fields)

    def finish(self) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, total=self.done, completed=self.done)

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, advancing the bar by one for each."""
        for item in items:
            yield item
            self.advance()


@contextmanager
def progress(
    label: str, total: int | None, quiet: bool, unit: str = "docs", status: str = "loading the language model"
) -> Iterator[Ticker]:
    """A ``Ticker`` over a bar on stderr for the length of the ``with`` block (none if not enabled);
    ``status`` says what happens until the first document is done."""
    if not enabled(quiet):
        yield Ticker(None, total)
        return
    with bar(label, unit) as shown:
        ticker = Ticker(shown, total, status)
        try:
            yield ticker
        finally:
            ticker.finish()


def ingest_progress(ticker: Ticker) -> Callable[[int, int | None, str], None]:
    """The ``on_progress`` of ``store.ingest`` for a bar that counts coded documents itself: documents
    stored unchanged advance it, and the status says what the run does."""

    def update(_done: int, _total: int | None, status: str) -> None:
        if status.startswith("unchanged"):
            ticker.advance(1, status)
        else:
            ticker.update(status)

    return update


def _rows_to_export(db: Any, table: str) -> int | None:
    from kronika.store.schema import StoreError, open_store

    try:
        with open_store(db, read_only=True) as con:
            row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    except (StoreError, Exception):  # the export itself reports what is wrong
        return None
    return int(row[0]) if row else None


@contextmanager
def export_progress(db: Any, table: str, out: Path, quiet: bool) -> Iterator[None]:
    """A bar for an export of ``table``: its rows in all, done when the file is written."""
    if not enabled(quiet):
        yield
        return
    total = _rows_to_export(db, table)
    with bar(f"export → {Path(out).name}", "rows") as shown:
        task = shown.add_task("", total=total, status="")
        yield
        shown.update(task, completed=total or 0, total=total)
