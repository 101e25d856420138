// The Kronika page: events with their evidence, a timeline chart, the actor network, a map of places,
// and coding of pasted text. The filters and the view are kept in the URL, and query parameters the
// page does not know are passed on to the API unchanged. Every piece of text goes into the page
// through textContent or text nodes, never as markup.
"use strict";

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, options) {
  const res = await fetch(path, options);
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    const msg = body && body.message ? body.message : `${res.status} ${res.statusText}`;
    throw new Error(msg);
  }
  return body;
}

function status(msg, isError) {
  const s = $("#status");
  s.textContent = msg || "";
  s.className = isError ? "error" : "muted";
}

function formParams(form) {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) {
    if (String(v).trim() !== "") params.set(k, String(v).trim());
  }
  return params;
}

// Text with marked spans: spans are {start, end, cls, title} offsets into text; overlaps are skipped.
function highlighted(text, spans) {
  const out = el("span", { class: "sentence" });
  const ok = spans
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start < s.end && s.end <= text.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let pos = 0;
  for (const s of ok) {
    if (s.start < pos) continue;
    out.append(document.createTextNode(text.slice(pos, s.start)));
    out.append(el("mark", { class: s.cls, title: s.title }, text.slice(s.start, s.end)));
    pos = s.end;
  }
  out.append(document.createTextNode(text.slice(pos)));
  return out;
}

// Numbers for people: two decimals (the API keeps them exact).
function rounded(x) {
  return Number.isFinite(x) ? x.toFixed(2) : "—";
}

function party(list) {
  return (list || []).map((x) => [x.code, x.sector].filter(Boolean).join(" ") + (x.name ? ` (${x.name})` : "")).join(", ");
}

// ---------------------------------------------------------------- state and URL

const FILTERS = ["actor", "recipient", "type", "modality", "min_confidence", "date_from", "date_to", "place", "country"];
const OWN = new Set(["view", "offset", "limit", "colour", "per"]);
const VIEWS = ["events", "timeline", "network", "map", "code"];
const state = { view: "events", offset: 0, limit: 50, total: 0, extra: new URLSearchParams(), request: 0 };

function filterParams() {
  const params = new URLSearchParams(state.extra);
  for (const name of FILTERS) {
    const v = String($("#filters").elements[name].value || "").trim();
    if (v) params.set(name, v);
  }
  return params;
}

function readURL() {
  const url = new URLSearchParams(location.search);
  state.view = VIEWS.includes(url.get("view")) ? url.get("view") : "events";
  state.offset = Math.max(0, Number(url.get("offset")) || 0);
  state.limit = Math.min(1000, Math.max(1, Number(url.get("limit")) || 50));
  $("#limit").value = String(state.limit);
  if (url.get("colour")) $("#tl-colour").value = url.get("colour");
  if (url.get("per")) $("#tl-period").value = url.get("per");
  state.extra = new URLSearchParams();
  for (const [k, v] of url) {
    if (FILTERS.includes(k)) $("#filters").elements[k].value = v;
    else if (!OWN.has(k)) state.extra.append(k, v);
  }
}

function writeURL(push) {
  const url = filterParams();
  if (state.view !== "events") url.set("view", state.view);
  if (state.view === "events" && state.offset) url.set("offset", String(state.offset));
  if (state.limit !== 50) url.set("limit", String(state.limit));
  if (state.view === "timeline") {
    if ($("#tl-colour").value !== "type") url.set("colour", $("#tl-colour").value);
    if ($("#tl-period").value !== "auto") url.set("per", $("#tl-period").value);
  }
  const target = `${location.pathname}${url.toString() ? "?" + url : ""}`;
  if (target !== `${location.pathname}${location.search}`) history[push ? "pushState" : "replaceState"](null, "", target);
}

// A new request makes the answers of older ones moot: old results are cleared, late answers dropped.
function begin(message) {
  state.request += 1;
  $("#dyad-hint").hidden = true;
  $("#results").hidden = true;
  $("#detail").hidden = true;
  $("#events tbody").replaceChildren();
  for (const c of document.querySelectorAll(".chart")) c.replaceChildren();
  status(message);
  return state.request;
}

