"""CLI commands of the event store: ingest, events, timeline, network, stats, export."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from kronika.cli._common import (
    DateFrom,
    DateTo,
    OldOut,
    Quiet,
    Scheduler,
    Workers,
    check_scale_out,
    output_option,
)
from kronika.cli.progress import export_progress, ingest_progress
from kronika.cli.tables import print_stats
from kronika.store.counts import counts
from kronika.store.export import FORMATS, export
from kronika.store.filters import EventFilter
from kronika.store.ingest import DEFAULT_COMMIT_EVERY, ingest
from kronika.store.network import network, write_network
from kronika.store.query import events, stats, timeline
from kronika.store.schema import StoreError

Db = Annotated[
    Path | None, typer.Option("--db", help="Event store file (default: $KRONIKA_DB or kronika.duckdb).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]

From = DateFrom
To = DateTo
# The largest row count a query takes (DuckDB's LIMIT is a signed 64-bit number).
MAX_ROWS = 2**62
Type = Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. CONSULT.")]
Actor = Annotated[str | None, typer.Option("--actor", help="Name, alias or code (RUS, 'RUS GOV').")]
Recipient = Annotated[str | None, typer.Option("--recipient", help="Name, alias or code.")]
Mode = Annotated[str | None, typer.Option("--mode", help="PLOVER mode, e.g. air.")]
Modality = Annotated[
    str | None, typer.Option("--modality", help="asserted, negated, future, hypothetical or historical.")
]
MinConfidence = Annotated[
    float | None, typer.Option("--min-confidence", min=0.0, max=1.0, help="Lowest event confidence.")
]
Place = Annotated[str | None, typer.Option("--place", help="Place name, in the event or its sentences.")]
Country = Annotated[str | None, typer.Option("--country", help="Country code of the event's place (SYR).")]
AllEvents = Annotated[
    bool,
    typer.Option("--all", help="Every event, with its modality (default: asserted, at the operating point)."),
]


def _filter(
    actor: str | None = None,
    recipient: str | None = None,
    type: str | None = None,
    mode: str | None = None,
    modality: str | None = None,
    min_confidence: float | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    country: str | None = None,
) -> EventFilter:
    return EventFilter(
        actor, recipient, type, mode, modality, min_confidence, date_from, date_to, place, country
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))


def _fail(exc: Exception) -> None:
    Console(stderr=True).print(f"[red]error:[/red] {exc}")
    raise typer.Exit(code=1)


def _event_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for col in ("date", "event", "actor", "recipient", "n_sources", "sources"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r.get("date") or ""),
            str(r.get("event") or ""),
            str(r.get("actor") or ""),
            str(r.get("recipient") or ""),
            str(r.get("n_sources") or 0),
            ", ".join(r.get("sources") or []),
        )
    return table


def ingest_cmd(
    inputs: Annotated[list[Path], typer.Argument(help="Files, folders or archives of articles.")],
    db: Db = None,
    commit_every: Annotated[
        int, typer.Option(min=1, help="Documents per transaction.")
    ] = DEFAULT_COMMIT_EVERY,
    as_json: Json = False,
    quiet: Quiet = False,
    workers: Workers = 1,
    scheduler: Scheduler = None,
) -> None:
    """Read, code and store articles into the event store (idempotent, resumable)."""
    from kronika.cli.progress import count_documents, progress
    from kronika.pipeline import code_documents
    from kronika.scale import ScaleError, code_documents_distributed

    check_scale_out(workers, scheduler)
    coder: Callable[..., Any] = code_documents
    if workers > 1 or scheduler is not None:
        coder = functools.partial(code_documents_distributed, workers=workers, scheduler=scheduler)
    try:
        with progress("ingest", count_documents(inputs), quiet) as ticker:
            report = ingest(
                inputs,
                db,
                on_progress=ingest_progress(ticker),
                commit_every=commit_every,
                coder=lambda docs, **kw: ticker.counted(coder(docs, **kw)),
            )
    except (StoreError, ScaleError) as exc:
        _fail(exc)
    if as_json:
        _print_json(report.to_dict())
        return
    typer.echo(
        f"{report.documents_seen} documents: {report.documents_new} new, "
        f"{report.documents_updated} updated, {report.documents_unchanged} unchanged; "
        f"{report.mentions_added} mentions added; {report.events_total} events in {report.db_path} "
        f"({report.seconds:.1f} s)"
    )


def events_cmd(
    actor: Actor = None,
    recipient: Recipient = None,
    type: Type = None,
    mode: Mode = None,
    modality: Modality = None,
    min_confidence: MinConfidence = None,
    date_from: From = None,
    date_to: To = None,
    place: Place = None,
    country: Country = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, max=MAX_ROWS, help="At most this many events.")
    ] = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """List events (one per real-world event) matching the filters, newest first."""
    chosen = _filter(
        actor, recipient, type, mode, modality, min_confidence, date_from, date_to, place, country
    )
    try:
        rows = events(db, limit=limit, filters=chosen)
    except StoreError as exc:
        _fail(exc)
    if as_json:
        _print_json(rows)
    else:
        Console().print(_event_table(rows, f"{len(rows)} events"))


def timeline_cmd(
    a: Annotated[str, typer.Argument(help="Actor: name, alias or code.")],
    b: Annotated[str | None, typer.Argument(help="Second actor: the pair's history, either way.")] = None,
    type: Type = None,
    mode: Mode = None,
    modality: Modality = None,
    min_confidence: MinConfidence = None,
    date_from: From = None,
    date_to: To = None,
    place: Place = None,
    country: Country = None,
    as_json: Json = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw it: FILE.png, FILE.svg or FILE.html (events per period)."),
    ] = None,
    db: Db = None,
) -> None:
    """The dated history of an actor, or of a pair of actors."""
    title = f"{a} – {b}" if b else a
    chosen = _filter(None, None, type, mode, modality, min_confidence, date_from, date_to, place, country)
    try:
        rows = timeline(db, a, b, filters=chosen)
        if plot is not None:
            from kronika.store.plot import plot_timeline

            plot_timeline(rows, plot, title=title)
    except StoreError as exc:
        _fail(exc)
    if as_json:
        _print_json(rows)
    elif plot is None:
        Console().print(_event_table(rows, title))


def network_cmd(
    output: Annotated[
        Path | None, output_option("FILE.graphml or FILE.gexf, or a drawing: FILE.png, FILE.svg, FILE.html")
    ] = None,
    date_from: From = None,
    date_to: To = None,
    type: Type = None,
    actor: Actor = None,
    recipient: Recipient = None,
    mode: Mode = None,
    modality: Modality = None,
    min_confidence: MinConfidence = None,
    place: Place = None,
    country: Country = None,
    all_events: AllEvents = False,
    as_json: Json = False,
    db: Db = None,
    old_out: OldOut = None,
) -> None:
    """Write the actor network (one node per actor; edges weighted by events and mean PLOVER scale)."""
    out = output or old_out
    if out is None:
        raise typer.BadParameter("give the file to write: -o FILE.graphml (or .gexf, .png, .svg, .html)")
    chosen = _filter(
        actor, recipient, type, mode, modality, min_confidence, date_from, date_to, place, country
    )
    try:
        g = network(db, filters=chosen, all_events=all_events)
        write_network(g, out)
    except StoreError as exc:
        _fail(exc)
    if as_json:
        _print_json({"out": str(out), "nodes": g.number_of_nodes(), "edges": g.number_of_edges()})
        return
    typer.echo(f"{g.number_of_nodes()} actors, {g.number_of_edges()} edges → {out}")


def counts_cmd(
    by: Annotated[str, typer.Option("--by", help="day | week | month | year")] = "month",
    dyad: Annotated[bool, typer.Option("--dyad", help="One row per actor–recipient pair.")] = False,
    by_type: Annotated[bool, typer.Option("--type", help="One row per event type.")] = False,
    quad: Annotated[bool, typer.Option("--quad", help="One row per quad class.")] = False,
    event_type: Annotated[str | None, typer.Option("--event-type", help="Only this PLOVER type.")] = None,
    actor: Actor = None,
    recipient: Recipient = None,
    mode: Mode = None,
    modality: Modality = None,
    min_confidence: MinConfidence = None,
    date_from: From = None,
    date_to: To = None,
    place: Place = None,
    country: Country = None,
    all_events: AllEvents = False,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Events per day, week or month (newest first), per dyad, type or quad class."""
    chosen = _filter(
        actor, recipient, event_type, mode, modality, min_confidence, date_from, date_to, place, country
    )
    try:
        rows = counts(db, by, dyad, by_type, quad, chosen, all_events)
    except StoreError as exc:
        _fail(exc)
    if as_json:
        _print_json(rows)
        return
    table = Table(title=f"events by {by}")
    for col in rows[0] if rows else ["period", "events"]:
        table.add_column(col)
    for r in rows:
        table.add_row(*("" if v is None else str(v) for v in r.values()))
    Console().print(table)


