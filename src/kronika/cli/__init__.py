"""The ``kronika`` command: thin front ends over the library, one module per area."""

from __future__ import annotations

from typing import Annotated

import typer

from kronika.cli.help import Group

app = typer.Typer(
    cls=Group,
    add_completion=False,
    no_args_is_help=True,
    help="Kronika: raw news in, PLOVER/CAMEO event data out.",
)


def _version(value: bool) -> None:
    if value:
        from kronika import __version__

        typer.echo(f"kronika {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Kronika: raw news in, PLOVER/CAMEO event data out."""

from kronika.cli import check as _check  # noqa: E402
from kronika.cli import code as _code  # noqa: E402
from kronika.cli import evaluate as _evaluate  # noqa: E402
from kronika.cli import places as _places  # noqa: E402
from kronika.cli import plots as _plots  # noqa: E402
from kronika.cli import read as _read  # noqa: E402
from kronika.cli import serve as _serve  # noqa: E402
from kronika.cli import store as _store  # noqa: E402

for _module in (_check, _code, _evaluate, _places, _read, _serve, _store, _plots):
    _module.register(app)
