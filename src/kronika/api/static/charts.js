// Charts of the Kronika page, drawn with Vega-Lite and Vega (vendored in /static/vendor/vega): a timeline
// of events per period, the actor network and the map of event places. Each function takes the element
// to draw in, the data from the API and a callback for a click on a mark.
"use strict";

const QUADS = {
  1: ["verbal cooperation", "#2b8cbe"],
  2: ["material cooperation", "#7bccc4"],
  3: ["verbal conflict", "#fdae61"],
  4: ["material conflict", "#d7191c"],
};
const EMBED = { renderer: "svg", actions: false };
const DAY = 86400000;

// ------------------------------------------------------------------ periods

function eventDay(date) {
  // "2016-02-24", "2016-02" or "2016" -> the first day it can mean, as a UTC Date
  if (!date) return null;
  const [y, m, d] = String(date).split("-").map(Number);
  if (!Number.isFinite(y)) return null;
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

function periodStart(day, unit) {
  if (unit === "year") return new Date(Date.UTC(day.getUTCFullYear(), 0, 1));
  if (unit === "month") return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
  const monday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - monday * DAY);
}

function periodEnd(start, unit) {
  if (unit === "year") return new Date(Date.UTC(start.getUTCFullYear() + 1, 0, 1));
  if (unit === "month") return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + 7 * DAY);
}

function autoUnit(days) {
  const span = (Math.max(...days) - Math.min(...days)) / DAY;
  if (span <= 180) return "week";
  if (span <= 365 * 8) return "month";
  return "year";
}

function colourKey(e, by) {
  if (by === "quad") return QUADS[e.quad_code] ? `${e.quad_code} ${QUADS[e.quad_code][0]}` : "unknown";
  return String(e.event || "?").split("+")[0];
}

// Events per period and colour key (bars) and the mean score per period (line).
function timelineData(events, by, unit) {
  const dated = events.map((e) => ({ e, day: eventDay(e.date) })).filter((x) => x.day);
  if (!dated.length) return { unit, bars: [], line: [] };
  unit = unit === "auto" ? autoUnit(dated.map((x) => x.day.getTime())) : unit;
  const bars = new Map();
  const line = new Map();
  for (const { e, day } of dated) {
    const start = periodStart(day, unit);
    const end = periodEnd(start, unit);
    const key = colourKey(e, by);
    const id = `${start.toISOString()}|${key}`;
    if (!bars.has(id)) bars.set(id, { start, end, key, events: 0, ids: [] });
    const bar = bars.get(id);
    bar.events += 1;
    bar.ids.push(e.event_id);
    const p = start.toISOString();
    if (!line.has(p)) line.set(p, { mid: new Date((start.getTime() + end.getTime()) / 2), sum: 0, n: 0 });
    if (Number.isFinite(e.event_scale)) {
      line.get(p).sum += e.event_scale;
      line.get(p).n += 1;
    }
  }
  const lineRows = [...line.values()]
    .filter((r) => r.n)
    .map((r) => ({ mid: r.mid, score: Math.round((r.sum / r.n) * 10) / 10 }))
    .sort((a, b) => a.mid - b.mid);
  // stacked by hand: a bar spans x (start to end) and y (y0 to y1)
  const stacked = [...bars.values()].sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
  const heights = new Map();
  for (const bar of stacked) {
    bar.y0 = heights.get(bar.start.getTime()) || 0;
    bar.y1 = bar.y0 + bar.events;
    heights.set(bar.start.getTime(), bar.y1);
  }
  return { unit, bars: stacked, line: lineRows, top: Math.max(...heights.values()) };
}

function colourScale(by) {
  if (by !== "quad") return { scheme: "tableau20" };
  const keys = Object.keys(QUADS);
  return { domain: keys.map((k) => `${k} ${QUADS[k][0]}`), range: keys.map((k) => QUADS[k][1]) };
}

