"""What the commands share: the date option, the per-document error report and the scale-out options."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any, TextIO

import typer

from kronika.document import STATUS_FAILED, Document


def document_line(doc: Document) -> str:
    """A document's record as one JSON line (no newline)."""
    return json.dumps(doc.to_dict(), ensure_ascii=False)


def parse_day(value: str | None, expected: str) -> dt.date | None:
    """``value`` as a YYYY-MM-DD date; a usage error (exit status 2) that starts with ``expected`` if not."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{expected}, got {value!r}") from exc


def date_option(value: str | None) -> str | None:
    """A ``--from``/``--to`` bound of the store commands, checked before anything is opened: one the
    store cannot read ("9999999999", "2016-02-30") is a usage error (exit status 2)."""
    from kronika.store.query import date_bound
    from kronika.store.schema import StoreError

    try:
        date_bound(value)
    except StoreError as exc:
        raise typer.BadParameter(str(exc)) from exc
    return value


DateFrom = Annotated[str | None, typer.Option("--from", help="YYYY[-MM[-DD]]", callback=date_option)]
DateTo = Annotated[str | None, typer.Option("--to", help="YYYY[-MM[-DD]]", callback=date_option)]


class ErrorReport:
    """The failed documents of a batch: each one is reported, and counted for ``--strict``.

    A failed document gets the line ``message(doc)`` on stderr and, with ``--errors FILE``, the JSON
    line ``record(doc)`` in FILE (opened on entering the ``with`` block, closed on leaving it).
    """

    def __init__(
        self,
        errors: Path | None,
        message: Callable[[Document], str],
        record: Callable[[Document], str],
    ) -> None:
        self.errors = errors
        self.message = message
        self.record = record
        self.n_failed = 0
        self._sink: TextIO | None = None

    def __enter__(self) -> ErrorReport:
        if self.errors is not None:
            self._sink = self.errors.open("w", encoding="utf-8")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None

    def check(self, doc: Document) -> None:
        """Report ``doc`` if it failed."""
        if doc.status != STATUS_FAILED:
            return
        self.n_failed += 1
        typer.echo(self.message(doc), err=True)
        if self._sink is not None:
            self._sink.write(self.record(doc) + "\n")

    def exit_status(self, strict: bool) -> None:
        """With ``strict``, exit with status 1 when any document failed."""
        if strict and self.n_failed:
            raise typer.Exit(1)


# Earlier spelling of -o/--output, still accepted.
# The arguments and options of every command that reads documents.
Inputs = Annotated[list[str], typer.Argument(metavar="INPUT...", help='Files, folders, or "-" for stdin.')]
JsonlOutput = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write the JSON Lines here (default: stdout).")
]
PubDate = Annotated[
    str | None,
    typer.Option("--pub-date", help="Publication date (YYYY-MM-DD) of every document (overrides)."),
]
Strict = Annotated[bool, typer.Option("--strict", help="Exit with 1 when any document failed.")]
ErrorsFile = Annotated[
    Path | None, typer.Option("--errors", help="Also write the failed documents' records here (JSON Lines).")
]
OldOut = Annotated[Path | None, typer.Option("--out", hidden=True, help="Same as --output.")]


def output_option(help: str) -> Any:
    """The ``-o/--output FILE`` option every command that writes a file has."""
    return typer.Option("-o", "--output", help=help)


Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar (none is drawn when stderr is not a terminal).")
]
Workers = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        help="Code on N processes of a local Dask cluster (needs the scale extra; 1: this process).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Code on the running Dask cluster at ADDRESS, e.g. tcp://host:8786."),
]


def check_scale_out(workers: int, scheduler: str | None) -> None:
    """Say before starting when ``--workers``/``--scheduler`` cannot be honoured (no Dask installed)."""
    if workers == 1 and scheduler is None:
        return
    from kronika.scale import MESSAGES, dask_available

    if dask_available():
        return
    if scheduler is not None:
        raise typer.BadParameter(f"--scheduler: {MESSAGES['no-dask']}")
    typer.echo(f"kronika: --workers {workers}: {MESSAGES['no-dask']}; coding in one process", err=True)
