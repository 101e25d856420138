"""``kronika map``: where the stored events happened, as a table or drawn on the world outline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kronika.cli._common import DateFrom, DateTo
from kronika.cli.tables import number
from kronika.store.schema import StoreError

Db = Annotated[
    Path | None, typer.Option("--db", help="Event store file (default: $KRONIKA_DB or kronika.duckdb).")
]


def map_cmd(
    actor: Annotated[
        str | None, typer.Option("--actor", help="Name, alias or code (RUS, 'RUS GOV').")
    ] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", help="Name, alias or code.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. CONSULT.")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Draw the places: FILE.png, FILE.svg or FILE.html.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: Db = None,
) -> None:
    """The places of the events (with coordinates), most events first; --plot draws them on a map."""
    import json

    from kronika.store.geo import event_places
    from kronika.store.plot import plot_places

    try:
        places = event_places(
            db, actor=actor, recipient=recipient, type=type, date_from=date_from, date_to=date_to
        )
        if plot is not None:
            plot_places(places, plot, title="Event places")
    except StoreError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(places, ensure_ascii=False, indent=2))
    elif plot is not None:
        typer.echo(f"{len(places)} places → {plot}")
    else:
        Console().print(_places_table(places))


def _places_table(places: list[dict]) -> Table:
    table = Table(title=f"{len(places)} places", title_justify="left")
    for col, justify in (
        ("place", "left"),
        ("country", "left"),
        ("kind", "left"),
        ("lat", "right"),
        ("lon", "right"),
        ("events", "right"),
        ("mentions", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for p in places:
        where = "~" if p["approximate"] else ""
        table.add_row(
            p["name"],
            p["country"] or "",
            p["kind"] or "",
            where + number(p["lat"]),
            where + number(p["lon"]),
            number(p["events"]),
            number(p["mentions"]),
        )
    return table


def register(app: typer.Typer) -> None:
    app.command("map")(map_cmd)