function failed(token, err, where) {
  if (token !== state.request) return;
  status(err.message, true);
  if (where) where.replaceChildren(el("p", { class: "error" }, err.message));
}

// ---------------------------------------------------------------- event table

function eventRow(e) {
  const sources = el("ul", { class: "sources" });
  const articles = e.articles && e.articles.length ? e.articles : (e.sources || []).map((d) => ({ doc_id: d }));
  for (const a of articles) {
    const label = [a.title || a.doc_id, a.publisher, a.pub_date].filter(Boolean).join(" · ");
    const safe = a.url && /^https?:\/\//i.test(a.url); // never a javascript: link from article metadata
    sources.append(el("li", { title: a.doc_id }, safe ? el("a", { href: a.url, rel: "noreferrer" }, label) : label));
  }
  const tr = el(
    "tr",
    { tabindex: "0", class: "event", title: e.text || "", "data-event": e.event_id },
    el("td", {}, e.date || "undated"),
    el("td", {}, e.event || ""),
    el("td", {}, e.actor || "", el("div", { class: "muted" }, (e.actor_names || []).join(", "))),
    el("td", {}, e.recipient || "", el("div", { class: "muted" }, (e.recipient_names || []).join(", "))),
    el("td", {}, e.place || ""),
    el("td", { class: "num" }, e.n_sources ?? ""),
    el("td", {}, sources),
  );
  const open = () => {
    for (const row of document.querySelectorAll("tr.selected")) row.classList.remove("selected");
    tr.classList.add("selected");
    showEvent(e.event_id);
  };
  tr.addEventListener("click", open);
  tr.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") open();
  });
  return tr;
}

function showEvents(events, countText, paged) {
  $("#events tbody").replaceChildren(...events.map(eventRow));
  $("#count").textContent = countText;
  for (const id of ["#prev", "#next"]) $(id).hidden = !paged;
  $("#prev").disabled = state.offset <= 0;
  $("#next").disabled = state.offset + state.limit >= state.total;
  $("#results").hidden = false;
  $("#detail").hidden = true;
}

async function loadEvents() {
  const token = begin("Searching…");
  const params = filterParams();
  params.set("limit", String(state.limit));
  params.set("offset", String(state.offset));
  try {
    const page = await api(`/api/events?${params}`);
    if (token !== state.request) return;
    state.total = page.total;
    const last = Math.min(page.offset + page.events.length, page.total);
    const text = page.total ? `events ${page.offset + 1}–${last} of ${page.total}` : "no event matches";
    showEvents(page.events, text, true);
    dyadHint(params);
    status("");
  } catch (err) {
    failed(token, err);
  }
}

// Actor and recipient list events of one direction; the dyad timeline has the pair's every contact.
function dyadHint(params) {
  const hint = $("#dyad-hint");
  hint.hidden = !(params.get("actor") && params.get("recipient"));
}

// ---------------------------------------------------------------- timeline, network, map

function timelineParams() {
  const params = filterParams();
  params.set("a", params.get("actor") || "");
  if (params.get("recipient")) params.set("b", params.get("recipient"));
  params.delete("actor");
  params.delete("recipient");
  return params;
}

async function loadTimeline() {
  const box = $("#timeline-chart");
  const token = begin("Loading the timeline…");
  const params = timelineParams();
  if (!params.get("a")) {
    status("");
    box.replaceChildren(el("p", { class: "error" }, "Give an actor in the filters (and a recipient for a dyad)."));
    return;
  }
  try {
    const t = await api(`/api/timeline?${params}`);
    if (token !== state.request) return;
    const who = t.b ? `${t.a} – ${t.b}` : t.a;
    const byId = new Map(t.events.map((e) => [e.event_id, e]));
    const options = { by: $("#tl-colour").value, unit: $("#tl-period").value, title: `${who}: ${t.events.length} dated events` };
    await KronikaCharts.drawTimeline(box, t.events, options, (bar) => {
      state.total = bar.ids.length;
      const when = new Date(bar.start).toISOString().slice(0, 10);
      showEvents(bar.ids.map((id) => byId.get(id)), `${bar.ids.length} ${bar.key} events from ${when}`, false);
      $("#results").scrollIntoView({ behavior: "smooth", block: "start" });
    });
    showEvents(t.events, `${t.events.length} dated events of ${who}`, false);
    status("");
  } catch (err) {
    failed(token, err, box);
  }
}

