"""CLI commands of this area (registered on the main app): ``kronika read``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

READ_HELP = (
    "Read articles into clean documents: one JSON record per input document.\n\n"
    "INPUT is a file (.txt, .html/.htm, .jsonl, .json, .csv, .tsv, .warc, any of them .gz), a folder "
    '(read recursively, hidden files skipped) or "-" for stdin. Every input document gets exactly one '
    "record with status ok, skipped (e.g. not English) or failed (with a reason); failed ones are also "
    "reported on stderr.\n\n"
    "Exit codes: 0 done (also when documents failed, unless --strict); 1 with --strict when any "
    "document failed; 2 usage error (bad option or date)."
)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from exc


def read_command(
    inputs: Annotated[
        list[str], typer.Argument(metavar="INPUT...", help='Files, folders, or "-" for stdin.')
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the JSON Lines here (default: stdout).")
    ] = None,
    pub_date: Annotated[
        str | None,
        typer.Option(
            "--pub-date",
            help="Publication date (YYYY-MM-DD) of every document; overrides dates in the inputs.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with 1 when any document failed.")] = False,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Also write the failed documents' records here.")
    ] = None,
) -> None:
    from kronika.read import read_inputs

    date = _parse_date(pub_date)
    n_failed = 0
    with ExitStack() as stack:
        out = stack.enter_context(open(output, "w", encoding="utf-8")) if output else sys.stdout
        err_out = stack.enter_context(open(errors, "w", encoding="utf-8")) if errors else None
        for doc in read_inputs(inputs, pub_date=date):
            line = json.dumps(doc.to_dict(), ensure_ascii=False)
            out.write(line + "\n")
            if doc.status == "failed":
                n_failed += 1
                where = f" ({doc.path})" if doc.path else ""
                typer.echo(f"kronika read: failed: {doc.doc_id}{where}: {doc.reason}", err=True)
                if err_out is not None:
                    err_out.write(line + "\n")
    if strict and n_failed:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command("read", help=READ_HELP)(read_command)
