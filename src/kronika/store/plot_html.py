"""The HTML drawings of ``kronika.store.plot``: Vega-Lite specifications of the timeline, network and
map, and a self-contained page that draws one with the vendored Vega scripts inlined (no network)."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from kronika.store.plot import Periods

log = logging.getLogger(__name__)

VENDOR = Path(__file__).resolve().parents[1] / "api" / "static" / "vendor" / "vega"
VEGA_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")


def timeline_spec(data: Periods) -> dict[str, Any]:
    from kronika.store.plot import colours, period_end

    bars: list[dict[str, Any]] = []
    for start, counter in data.counts.items():
        y0 = 0
        for key in data.keys:
            n = counter.get(key, 0)
            if n:
                end = period_end(start, data.unit)
                bars.append(
                    {
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "key": key,
                        "events": n,
                        "y0": y0,
                        "y1": y0 + n,
                    }
                )
                y0 += n
    line = [
        {"mid": (p + (period_end(p, data.unit) - p) / 2).isoformat(), "score": s}
        for p, s in data.scores.items()
    ]
    top = max((b["y1"] for b in bars), default=1)
    x = {
        "field": "start",
        "type": "temporal",
        "scale": {"type": "utc"},
        "title": data.unit,
        "axis": {"labelOverlap": True},
    }
    colour: dict[str, Any] = {
        "field": "key",
        "type": "nominal",
        "title": "quad class" if data.by == "quad" else "PLOVER type",
    }
    if data.by == "quad":
        colour["scale"] = {"domain": data.keys, "range": list(colours(data.keys, "quad").values())}
    else:
        colour["scale"] = {"scheme": "tableau20"}
    return {
        "width": "container",
        "height": 320,
        "layer": [
            {
                "data": {"values": bars},
                "mark": {"type": "bar", "stroke": "#fff", "strokeWidth": 0.5},
                "encoding": {
                    "x": x,
                    "x2": {"field": "end"},
                    "y": {
                        "field": "y1",
                        "type": "quantitative",
                        "title": "events",
                        "scale": {"domain": [0, top]},
                        "axis": {"tickMinStep": 1, "format": "d"},
                    },
                    "y2": {"field": "y0"},
                    "color": colour,
                    "tooltip": [
                        {"field": "start", "title": f"{data.unit} from"},
                        {"field": "key"},
                        {"field": "events"},
                    ],
                },
            },
            {
                "data": {"values": line},
                "mark": {"type": "line", "point": True, "color": "#222"},
                "encoding": {
                    "x": {**x, "field": "mid"},
                    "y": {
                        "field": "score",
                        "type": "quantitative",
                        "scale": {"domain": [-10, 10]},
                        "title": "mean score (−10 conflict … +10 cooperation)",
                        "axis": {"orient": "right"},
                    },
                },
            },
        ],
        "resolve": {"scale": {"y": "independent"}},
    }


def event_table(rows: Sequence[dict[str, Any]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("date", "event", "actor", "recipient", "sources", "documents"))
    body = "".join(
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
        for r in rows
        if r.get("date")
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def network_spec(g: nx.DiGraph, pos: dict[str, tuple[float, float]]) -> dict[str, Any]:
    nodes = [
        {
            "id": n,
            "x": pos[n][0],
            "y": pos[n][1],
            "events": g.nodes[n].get("events", 1),
            "names": g.nodes[n].get("names", ""),
        }
        for n in g.nodes
    ]
    edges = [
        {
            "from": a,
            "to": b,
            "x": pos[a][0],
            "y": pos[a][1],
            "x2": pos[b][0],
            "y2": pos[b][1],
            "events": d.get("weight", 1),
            "score": d.get("mean_scale", 0.0),
            "types": d.get("types", ""),
        }
        for a, b, d in g.edges(data=True)
    ]
    hidden = {"axis": None, "scale": {"zero": False, "nice": False, "padding": 40}}
    x = {"field": "x", "type": "quantitative", **hidden}
    y = {"field": "y", "type": "quantitative", **hidden}
    return {
        "width": "container",
        "height": 560,
        "config": {"view": {"stroke": None}},
        "layer": [
            {
                "data": {"values": edges},
                "mark": {"type": "rule", "opacity": 0.85},
                "encoding": {
                    "x": x,
                    "y": y,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                    "color": {
                        "field": "score",
                        "type": "quantitative",
                        "title": "mean score",
                        "scale": {"scheme": "redblue", "domain": [-10, 10]},
                    },
                    "strokeWidth": {
                        "field": "events",
                        "type": "quantitative",
                        "title": "events",
                        "scale": {"range": [1, 7]},
                    },
                    "tooltip": [
                        {"field": "from"},
                        {"field": "to"},
                        {"field": "events"},
                        {"field": "score"},
                        {"field": "types"},
                    ],
                },
            },
            {
                "data": {"values": nodes},
                "mark": {"type": "circle", "stroke": "#245", "fill": "#dde3ea", "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "size": {
                        "field": "events",
                        "type": "quantitative",
                        "legend": None,
                        "scale": {"range": [80, 900]},
                    },
                    "tooltip": [{"field": "id"}, {"field": "names"}, {"field": "events"}],
                },
            },
            {
                "data": {"values": nodes},
                "mark": {"type": "text", "dy": -13, "fontWeight": "bold"},
                "encoding": {"x": x, "y": y, "text": {"field": "id"}},
            },
        ],
    }


def map_spec(places: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from kronika.store.geo import world
    from kronika.store.plot import extent, labels

    x0, x1, y0, y1 = extent(places)
    point = {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
    }
    rows = [{**p, "where": "country centre" if p["approximate"] else "place"} for p in places]
    return {
        "width": "container",
        "height": 480,
        "projection": {
            "type": "equalEarth",
            "fit": {"type": "MultiPoint", "coordinates": [[x0, y0], [x1, y1]]},
        },
        "layer": [
            {
                "data": {"values": world()["features"]},
                "mark": {
                    "type": "geoshape",
                    "fill": "#e6e9ec",
                    "stroke": "#fff",
                    "strokeWidth": 0.5,
                    "clip": True,
                },
            },
            {
                "data": {"values": rows},
                "mark": {"type": "circle", "stroke": "#d7191c", "color": "#d7191c"},
                "encoding": {
                    **point,
                    "size": {
                        "field": "events",
                        "type": "quantitative",
                        "title": "events",
                        "scale": {"range": [60, 1600]},
                    },
                    "fillOpacity": {
                        "field": "where",
                        "type": "ordinal",
                        "title": "position",
                        "sort": ["place", "country centre"],
                        "scale": {"domain": ["place", "country centre"], "range": [0.75, 0.1]},
                    },
                    "tooltip": [
                        {"field": "name"},
                        {"field": "country"},
                        {"field": "events"},
                        {"field": "mentions"},
                        {"field": "where"},
                    ],
                },
            },
            {
                "data": {
                    "values": [{"lon": k[0], "lat": k[1], "name": v} for k, v in labels(places).items()]
                },
                "mark": {"type": "text", "dy": -12, "fontWeight": "bold"},
                "encoding": {**point, "text": {"field": "name"}},
            },
        ],
    }


def _inline_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def write_html(path: Path, heading: str, spec: dict[str, Any], below: str) -> None:
    """A page that draws ``spec`` (Vega-Lite) with the vendored Vega scripts inlined: no network."""
    code = [
        (VENDOR / name).read_text(encoding="utf-8").replace("</script", "<\\/script") for name in VEGA_SCRIPTS
    ]
    scripts = "\n".join(f"<script>{c}</script>" for c in code)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": heading, "anchor": "start"},
        "autosize": {"type": "fit-x", "contains": "padding"},
        **spec,
    }
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(heading)}</title>
<style>body{{font-family:sans-serif;margin:1.5em;max-width:1400px}}#chart{{width:100%}}
table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #ccc;padding:3px 8px;font-size:13px}}</style>
{scripts}
</head><body>
<div id="chart"></div>
<script type="application/json" id="spec">{_inline_json(spec)}</script>
<script>vegaEmbed("#chart", JSON.parse(document.getElementById("spec").textContent),
  {{renderer: "svg", actions: false}});</script>
{below}
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    log.debug("wrote %s (%d kB)", path, len(page) // 1024)