function timelineSpec(data, by, title, narrow) {
  const x = { field: "start", type: "temporal", scale: { type: "utc" }, title: data.unit,
    axis: { labelOverlap: true, grid: false } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, anchor: "start" },
    width: "container",
    height: 280,
    autosize: { type: "fit-x", contains: "padding" },
    layer: [
      {
        data: { values: data.bars },
        mark: { type: "bar", cursor: "pointer", stroke: "#fff", strokeWidth: 0.5 },
        encoding: {
          x,
          x2: { field: "end" },
          y: { field: "y1", type: "quantitative", title: "events", scale: { domain: [0, data.top] },
            axis: { tickMinStep: 1, format: "d" } },
          y2: { field: "y0" },
          color: { field: "key", type: "nominal", title: by === "quad" ? "quad class" : "PLOVER type",
            scale: colourScale(by), legend: { orient: narrow ? "bottom" : "right", columns: narrow ? 3 : 1 } },
          tooltip: [
            { field: "start", type: "temporal", scale: { type: "utc" }, title: `${data.unit} from`, format: "%Y-%m-%d" },
            { field: "key", title: by === "quad" ? "quad class" : "type" },
            { field: "events", title: "events" },
          ],
        },
      },
      {
        data: { values: data.line },
        mark: { type: "line", point: { filled: true, size: 40 }, color: "#222", strokeWidth: 1.5 },
        encoding: {
          x: { ...x, field: "mid" },
          y: { field: "score", type: "quantitative", scale: { domain: [-10, 10] },
            title: narrow ? "mean score" : "mean score (−10 conflict … +10 cooperation)", axis: { orient: "right", grid: false } },
          tooltip: [{ field: "score", title: "mean score" }],
        },
      },
    ],
    resolve: { scale: { y: "independent" } },
  };
}

async function drawTimeline(el, events, options, onPick) {
  const data = timelineData(events, options.by, options.unit);
  if (!data.bars.length) {
    el.replaceChildren(document.createTextNode("No dated event to draw."));
    return null;
  }
  const result = await vegaEmbed(el, timelineSpec(data, options.by, options.title, el.clientWidth < 640), EMBED);
  result.view.addEventListener("click", (_ev, item) => {
    if (item && item.datum && item.datum.ids) onPick(item.datum);
  });
  return result;
}

// ------------------------------------------------------------------ network

function networkSpec(graph, width) {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const narrow = width < 640;
  const height = narrow ? Math.max(320, width) : Math.max(360, Math.min(640, 180 + 22 * graph.nodes.length));
  // focusX/focusY: the point the x and y forces pull every node to, so that small groups stay in view
  const nodes = graph.nodes.map((n) => ({ id: n.id, names: n.names || "", events: n.events || 1,
    focusX: width / 2, focusY: height / 2 }));
  const links = graph.edges
    .filter((e) => index.has(e.source) && index.has(e.target) && e.source !== e.target)
    .map((e) => ({ source: index.get(e.source), target: index.get(e.target), from: e.source, to: e.target,
      weight: e.weight, score: e.mean_scale, types: e.types }));
  return {
    $schema: "https://vega.github.io/schema/vega/v6.json",
    width, height, padding: 8, autosize: "none",
    signals: [{ name: "cx", update: "width / 2" }, { name: "cy", update: "height / 2" }],
    data: [{ name: "node-data", values: nodes }, { name: "link-data", values: links }],
    scales: [
      { name: "edge", type: "linear", domain: [-10, 10], range: { scheme: "redblue" } },
      { name: "width", type: "sqrt", domain: { data: "link-data", field: "weight" }, range: [1.5, 8], zero: false },
      { name: "size", type: "sqrt", domain: { data: "node-data", field: "events" }, range: [120, 900], zero: false },
    ],
    legends: [{ stroke: "edge", type: "gradient", title: "mean score", orient: "top-left", gradientLength: 120 }],
    marks: [
      {
        name: "nodes", type: "symbol", zindex: 1, from: { data: "node-data" },
        encode: {
          enter: { fill: { value: "#dde3ea" }, stroke: { value: "#245" }, strokeWidth: { value: 1.2 } },
          update: { size: { scale: "size", field: "events" }, cursor: { value: "pointer" },
            tooltip: { signal: "{title: datum.id, names: datum.names, events: datum.events}" } },
          hover: { fill: { value: "#ffd54f" } },
        },
        transform: [{
          type: "force", iterations: 400, static: true, signal: "force",
          forces: [
            { force: "center", x: { signal: "cx" }, y: { signal: "cy" } },
            { force: "collide", radius: narrow ? 24 : 34 },
            { force: "nbody", strength: narrow ? -70 : -200 },
            { force: "link", links: "link-data", distance: narrow ? 55 : 110 },
            { force: "x", x: "datum.focusX", strength: narrow ? 0.2 : 0.06 },
            { force: "y", y: "datum.focusY", strength: narrow ? 0.12 : 0.1 },
          ],
        }],
      },
      {
        type: "path", from: { data: "link-data" },
        encode: {
          update: { stroke: { scale: "edge", field: "score" }, strokeWidth: { scale: "width", field: "weight" },
            strokeOpacity: { value: 0.85 },
            tooltip: { signal: "{title: datum.from + ' → ' + datum.to, events: datum.weight, 'mean score': datum.score, types: datum.types}" } },
        },
        transform: [{ type: "linkpath", require: { signal: "force" }, shape: "line",
          sourceX: "datum.source.x", sourceY: "datum.source.y", targetX: "datum.target.x", targetY: "datum.target.y" }],
      },
      {
        name: "labels", type: "text", from: { data: "nodes" }, zindex: 2, interactive: false,
        encode: { update: { x: { field: "x" }, y: { field: "y" }, dy: { value: -14 }, align: { value: "center" },
          text: { field: "datum.id" }, fontSize: { value: 12 }, fontWeight: { value: "bold" }, fill: { value: "#123" } } },
      },
    ],
  };
}

