// The Kronika page: search events, show a dyad timeline, code pasted text. Every piece of text goes into
// the page through textContent or text nodes, never as markup.
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

function party(list) {
  return (list || []).map((x) => [x.code, x.sector].filter(Boolean).join(" ") + (x.name ? ` (${x.name})` : "")).join(", ");
}

// ---------------------------------------------------------------- event table

const state = { mode: "events", params: null, offset: 0, limit: 50, total: 0 };

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
    { tabindex: "0", class: "event", title: e.text || "" },
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
  const body = $("#events tbody");
  body.replaceChildren(...events.map(eventRow));
  $("#count").textContent = countText;
  $("#prev").hidden = !paged;
  $("#next").hidden = !paged;
  $("#prev").disabled = state.offset <= 0;
  $("#next").disabled = state.offset + state.limit >= state.total;
  $("#results").hidden = false;
  $("#detail").hidden = true;
}

async function searchEvents() {
  const params = new URLSearchParams(state.params);
  params.set("limit", String(state.limit));
  params.set("offset", String(state.offset));
  status("Searching…");
  try {
    const page = await api(`/api/events?${params}`);
    state.total = page.total;
    const last = Math.min(page.offset + page.events.length, page.total);
    const text = page.total ? `events ${page.offset + 1}–${last} of ${page.total}` : "no event matches";
    showEvents(page.events, text, true);
    status("");
  } catch (err) {
    status(err.message, true);
  }
}

async function showTimeline(form) {
  const params = formParams(form);
  status("Loading the timeline…");
  try {
    const t = await api(`/api/timeline?${params}`);
    const who = t.b ? `${t.a} – ${t.b}` : t.a;
    showEvents(t.events, `${t.events.length} dated events of ${who}`, false);
    status("");
  } catch (err) {
    status(err.message, true);
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
            ` · ${m.modality || ""} · confidence ${m.confidence ?? ""}`,
        ),
      ),
    );
    box.replaceChildren(
      el("h2", {}, `${e.event || ""} ${e.date || "undated"}: ${e.actor || "?"} → ${e.recipient || "—"}`),
      el("p", { class: "muted" }, `${e.event_id} · ${e.n_mentions} mentions in ${e.n_sources} sources · CAMEO ${e.cameo || "?"} · scale ${e.event_scale ?? "?"}`),
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
        el("div", { class: "muted" }, `date ${r.date || "none"} · ${r.modality} · confidence ${r.confidence}`),
        el("blockquote", {}, highlighted(r.text, spans)),
      );
    });
    out.replaceChildren(
      el("p", {}, `${res.records.length} event records`),
      el("ol", {}, ...items),
      el("details", {}, el("summary", {}, "PLOVER JSON"), el("pre", {}, JSON.stringify(res.records, null, 2))),
    );
    status("");
  } catch (err) {
    status(err.message, true);
  }
}

// ---------------------------------------------------------------- wiring

function setMode(mode) {
  state.mode = mode;
  for (const b of document.querySelectorAll(".tab")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
  for (const s of document.querySelectorAll(".mode")) s.hidden = s.id !== `mode-${mode}`;
  if (mode === "code") {
    $("#results").hidden = true;
    $("#detail").hidden = true;
  }
  status("");
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
  for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => setMode(b.dataset.mode));
  $("#search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const params = formParams(ev.target);
    state.limit = Number(params.get("limit") || 50);
    params.delete("limit");
    state.params = params;
    state.offset = 0;
    searchEvents();
  });
  $("#prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - state.limit);
    searchEvents();
  });
  $("#next").addEventListener("click", () => {
    state.offset += state.limit;
    searchEvents();
  });
  $("#timeline").addEventListener("submit", (ev) => {
    ev.preventDefault();
    showTimeline(ev.target);
  });
  $("#code").addEventListener("submit", (ev) => {
    ev.preventDefault();
    codeText(ev.target);
  });
  loadSummary();
  $("#search").requestSubmit();  // the first page of events, unfiltered
});