function pickActor(id) {
  $("#filters").elements.actor.value = id;
  $("#filters").elements.recipient.value = "";
  setView("events", true);
}

async function loadNetwork() {
  const box = $("#network-chart");
  const token = begin("Loading the network…");
  try {
    const g = await api(`/api/network?${filterParams()}`);
    if (token !== state.request) return;
    await KronikaCharts.drawNetwork(box, g, pickActor);
    box.setAttribute("data-nodes", String(g.nodes.length));
    status(`${g.nodes.length} actors, ${g.edges.length} links`);
  } catch (err) {
    failed(token, err, box);
  }
}

async function loadMap() {
  const box = $("#map-chart");
  const token = begin("Loading the map…");
  try {
    const res = await api(`/api/places?${filterParams()}`);
    if (token !== state.request) return;
    await KronikaCharts.drawMap(box, res.places, (p) => {
      $("#filters").elements.place.value = p.name;
      setView("events", true);
    });
    box.setAttribute("data-places", String(res.places.length));
    const n = res.places.reduce((sum, p) => sum + p.events, 0);
    status(res.places.length ? `${res.places.length} places of ${n} event reports` : "no event has a place");
  } catch (err) {
    failed(token, err, box);
  }
}

// ---------------------------------------------------------------- one event and its mentions

function mentionSpans(m) {
  const spans = [{ ...m.trigger, cls: "trigger", title: `trigger (${m.rule || ""})` }];
  for (const x of m.actor || []) spans.push({ ...x.evidence, cls: "actor", title: `actor ${x.code || ""} ${x.sector || ""} (${x.rule})` });
  for (const x of m.recipient || []) spans.push({ ...x.evidence, cls: "recipient", title: `recipient ${x.code || ""} ${x.sector || ""} (${x.rule})` });
  return spans;
}

async function showEvent(id) {
  const box = $("#detail");
  box.replaceChildren();
  box.hidden = true;
  status("Loading the event…");
  try {
    const d = await api(`/api/events/${encodeURIComponent(id)}`);
    const e = d.event;
    const items = d.mentions.map((m) =>
      el(
        "li",
        { class: "mention" },
        el("div", { class: "source" }, [m.title || m.doc_id, m.publisher, m.pub_date].filter(Boolean).join(" · ")),
        el("blockquote", {}, highlighted(m.text || "", mentionSpans(m))),
        el(
          "div",
          { class: "muted" },
          `${m.event || ""} · ${party(m.actor)} → ${party(m.recipient) || "—"} · date ${m.date || "none"}` +
            (m.date_text ? ` ("${m.date_text}")` : "") +
            ` · ${m.modality || ""} · confidence ${rounded(m.confidence)}`,
        ),
      ),
    );
    box.replaceChildren(
      el("h2", {}, `${e.event || ""} ${e.date || "undated"}: ${e.actor || "?"} → ${e.recipient || "—"}`),
      el("p", { class: "muted" }, `${e.event_id} · ${e.n_mentions} mentions in ${e.n_sources} sources · CAMEO ${e.cameo || "?"} · scale ${rounded(e.event_scale)}`),
      el("p", { class: "legend" }, el("mark", { class: "trigger" }, "trigger"), " ", el("mark", { class: "actor" }, "actor"), " ", el("mark", { class: "recipient" }, "recipient")),
      el("ol", {}, ...items),
    );
    box.hidden = false;
    box.scrollIntoView({ behavior: "smooth", block: "start" });
    status("");
  } catch (err) {
    status(err.message, true);
  }
}

// ---------------------------------------------------------------- coding pasted text