async function drawNetwork(el, graph, onPick) {
  if (!graph.nodes.length) {
    el.replaceChildren(document.createTextNode("No event with both an actor and a recipient."));
    return null;
  }
  const width = Math.max(300, el.clientWidth || 700);
  const result = await vegaEmbed(el, networkSpec(graph, width), EMBED);
  result.view.addEventListener("click", (_ev, item) => {
    if (item && item.mark && item.mark.name === "nodes") onPick(item.datum.id);
  });
  return result;
}

// ------------------------------------------------------------------ map

// The view fits the places with a margin (the whole world when there are none).
function mapFit(places) {
  if (!places.length) return { type: "Sphere" };
  const lons = places.map((p) => p.lon);
  const lats = places.map((p) => p.lat);
  const pad = 12;
  const box = [
    [Math.max(-180, Math.min(...lons) - pad), Math.max(-60, Math.min(...lats) - pad)],
    [Math.min(180, Math.max(...lons) + pad), Math.min(85, Math.max(...lats) + pad)],
  ];
  return { type: "Feature", properties: {}, geometry: { type: "MultiPoint", coordinates: box } };
}

// Names of the places with most events; places at the same point share one label ("Russia, Moscow").
function mapLabels(rows) {
  const at = new Map();
  for (const p of rows.slice(0, 12)) {
    const key = `${p.lon},${p.lat}`;
    if (!at.has(key)) at.set(key, { lon: p.lon, lat: p.lat, name: p.name });
    else at.get(key).name += `, ${p.name}`;
  }
  return [...at.values()];
}

function mapSpec(places, width) {
  const rows = places.map((p) => ({ ...p, where: p.approximate ? "country centre" : "place" }));
  const narrow = width < 640;
  const legend = narrow ? { orient: "bottom", direction: "horizontal" } : { orient: "right" };
  const point = { longitude: { field: "lon", type: "quantitative" }, latitude: { field: "lat", type: "quantitative" } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: narrow ? width - 40 : width - 140,
    height: narrow ? Math.round(width * 0.75) : 460,
    autosize: { type: "pad" },
    projection: { type: "equalEarth", fit: mapFit(places) },
    layer: [
      {
        data: { url: "/api/world", format: { type: "json", property: "features" } },
        mark: { type: "geoshape", fill: "#e6e9ec", stroke: "#fff", strokeWidth: 0.5, clip: true },
      },
      {
        data: { values: rows },
        mark: { type: "circle", stroke: "#245", strokeWidth: 1.2, cursor: "pointer" },
        encoding: {
          ...point,
          size: { field: "events", type: "quantitative", title: "events", scale: { range: [60, 1600] }, legend },
          fillOpacity: { field: "where", type: "ordinal", sort: ["place", "country centre"], scale: { domain: ["place", "country centre"], range: [0.75, 0.1] }, title: "position", legend },
          color: { value: "#d7191c" },
          tooltip: [{ field: "name" }, { field: "country" }, { field: "kind" }, { field: "events" },
            { field: "mentions" }, { field: "where", title: "position" }],
        },
      },
      {
        data: { values: mapLabels(rows) },
        mark: { type: "text", dy: -12, fontSize: 11, fontWeight: "bold", color: "#123" },
        encoding: { ...point, text: { field: "name" } },
      },
    ],
  };
}

async function drawMap(el, places, onPick) {
  const result = await vegaEmbed(el, mapSpec(places, Math.max(300, el.clientWidth || 800)), EMBED);
  result.view.addEventListener("click", (_ev, item) => {
    if (item && item.datum && item.datum.name && item.datum.events) onPick(item.datum);
  });
  return result;
}

window.KronikaCharts = { drawTimeline, drawNetwork, drawMap, timelineData };
