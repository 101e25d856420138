"""Drawings of timelines, actor networks and event places.

PNG and SVG are drawn with matplotlib; HTML is a self-contained page drawn by Vega-Lite, whose
JavaScript (shipped with the web page) is inlined, so the file opens offline. The charts stay readable
from a handful of events to thousands: events are counted per week, month or year (chosen from the
time span), big networks keep their most active actors, and every chart has a title, axes and a legend.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kronika.store.plot_html import event_table, map_spec, network_spec, timeline_spec, write_html
from kronika.store.schema import StoreError

log = logging.getLogger(__name__)

# PLOVER quad classes: verbal/material cooperation, verbal/material conflict.
QUAD_COLOURS = {1: "#2b8cbe", 2: "#7bccc4", 3: "#fdae61", 4: "#d7191c", None: "#888888"}
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
PLOT_FORMATS = (".png", ".svg", ".html")
MAX_NODES = 40  # a bigger network is drawn with its most active actors
MAX_LEGEND = 12  # more event types than this are coloured by quad class


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is an optional extra
        raise StoreError("drawing PNG or SVG needs matplotlib: pip install 'kronika[plot]'") from exc
    return plt


def _suffix(out: str | Path, what: str) -> str:
    suffix = Path(out).suffix.lower()
    if suffix == ".htm":
        return ".html"
    if suffix not in PLOT_FORMATS:
        raise StoreError(
            f"cannot draw {what} as {suffix or 'a file without extension'!r}: use .png, .svg or .html"
        )
    return suffix


def _save(fig: Any, path: Path) -> None:
    plt = _pyplot()
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)


# ---------------------------------------------------------------------------------------- periods


def _entry_date(row: dict[str, Any]) -> dt.date | None:
    value = row.get("date")
    if not value:
        return None
    from kronika.store.coref import date_range

    return date_range(str(value))[0]


def period_unit(days: Iterable[dt.date]) -> str:
    """``week``, ``month`` or ``year``: the period events are counted by, from their time span."""
    days = list(days)
    span = (max(days) - min(days)).days if days else 0
    if span <= 180:
        return "week"
    if span <= 365 * 8:
        return "month"
    return "year"


def period_start(day: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return day.replace(month=1, day=1)
    if unit == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def period_end(start: dt.date, unit: str) -> dt.date:
    if unit == "year":
        return start.replace(year=start.year + 1)
    if unit == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=7)


@dataclass
class Periods:
    """Timeline entries counted per period and colour key, with the mean PLOVER score per period."""

    unit: str
    keys: list[str]
    counts: dict[dt.date, Counter[str]] = field(default_factory=dict)
    scores: dict[dt.date, float] = field(default_factory=dict)
    by: str = "type"

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())


def _colour_key(row: dict[str, Any], by: str) -> str:
    if by == "quad":
        quad = row.get("quad_code")
        return f"{quad} {QUAD_NAMES[quad]}" if quad in QUAD_NAMES else "unknown"
    return str(row.get("event") or "?").split("+")[0]


def periods(rows: Sequence[dict[str, Any]], unit: str = "auto", by: str = "auto") -> Periods:
    """Count timeline entries (as ``query.timeline`` returns them) per period; ``by`` ``type`` or
    ``quad`` (``auto``: by type unless there are more than ``MAX_LEGEND`` types)."""
    dated = [(d, r) for r in rows if (d := _entry_date(r)) is not None]
    if by == "auto":
        by = "quad" if len({_colour_key(r, "type") for _, r in dated}) > MAX_LEGEND else "type"
    unit = period_unit(d for d, _ in dated) if unit == "auto" else unit
    counts: dict[dt.date, Counter[str]] = defaultdict(Counter)
    scales: dict[dt.date, list[float]] = defaultdict(list)
    for day, r in dated:
        start = period_start(day, unit)
        counts[start][_colour_key(r, by)] += 1
        if isinstance(r.get("event_scale"), int | float):
            scales[start].append(float(r["event_scale"]))
    keys = sorted({k for c in counts.values() for k in c})
    mean = {p: round(sum(v) / len(v), 2) for p, v in scales.items() if v}
    return Periods(unit, keys, dict(sorted(counts.items())), dict(sorted(mean.items())), by)


# ---------------------------------------------------------------------------------------- timeline


def plot_timeline(
    rows: Sequence[dict[str, Any]], out: str | Path, title: str = "", unit: str = "auto", by: str = "auto"
) -> Path:
    """Draw timeline entries (``query.timeline``) to ``.png``, ``.svg`` or ``.html``: events per
    period as stacked bars by PLOVER type (or quad class) and the mean cooperation–conflict score."""
    path = Path(out)
    suffix = _suffix(path, "a timeline")
    data = periods(rows, unit, by)
    heading = f"{title or 'Timeline'}: {data.total} dated events, per {data.unit}"
    if suffix == ".html":
        write_html(path, heading, timeline_spec(data), event_table(rows))
    else:
        _timeline_figure(data, path, heading)
    return path


def colours(keys: Sequence[str], by: str) -> dict[str, str]:
    if by == "quad":
        return {k: QUAD_COLOURS.get(int(k[0]) if k[0].isdigit() else None, "#888888") for k in keys}
    plt = _pyplot()
    cmap = plt.get_cmap("tab20")
    return {k: cmap(i % 20) for i, k in enumerate(keys)}


def _timeline_figure(data: Periods, path: Path, heading: str) -> None:
    plt = _pyplot()
    import matplotlib.dates as mdates

    fig, ax = plt.subplots(figsize=(11, 4.8))
    palette = colours(data.keys, data.by)
    starts = list(data.counts)
    widths = [(period_end(p, data.unit) - p).days * 0.85 for p in starts]
    bottom = [0] * len(starts)
    for key in data.keys:
        heights = [data.counts[p].get(key, 0) for p in starts]
        ax.bar(starts, heights, width=widths, bottom=bottom, align="edge", color=palette[key], label=key)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("events")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(data.unit)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="y", alpha=0.3)
    if data.scores:
        right = ax.twinx()
        mids = [p + (period_end(p, data.unit) - p) / 2 for p in data.scores]
        right.plot(
            mids,
            list(data.scores.values()),
            color="#222",
            marker="o",
            markersize=3,
            lw=1.2,
            label="mean score",
        )
        right.set_ylim(-10, 10)
        right.set_ylabel("mean score (−10 conflict … +10 cooperation)")
    title = "quad class" if data.by == "quad" else "PLOVER type"
    ax.legend(title=title, loc="upper left", bbox_to_anchor=(1.08, 1), frameon=False, fontsize=8)
    ax.set_title(heading, loc="left")
    _save(fig, path)


# ---------------------------------------------------------------------------------------- network


def _top(g: nx.DiGraph, limit: int = MAX_NODES) -> nx.DiGraph:
    if g.number_of_nodes() <= limit:
        return g
    keep = sorted(g.nodes, key=lambda n: (-g.nodes[n].get("events", 0), n))[:limit]
    return g.subgraph(keep).copy()


def _layout(g: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Spring layout from a circle (so hubs do not end in a knot), links unweighted."""
    if not g.number_of_nodes():
        return {}
    undirected = g.to_undirected()
    k = 3.0 / g.number_of_nodes() ** 0.5
    pos = nx.spring_layout(
        undirected, pos=nx.circular_layout(undirected), k=k, iterations=80, weight=None, seed=1
    )
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def plot_network(g: nx.DiGraph, out: str | Path, title: str = "") -> Path:
    """Draw an actor network to ``.png``, ``.svg`` or ``.html``: node size by events, edge width by
    events and colour by mean PLOVER score; more than ``MAX_NODES`` actors: the most active ones."""
    path = Path(out)
    suffix = _suffix(path, "a network")
    shown = _top(g)
    heading = title or "Actor network"
    if shown.number_of_nodes() < g.number_of_nodes():
        heading += f" ({shown.number_of_nodes()} most active of {g.number_of_nodes()} actors)"
    pos = _layout(shown)
    if suffix == ".html":
        write_html(path, heading, network_spec(shown, pos), "")
    else:
        _network_figure(shown, pos, path, heading)
    return path


