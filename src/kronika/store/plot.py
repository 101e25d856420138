"""Drawings of timelines and networks: matplotlib PNGs, or a small self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from kronika.store.schema import StoreError

log = logging.getLogger(__name__)

# PLOVER quad classes: verbal/material cooperation, verbal/material conflict.
QUAD_COLOURS = {1: "#2b8cbe", 2: "#7bccc4", 3: "#fdae61", 4: "#d7191c", None: "#888888"}


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is an optional extra
        raise StoreError("drawing PNGs needs matplotlib: pip install 'kronika[plot]'") from exc
    return plt


def _entry_date(row: dict[str, Any]) -> dt.date | None:
    value = row.get("date")
    if not value:
        return None
    from kronika.store.coref import date_range

    return date_range(str(value))[0]


def _label(row: dict[str, Any]) -> str:
    return f"{row.get('actor') or '?'} → {row.get('recipient') or '?'}: {row.get('event')}"


def plot_timeline(rows: Sequence[dict[str, Any]], out: str | Path, title: str = "") -> Path:
    """Draw timeline entries (as returned by ``query.timeline``) to ``.png`` or ``.html``."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix == ".png":
        _timeline_png(rows, path, title)
    elif suffix in (".html", ".htm"):
        _timeline_html(rows, path, title)
    else:
        raise StoreError(f"cannot draw a timeline as {suffix!r}: use .png or .html")
    return path


def _timeline_png(rows: Sequence[dict[str, Any]], path: Path, title: str) -> None:
    plt = _pyplot()
    dated = [(d, r) for r in rows if (d := _entry_date(r)) is not None]
    types = sorted({r.get("event") or "?" for _, r in dated}) or ["?"]
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.5 * len(types)))
    for d, r in dated:
        y = types.index(r.get("event") or "?")
        size = 30 + 25 * (r.get("n_sources") or 1)
        ax.scatter([d], [y], s=size, color=QUAD_COLOURS.get(r.get("quad_code"), "#888888"), zorder=3)
        ax.annotate(
            f"{r.get('actor')}→{r.get('recipient')} ({r.get('n_sources') or 0})",
            (d, y),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=7,
        )
    ax.set_yticks(range(len(types)), types)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or "Timeline")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _timeline_html(rows: Sequence[dict[str, Any]], path: Path, title: str) -> None:
    dated = [(d, r) for r in rows if (d := _entry_date(r)) is not None]
    width, row_h, left = 900, 26, 20
    height = 40 + row_h * max(1, len(dated))
    if dated:
        lo, hi = min(d for d, _ in dated), max(d for d, _ in dated)
        span = max(1, (hi - lo).days)
    marks = []
    for i, (d, r) in enumerate(dated):
        x = left + (0 if len(dated) < 2 else (d - lo).days / span * (width - 2 * left - 260))
        y = 30 + i * row_h
        colour = QUAD_COLOURS.get(r.get("quad_code"), "#888888")
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="{4 + 2 * min(5, r.get("n_sources") or 1)}" fill="{colour}">'
            f"<title>{html.escape(str(r.get('text') or ''))}</title></circle>"
            f'<text x="{x + 14:.1f}" y="{y + 4}" font-size="12">{html.escape(str(r.get("date")))} '
            f"{html.escape(_label(r))} ({r.get('n_sources') or 0} sources)</text>"
        )
    table = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(v))}</td>"
            for v in (
                r.get("date"),
                r.get("event"),
                r.get("actor"),
                r.get("recipient"),
                r.get("n_sources"),
                ", ".join(r.get("sources") or []),
            )
        )
        + "</tr>"
        for _, r in dated
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title or "Timeline")}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;font-size:13px}}</style></head>
<body><h1>{html.escape(title or "Timeline")}</h1>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">{"".join(marks)}</svg>
<table><tr><th>date</th><th>event</th><th>actor</th><th>recipient</th><th>sources</th><th>documents</th></tr>
{table}</table></body></html>
"""
    path.write_text(page, encoding="utf-8")


def plot_network(g: nx.DiGraph, out: str | Path) -> Path:
    """Draw an actor network to a PNG: edge width by event count, colour by mean PLOVER scale."""
    plt = _pyplot()
    path = Path(out)
    fig, ax = plt.subplots(figsize=(8, 8))
    if g.number_of_nodes():
        pos = nx.spring_layout(g, seed=1, weight="weight")
        widths = [0.5 + min(6.0, d.get("weight", 1) ** 0.5) for _, _, d in g.edges(data=True)]
        colours = [d.get("mean_scale", 0.0) for _, _, d in g.edges(data=True)]
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=300, node_color="#dddddd")
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=8)
        nx.draw_networkx_edges(
            g,
            pos,
            ax=ax,
            width=widths,
            edge_color=colours,
            edge_cmap=plt.cm.RdBu,
            edge_vmin=-10,
            edge_vmax=10,
            arrows=True,
            connectionstyle="arc3,rad=0.1",
        )
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
