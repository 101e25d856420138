"""CLI command of the knowledge layer: ``kronika check-data``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kronika.config import DATA_DIR

CHECK_HELP = (
    "Check knowledge folders (same layout as the packaged data/) before using them.\n\n"
    "Each FOLDER is read over the packaged knowledge, in order, as $KRONIKA_DATA would be. Every "
    "problem is printed at once, as FILE:LINE: entry ..., field ...: message.\n\n"
    "Exit codes: 0 every file is valid (a summary of the entries per file is printed); 1 a problem "
    "was found; 2 usage error (a folder that does not exist)."
)


def check_data_command(
    folders: Annotated[list[Path], typer.Argument(metavar="FOLDER...", help="Knowledge folders to check.")],
) -> None:
    from kronika.knowledge import Knowledge, KnowledgeErrors

    for folder in folders:
        if not folder.is_dir():
            raise typer.BadParameter(f"{folder} is not a folder", param_hint="FOLDER")
    try:
        summary = Knowledge([DATA_DIR, *folders]).check()
    except KnowledgeErrors as exc:
        for err in exc.errors:
            typer.echo(str(err), err=True)
        n = len(exc.errors)
        typer.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)
        raise typer.Exit(1) from exc
    ours = {str(f) for f in folders}
    for kind, files in summary.items():
        for name, n in files.items():
            mine = any(name.startswith(f) for f in ours)
            if mine or not ours:
                typer.echo(f"{name}: {n} {'entry' if n == 1 else 'entries'} ({kind})")
    typer.echo("no problems found")


def register(app: typer.Typer) -> None:
    app.command("check-data", help=CHECK_HELP)(check_data_command)
