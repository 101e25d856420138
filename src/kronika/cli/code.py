"""``kronika code`` and ``kronika demo``: thin front ends over the coding library."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Annotated, TextIO

import typer

from kronika.cli._common import (
    ErrorReport,
    ErrorsFile,
    OldOut,
    PubDate,
    Quiet,
    Scheduler,
    Strict,
    Workers,
    check_scale_out,
    output_option,
    parse_day,
)
from kronika.config import Settings
from kronika.document import Document
from kronika.schema.record import EVENT

EXIT_HELP = (
    "Exit status: 0 when every document was read (documents that failed are reported on stderr and in "
    "--errors); 1 with --strict when any document failed, or when the Dask cluster of --scheduler cannot be "
    "reached; 2 for usage errors (bad option, no input)."
)

# The flat CSV of ``--format csv``: columns and flattening come from the record declaration.
CSV_COLUMNS = EVENT.csv_header()
_flat = EVENT.csv_row


class _Writer:
    def __init__(self, out: TextIO, fmt: str) -> None:
        self.fmt = fmt
        self.out = out
        self.csv = csv.DictWriter(out, fieldnames=CSV_COLUMNS) if fmt == "csv" else None
        if self.csv:
            self.csv.writeheader()

    def write(self, record: dict) -> None:
        if self.csv:
            self.csv.writerow(_flat(record))
        else:
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _check_knowledge(settings: Settings) -> None:
    """Refuse to start on a bad knowledge file: the first problem, naming file, entry and field."""
    from kronika.knowledge import KnowledgeErrors, load_knowledge

    try:
        load_knowledge(settings).check()
    except KnowledgeErrors as exc:
        more = len(exc.errors) - 1
        tail = f" (and {more} more; run kronika check-data)" if more else ""
        typer.echo(f"error: {exc.first}{tail}", err=True)
        raise typer.Exit(2) from exc


def register(app: typer.Typer) -> None:
    @app.command("code", epilog=EXIT_HELP)
    def code_cmd(
        inputs: Annotated[
            list[str], typer.Argument(help="Files, directories, .jsonl files, or - for stdin.")
        ],
        output: Annotated[Path | None, output_option("Output file (default: stdout).")] = None,
        fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
        pub_date: PubDate = None,
        errors: ErrorsFile = None,
        strict: Strict = False,
        min_confidence: Annotated[
            float | None,
            typer.Option(
                "--min-confidence",
                min=0.0,
                max=1.0,
                help="Leave out events less likely right than this (default: the operating point, "
                "$KRONIKA_MIN_CONFIDENCE or 0.2; 0 keeps every event found).",
            ),
        ] = None,
        workers: Workers = 1,
        scheduler: Scheduler = None,
        quiet: Quiet = False,
        out: OldOut = None,
    ) -> None:
        """Code articles into PLOVER event records (one JSON object per event)."""
        from kronika.cli.progress import count_documents, progress
        from kronika.read import read_inputs
        from kronika.scale import ScaleError, code_documents_distributed

        if fmt not in ("jsonl", "csv"):
            raise typer.BadParameter("--format must be jsonl or csv")
        day = parse_day(pub_date, "--pub-date must be YYYY-MM-DD")
        settings = Settings() if min_confidence is None else Settings(min_confidence=min_confidence)
        _check_knowledge(settings)
        check_scale_out(workers, scheduler)
        out = output or out
        with ExitStack() as stack:
            sink = stack.enter_context(out.open("w", encoding="utf-8", newline="")) if out else sys.stdout
            report = stack.enter_context(ErrorReport(errors, _error_message, _error_record))
            writer = _Writer(sink, fmt)
            coded = stack.enter_context(
                closing(
                    code_documents_distributed(
                        read_inputs(inputs, settings, pub_date=day),
                        settings,
                        workers=workers,
                        scheduler=scheduler,
                    )
                )
            )
            # no bar between records printed on the same terminal
            quiet = quiet or (out is None and sys.stdout.isatty())
            ticker = stack.enter_context(progress("code", count_documents(inputs), quiet))
            try:
                for doc, events in ticker.counted(coded):
                    report.check(doc)
                    for e in events:
                        writer.write(e.to_dict())
            except ScaleError as exc:
                typer.echo(f"kronika: {exc}", err=True)
                raise typer.Exit(1) from exc
        report.exit_status(strict)

    @app.command("demo")
    def demo_cmd(
        output: Annotated[Path | None, output_option("Write the events here as JSON Lines.")] = None,
        out: OldOut = None,
    ) -> None:
        """Code the built-in example articles and show the events found."""
        from kronika.demo import run_demo

        run_demo(output or out)


def _error_message(doc: Document) -> str:
    return f"kronika: {doc.doc_id}: {doc.reason}"


def _error_record(doc: Document) -> str:
    return json.dumps({"doc_id": doc.doc_id, "path": doc.path, "status": doc.status, "reason": doc.reason})
