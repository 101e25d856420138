"""Figures for people: ``kronika stats`` as tables, numbers rounded (``--json`` keeps them exact)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def number(value: Any) -> str:
    """``12,345`` for counts, two decimals for fractions, ``—`` for nothing."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _figures(data: dict[str, Any], db: Any) -> Table:
    table = Table(title=f"Event store {db or ''}".strip(), show_header=False, title_justify="left")
    table.add_column("figure", style="bold")
    table.add_column("value", justify="right")
    labels = {
        "documents": "documents",
        "near_duplicates": "near-duplicate documents",
        "mentions": "event mentions",
        "events": "events",
        "events_with_several_sources": "events with several sources",
        "mentions_per_event": "mentions per event",
        "actors": "actors",
        "first_event_date": "first event",
        "last_event_date": "last event",
        "schema_version": "schema version",
    }
    for key, label in labels.items():
        if key in data:
            table.add_row(label, number(data[key]))
    for status, n in (data.get("documents_by_status") or {}).items():
        table.add_row(f"  documents {status}", number(n))
    return table


def _counts(title: str, head: str, rows: list[tuple[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(head)
    table.add_column("n", justify="right")
    for name, n in rows:
        table.add_row(name, number(n))
    return table


def print_stats(data: dict[str, Any], db: Any = None, console: Console | None = None) -> None:
    """Print ``store.query.stats`` as three tables: figures, events by type, top actors."""
    console = console or Console()
    console.print(_figures(data, db))
    console.print(_counts("Events by type", "type", list((data.get("events_by_type") or {}).items())))
    actors = [
        (
            " ".join(str(a.get(k) or "") for k in ("code", "sector"))
            + (f" ({a['name']})" if a.get("name") else ""),
            a.get("mentions"),
        )
        for a in data.get("top_actors") or []
    ]
    console.print(_counts("Top actors", "actor", actors))