async function codeText(form) {
  const data = new FormData(form);
  const body = { text: String(data.get("text") || "") };
  if (data.get("pub_date")) body.pub_date = String(data.get("pub_date"));
  const out = $("#coded");
  out.replaceChildren();
  status("Coding (the first call loads the language model)…");
  try {
    const res = await api("/api/code", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const items = res.records.map((r) => {
      const base = r.text_info.start;
      const rel = (x) => ({ start: x.start === null ? null : x.start - base, end: x.end === null ? null : x.end - base });
      const spans = [{ ...rel({ start: r.text_info.trigger_start, end: r.text_info.trigger_end }), cls: "trigger", title: r.rule }];
      for (const x of r.actor) spans.push({ ...rel(x), cls: "actor", title: x.rule });
      for (const x of r.recipient) spans.push({ ...rel(x), cls: "recipient", title: x.rule });
      return el(
        "li",
        { class: "mention" },
        el("strong", {}, `${r.event.join("+")} (CAMEO ${r.cameo || "?"}): ${party(r.actor)} → ${party(r.recipient) || "—"}`),
        el("div", { class: "muted" }, `date ${r.date || "none"} · ${r.modality} · confidence ${rounded(r.confidence)}`),
        el("blockquote", {}, highlighted(r.text, spans)),
      );
    });
    const failed = res.status === "failed" ? ` (not coded: ${res.reason || "failed"})` : "";
    out.replaceChildren(
      el("p", {}, `${res.records.length} event records${failed}`),
      el("ol", {}, ...items),
      el("details", {}, el("summary", {}, "PLOVER JSON"), el("pre", {}, JSON.stringify(res.records, null, 2))),
    );
    status("");
  } catch (err) {
    status(err.message, true);
  }
}

// ---------------------------------------------------------------- wiring

const LOADERS = { events: loadEvents, timeline: loadTimeline, network: loadNetwork, map: loadMap };

function setView(view, push) {
  state.view = view;
  if (view === "events" && push) state.offset = 0;
  for (const b of document.querySelectorAll(".tab")) b.setAttribute("aria-pressed", String(b.dataset.view === view));
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== `view-${view}`;
  $("#filters").hidden = view === "code";
  writeURL(push);
  if (LOADERS[view]) LOADERS[view]();
  else {
    begin("");
    status("");
  }
}

async function loadSummary() {
  try {
    const s = await api("/api/stats?top=50");
    $("#summary").textContent =
      `${s.events} events from ${s.mentions} mentions in ${s.documents} documents` +
      (s.first_event_date ? `, ${s.first_event_date} to ${s.last_event_date}` : "");
    $("#types").replaceChildren(...Object.keys(s.events_by_type).map((t) => el("option", { value: t })));
  } catch (err) {
    $("#summary").textContent = err.message;
    $("#summary").className = "error";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => setView(b.dataset.view, true));
  $("#filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.offset = 0;
    setView(state.view, true);
  });
  $("#clear").addEventListener("click", () => {
    state.extra = new URLSearchParams();
    setTimeout(() => setView(state.view, true), 0); // after the form has been reset
  });
  $("#prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - state.limit);
    setView("events", false);
  });
  $("#next").addEventListener("click", () => {
    state.offset += state.limit;
    setView("events", false);
  });
  $("#limit").addEventListener("change", () => {
    state.limit = Math.min(1000, Math.max(1, Number($("#limit").value) || 50));
    state.offset = 0;
    if (state.view === "events") setView("events", false);
  });
  $("#to-timeline").addEventListener("click", (ev) => {
    ev.preventDefault();
    setView("timeline", true);
  });
  for (const id of ["#tl-colour", "#tl-period"]) $(id).addEventListener("change", () => setView("timeline", false));
  $("#code").addEventListener("submit", (ev) => {
    ev.preventDefault();
    codeText(ev.target);
  });
  window.addEventListener("popstate", () => {
    readURL();
    setView(state.view, false);
  });
  loadSummary();
  readURL();
  setView(state.view, false);
});