def _network_figure(g: nx.DiGraph, pos: dict[str, tuple[float, float]], path: Path, heading: str) -> None:
    plt = _pyplot()
    from matplotlib.colors import Normalize

    fig, ax = plt.subplots(figsize=(10, 8) if g.number_of_nodes() <= 20 else (13, 10))
    norm = Normalize(-10, 10)
    cmap = plt.get_cmap("RdBu")
    if g.number_of_nodes():
        events = [g.nodes[n].get("events", 1) for n in g.nodes]
        top = max(events) or 1
        sizes = [60 + 540 * (e / top) ** 0.5 for e in events]
        edges = list(g.edges(data=True))
        top_w = max((d.get("weight", 1) for _, _, d in edges), default=1)
        nx.draw_networkx_edges(
            g,
            pos,
            ax=ax,
            edgelist=[(a, b) for a, b, _ in edges],
            width=[1 + 5 * (d.get("weight", 1) / top_w) ** 0.5 for _, _, d in edges],
            edge_color=[cmap(norm(d.get("mean_scale", 0.0))) for _, _, d in edges],
            arrows=True,
            arrowsize=12,
            connectionstyle="arc3,rad=0.12",
            node_size=sizes,
            alpha=0.9,
        )
        nx.draw_networkx_nodes(g, pos, ax=ax, node_size=sizes, node_color="#dde3ea", edgecolors="#245")
        for n, (x, y) in pos.items():
            ax.annotate(
                n,
                (x, y),
                xytext=(0, 11),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.5, pad=0.02)
    bar.set_label("mean PLOVER score of the link (−10 conflict … +10 cooperation)")
    ax.set_title(f"{heading}\nnode size: events; line width: events between the two", loc="left", fontsize=10)
    ax.set_axis_off()
    ax.margins(0.08)
    _save(fig, path)