def stats_cmd(as_json: Json = False, db: Db = None) -> None:
    """Figures about the event store."""
    try:
        data = stats(db)
    except StoreError as exc:
        _fail(exc)
    if as_json:
        _print_json(data)
        return
    print_stats(data, db)


def export_cmd(
    format: Annotated[str, typer.Option("--format", "-f", help=" | ".join(FORMATS))],
    output: Annotated[Path | None, output_option("Output file (default: stdout).")] = None,
    table: Annotated[
        str, typer.Option("--table", help="parquet/csv: events, dyads, mentions, countries, cameo, ...")
    ] = "events",
    actor: Actor = None,
    recipient: Recipient = None,
    type: Type = None,
    mode: Mode = None,
    modality: Modality = None,
    min_confidence: MinConfidence = None,
    date_from: From = None,
    date_to: To = None,
    place: Place = None,
    country: Country = None,
    all_events: AllEvents = False,
    db: Db = None,
    quiet: Quiet = False,
    old_out: OldOut = None,
) -> None:
    """Export events as PLOVER JSONL, POLECAT/ICEWS TSV, the GDELT 2.0 event table, Parquet or CSV.

    By default only asserted events at the confidence operating point; --all keeps every event.
    """
    out = output or old_out
    chosen = _filter(
        actor, recipient, type, mode, modality, min_confidence, date_from, date_to, place, country
    )
    try:
        if out is not None:
            with export_progress(db, table, out, quiet):
                n = export(db, format, out, table=table, filters=chosen, all_events=all_events)
            Console(stderr=True).print(f"{n:,} rows → {out}")
            return
        if format == "parquet":
            raise StoreError("parquet needs an output file: add -o FILE.parquet")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export"
            export(db, format, path, table=table, filters=chosen, all_events=all_events)
            sys.stdout.write(path.read_text(encoding="utf-8"))
    except StoreError as exc:
        _fail(exc)


def register(app: typer.Typer) -> None:
    """Add the event store's commands to ``app``."""
    app.command("ingest")(ingest_cmd)
    app.command("events")(events_cmd)
    app.command("timeline")(timeline_cmd)
    app.command("network")(network_cmd)
    app.command("stats")(stats_cmd)
    app.command("export")(export_cmd)
    app.command("counts")(counts_cmd)
