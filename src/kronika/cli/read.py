"""CLI commands of this area (registered on the main app): ``kronika read``."""

from __future__ import annotations

import sys
from contextlib import ExitStack

import typer

from kronika.cli._common import (
    ErrorReport,
    ErrorsFile,
    Inputs,
    JsonlOutput,
    PubDate,
    Strict,
    document_line,
    parse_day,
)
from kronika.document import Document

READ_HELP = (
    "Read articles into clean documents: one JSON record per input document.\n\n"
    "INPUT is a file (.txt, .html/.htm, .jsonl, .json, .csv, .tsv, .warc, any of them .gz), a folder "
    '(read recursively, hidden files skipped) or "-" for stdin. Every input document gets exactly one '
    "record with status ok, skipped (e.g. not English) or failed (with a reason); failed ones are also "
    "reported on stderr.\n\n"
    "Exit codes: 0 done (also when documents failed, unless --strict); 1 with --strict when any "
    "document failed; 2 usage error (bad option or date)."
)


def read_command(
    inputs: Inputs,
    output: JsonlOutput = None,
    pub_date: PubDate = None,
    strict: Strict = False,
    errors: ErrorsFile = None,
) -> None:
    from kronika.read import read_inputs

    date = parse_day(pub_date, "expected YYYY-MM-DD")
    with ExitStack() as stack:
        out = stack.enter_context(open(output, "w", encoding="utf-8")) if output else sys.stdout
        report = stack.enter_context(ErrorReport(errors, _error_message, document_line))
        for doc in read_inputs(inputs, pub_date=date):
            out.write(document_line(doc) + "\n")
            report.check(doc)
    report.exit_status(strict)


def _error_message(doc: Document) -> str:
    where = f" ({doc.path})" if doc.path else ""
    return f"kronika read: failed: {doc.doc_id}{where}: {doc.reason}"


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command("read", help=READ_HELP)(read_command)