# ---------------------------------------------------------------------------------------- map


def plot_places(places: Sequence[dict[str, Any]], out: str | Path, title: str = "") -> Path:
    """Draw event places (``geo.event_places``) on the world outline to ``.png``, ``.svg`` or ``.html``:
    circle area by events; hollow circles stand at a country's centre."""
    path = Path(out)
    suffix = _suffix(path, "a map")
    heading = (
        f"{title or 'Event places'}: {len(places)} places, {sum(p['events'] for p in places)} event reports"
    )
    if suffix == ".html":
        write_html(path, heading, map_spec(places), "")
    else:
        _map_figure(places, path, heading)
    return path


def _unwrapped(ring: list[list[float]]) -> list[list[float]]:
    """A ring cut at the antimeridian (Russia's east) drawn east of 180° instead of across the map."""
    lons = [x for x, _ in ring]
    if max(lons) - min(lons) <= 180:
        return ring
    return [[x + 360 if x < 0 else x, y] for x, y in ring]


def labels(places: Sequence[dict[str, Any]], limit: int = 12) -> dict[tuple[float, float], str]:
    """Names of the ``limit`` places with most events, those at the same point joined ("Russia, Moscow")."""
    out: dict[tuple[float, float], list[str]] = defaultdict(list)
    for p in places[:limit]:
        out[(p["lon"], p["lat"])].append(str(p["name"]))
    return {k: ", ".join(v) for k, v in out.items()}


def extent(places: Sequence[dict[str, Any]], pad: float = 12) -> tuple[float, float, float, float]:
    if not places:
        return -180, 180, -60, 85
    lons, lats = [p["lon"] for p in places], [p["lat"] for p in places]
    return (
        max(-180, min(lons) - pad),
        min(180, max(lons) + pad),
        max(-60, min(lats) - pad),
        min(85, max(lats) + pad),
    )


def _map_figure(places: Sequence[dict[str, Any]], path: Path, heading: str) -> None:
    plt = _pyplot()
    from matplotlib.collections import PolyCollection

    from kronika.store.geo import world

    rings = [
        _unwrapped(ring)
        for f in world()["features"]
        for poly in f["geometry"]["coordinates"]
        for ring in poly[:1]
    ]
    fig, ax = plt.subplots(figsize=(11, 6.5))
    ax.add_collection(PolyCollection(rings, facecolors="#e6e9ec", edgecolors="#ffffff", linewidths=0.5))
    top = max((p["events"] for p in places), default=1)
    for approximate in (False, True):
        group = [p for p in places if p["approximate"] is approximate]
        if group:
            ax.scatter(
                [p["lon"] for p in group],
                [p["lat"] for p in group],
                s=[40 + 900 * (p["events"] / top) for p in group],
                zorder=3,
                facecolors="none" if approximate else "#d7191c",
                edgecolors="#d7191c",
                alpha=0.8,
                label="country centre" if approximate else "place",
            )
    for (lon, lat), names in labels(places).items():
        ax.annotate(
            names,
            (lon, lat),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            fontweight="bold",
            zorder=4,
        )
    x0, x1, y0, y1 = extent(places)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    if places:
        ax.legend(loc="lower left", title="circle area: events", fontsize=8)
    ax.set_title(heading, loc="left")
    _save(fig, path)
