"""Coreference in the database: fetch a block's mentions, replace its events, attach partial mentions.

Relinking works block by block, inside the caller's transaction: the mentions of the blocks are read
(``fetch``, by column name), clustered and summarised (``kronika.store.coref.summary``), and the
blocks' events and links replaced. Partial blocks are then attached to the full events they may
report (``kronika.store.coref.partial``) or clustered among themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from kronika.heap import paused_collector
from kronika.store.bulk import insert_arrow, insert_rows
from kronika.store.coref.clusters import MentionRow
from kronika.store.coref.component import SLACK, Component, SeedRanges, grow
from kronika.store.coref.keys import is_partial, partial_fits, split_block
from kronika.store.coref.partial import Candidate, CandidateIndex, attach
from kronika.store.coref.summary import counts, link
from kronika.store.tables import EVENT_MENTIONS, EVENTS

log = logging.getLogger(__name__)

EVENT_COLUMNS = EVENTS.arrow()
ALL_DATES = (dt.date(1, 1, 31), dt.date(9999, 12, 1))  # a window over every date (room for the slack)
LINK_COLUMNS = EVENT_MENTIONS.arrow()
# The events a relink wrote: each row with its members.
Written = dict[str, tuple[dict[str, Any], list[MentionRow]]]

_FETCH = """
    SELECT m.mention_id, m.doc_key, m.doc_id, coalesce(d.near_duplicate_of, m.doc_key) AS source_key,
           m.block_key, m.event_type,
           array_to_string(m.actor_cs, ',') AS actor_sig,
           array_to_string(m.recipient_cs, ',') AS recipient_sig,
           m.date_lo, m.date_hi, m.date_precision, m.place, coalesce(d.pub_date, m.pub_date) AS pub_date,
           coalesce(m.confidence, 0.5) AS confidence, m.event_scale, m.cameo, m.quad_code,
           m.actor_codes, m.actor_cs, m.actor_names, m.recipient_codes, m.recipient_cs, m.recipient_names,
           m.text, m.modality, coalesce(m.mode, []) AS mode, m.place_country, m.place_admin1, m.place_kind,
           m.place_lat, m.place_lon, m.place_geonameid
    FROM mentions m
    JOIN _relink_blocks b ON b.block_key = m.block_key
    LEFT JOIN documents d ON d.doc_key = m.doc_key
"""
# The same columns for given mentions, without the documents (joined after, on the few rows read).
_FETCH_IDS = (
    _FETCH.replace("coalesce(d.near_duplicate_of, m.doc_key) AS source_key", "NULL AS source_key")
    .replace("coalesce(d.pub_date, m.pub_date) AS pub_date", "m.pub_date")
    .replace(
        "JOIN _relink_blocks b ON b.block_key = m.block_key\n"
        "    LEFT JOIN documents d ON d.doc_key = m.doc_key",
        "WHERE m.mention_id IN (SELECT mention_id FROM _relink_ids)",
    )
)


_FETCH_ROWS = _FETCH_IDS.replace(
    "WHERE m.mention_id IN (SELECT mention_id FROM _relink_ids)",
    "WHERE m.rowid IN (SELECT unnest(?::BIGINT[]))",
)


def keys_table(keys: Sequence[str]) -> pa.Table:
    return pa.table({"block_key": pa.array(list(keys), pa.string())})


def fetch(con: duckdb.DuckDBPyConnection) -> list[MentionRow]:
    """The mentions of the blocks registered as ``_relink_blocks``, built by column name."""
    cur = con.execute(_FETCH)
    names = [d[0] for d in cur.description]
    return [MentionRow(**dict(zip(names, row, strict=True))) for row in cur.fetchall()]


def fetch_ids(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str], rows: Mapping[str, int] | None = None
) -> list[MentionRow]:
    """The mentions with these ids, in id order (their document's copy-of and publication date as
    ``fetch`` gives them). With ``rows`` (each id's ``rowid``, read in this transaction) they are read
    by position, which skips the wide columns of every other row; by id when that does not give them."""
    known = rows is not None and all(i in rows for i in ids)
    found = _fetch_rows(con, [rows[i] for i in ids]) if rows is not None and known else []
    if sorted(r["mention_id"] for r in found) != sorted(ids):
        con.register("_relink_ids", pa.table({"mention_id": pa.array(sorted(ids), pa.string())}))
        try:
            found = _dicts(con.execute(_FETCH_IDS + " ORDER BY m.mention_id"))
        finally:
            con.unregister("_relink_ids")
    return _with_documents(con, found)


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _fetch_rows(con: duckdb.DuckDBPyConnection, rowids: Sequence[int]) -> list[dict[str, Any]]:
    return _dicts(con.execute(_FETCH_ROWS + " ORDER BY m.mention_id", [sorted(rowids)]))


def _with_documents(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[MentionRow]:
    """Mention rows with their document's copy-of (``source_key``) and publication date."""
    docs = {
        r[0]: (r[1], r[2])
        for r in con.execute(
            "SELECT doc_key, near_duplicate_of, pub_date FROM documents "
            "WHERE doc_key IN (SELECT unnest(?::VARCHAR[]))",
            [sorted({r["doc_key"] for r in rows})],
        ).fetchall()
    }
    for r in rows:
        original, pub = docs.get(r["doc_key"], (None, None))
        r["source_key"] = original or r["doc_key"]
        r["pub_date"] = pub if pub is not None else r["pub_date"]
    return [MentionRow(**r) for r in rows]


def _link_table(links: Sequence[tuple[str, str, str]]) -> pa.Table:
    return pa.table({c: pa.array([x[i] for x in links], t) for i, (c, t) in enumerate(LINK_COLUMNS.items())})


def replace_blocks(
    con: duckdb.DuckDBPyConnection, events: list[dict[str, Any]], links: list[tuple[str, str, str]]
) -> None:
    """Delete the events and links of the blocks in ``_relink_blocks`` and insert the new ones."""
    con.execute("DELETE FROM event_mentions WHERE block_key IN (SELECT block_key FROM _relink_blocks)")
    con.execute("DELETE FROM events WHERE block_key IN (SELECT block_key FROM _relink_blocks)")
    insert_rows(con, "events", events, EVENT_COLUMNS)
    insert_arrow(con, "event_mentions", _link_table(links))


def partners(con: duckdb.DuckDBPyConnection, full_blocks: Iterable[str]) -> set[str]:
    """The partial blocks whose mentions may join events of these fully specified blocks."""
    by_type: dict[str, list[str]] = {}
    for k in full_blocks:
        by_type.setdefault(split_block(k)[0], []).append(k)
    if not by_type:
        return set()
    rows = con.execute(
        "SELECT DISTINCT block_key FROM mentions WHERE event_type IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(by_type)],
    ).fetchall()
    out: set[str] = set()
    for (key,) in rows:
        if is_partial(key) and any(partial_fits(key, f) for f in by_type[split_block(key)[0]]):
            out.add(key)
    return out


def relink(
    con: duckdb.DuckDBPyConnection,
    blocks: Iterable[str],
    new: Iterable[tuple[str, str]] = (),
) -> int:
    """Recompute the events the changed mentions of the given blocks can affect; return how many
    events were written.

    The changed mentions of ``blocks`` are found by looking at the blocks: those not linked yet (new)
    and the members left of events that lost one (replaced documents). ``new`` gives (mention id,
    block) of mentions known to be new instead, whose blocks need no such look (what ingest queues).
    Only their components (``kronika.store.coref.component``) are read, clustered and replaced: fully
    specified blocks first; then the partial blocks, and those whose mentions may join the events that
    changed, are attached or clustered around the changes. Runs inside the caller's transaction.
    The cyclic garbage collector does not run meanwhile: a relink makes many small objects and no
    cycles to collect, and a full collection falling inside one cost 0.15 s of a 0.5–0.75 s relink at
    370k mentions (more in a process that also holds a parsing model).
    """
    with paused_collector():
        return _relink(con, blocks, new)


def _relink(con: duckdb.DuckDBPyConnection, blocks: Iterable[str], new: Iterable[tuple[str, str]]) -> int:
    scan = set(blocks)
    given: dict[str, list[str]] = {}
    for mention_id, block in new:
        given.setdefault(block, []).append(mention_id)
    keys = scan | set(given)
    full = sorted(k for k in keys if not is_partial(k))
    partial = sorted((keys - set(full)) | partners(con, full))
    ranges = SeedRanges(con, [m for ms in given.values() for m in ms])
    full_pass = _FullPass()
    if full:
        full_pass = _relink_full(con, full, _Changes(scan, given), ranges)
    n = full_pass.events
    if partial:
        changed = full_pass.changed
        fits = {(p, b): partial_fits(p, b) for p in partial for b in {c[0] for c in changed}}
        windows = [(p, lo, hi) for p in partial for block, lo, hi in changed if fits[p, block]]
        n += _relink_partial(con, partial, _Changes(scan, given), full_pass, windows, ranges)
    return n


@dataclass
class _FullPass:
    """What relinking the fully specified blocks did: the events it wrote (each row with its
    members), the (block, date_lo, date_hi) of every event removed or written otherwise, and the
    partial mentions that were attached to a removed event."""

    written: Written = field(default_factory=dict)
    changed: list[tuple[str, Any, Any]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    events: int = 0  # events computed, those written again as they were included


@dataclass
class _Changes:
    """Where the changed mentions are: blocks to look at (``scan``), mentions given by block."""

    scan: set[str]
    given: dict[str, list[str]]

    def seeds(self, con: duckdb.DuckDBPyConnection, blocks: Sequence[str]) -> tuple[list[str], list[str]]:
        """The changed mentions of ``blocks`` and the events left broken (``_changed_seeds``)."""
        looked = [b for b in blocks if b in self.scan]
        seeds, broken = _changed_seeds(con, looked) if looked else ([], [])
        seeds += [m for b in blocks if b not in self.scan for m in self.given.get(b, ())]
        return seeds, broken


def _changed_seeds(con: duckdb.DuckDBPyConnection, blocks: Sequence[str]) -> tuple[list[str], list[str]]:
    """The blocks' mentions not linked yet, and the events left with a link to a mention that is gone
    (deleted with their links; their remaining members are returned as seeds too)."""
    con.register("_relink_blocks", keys_table(blocks))
    try:
        seeds = [
            r[0]
            for r in con.execute(
                """
                SELECT m.mention_id FROM mentions m JOIN _relink_blocks b ON b.block_key = m.block_key
                WHERE NOT EXISTS (SELECT 1 FROM event_mentions em WHERE em.mention_id = m.mention_id)
                """
            ).fetchall()
        ]
        broken = [
            r[0]
            for r in con.execute(
                """
                SELECT DISTINCT e.event_id FROM events e JOIN _relink_blocks b ON b.block_key = e.block_key
                LEFT JOIN event_mentions em ON em.event_id = e.event_id
                LEFT JOIN mentions m ON m.mention_id = em.mention_id
                WHERE em.mention_id IS NULL OR m.mention_id IS NULL
                """
            ).fetchall()
        ]
    finally:
        con.unregister("_relink_blocks")
    if broken:
        seeds += [
            r[0]
            for r in con.execute(
                """
                SELECT em.mention_id FROM event_mentions em JOIN mentions m USING (mention_id)
                WHERE em.event_id IN (SELECT unnest(?::VARCHAR[]))
                """,
                [broken],
            ).fetchall()
        ]
    return seeds, broken


# Lookups by key, each a narrow filter of one table (DuckDB's hash joins would read the whole
# tables for the join before filtering).


def _event_blocks(con: duckdb.DuckDBPyConnection, events: Sequence[str]) -> dict[str, str]:
    """The block of each of these events that exists."""
    if not events:
        return {}
    rows = con.execute(
        "SELECT event_id, block_key FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(events)],
    ).fetchall()
    return {r[0]: r[1] for r in rows}


@dataclass
class _Rewrite:
    """What relinking a component writes: the events to delete (ids) and the positions of the links
    to delete (``rowid`` in ``event_mentions``), then the event rows and links to insert."""

    events_gone: Sequence[str]
    links_gone: Sequence[int]
    events: list[dict[str, Any]]
    links: list[tuple[str, str, str]]

    def write(
        self, con: duckdb.DuckDBPyConnection, component: Component, search: Sequence[str] = ()
    ) -> list[tuple[str, str, str]]:
        """Delete and insert; return the (mention_id, event_id, block_key) links deleted.

        The links and the events the component read are deleted by position, which reads no key
        column of the tables. The events in ``search`` may have links that are not the component's
        (partial mentions attached to a full event, links to mentions that are gone): those are
        found by event id."""
        old = self.events_gone
        removed = _delete_at(con, "event_mentions", self.links_gone, "mention_id, event_id, block_key")
        if search:
            removed += con.execute(
                "DELETE FROM event_mentions WHERE event_id IN (SELECT unnest(?::VARCHAR[])) "
                "RETURNING mention_id, event_id, block_key",
                [sorted(search)],
            ).fetchall()
        at = component.event_rows
        _delete_at(con, "events", [at[e] for e in old if e in at])
        unknown = sorted(e for e in old if e not in at)
        if unknown:
            con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [unknown])
        insert_rows(con, "events", self.events, EVENT_COLUMNS)
        insert_arrow(con, "event_mentions", _link_table(self.links))
        return [(r[0], r[1], r[2]) for r in removed]


def _delete_at(
    con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[int], returning: str = ""
) -> list[tuple[Any, ...]]:
    """Delete the rows of ``table`` at these positions (``rowid``); the ``returning`` columns of them."""
    if not rows:
        return []
    sql = f"DELETE FROM {table} WHERE rowid IN (SELECT unnest(?::BIGINT[]))"
    cur = con.execute(f"{sql} RETURNING {returning}" if returning else sql, [sorted(rows)])
    return cur.fetchall() if returning else []


def _relink_full(
    con: duckdb.DuckDBPyConnection, full: Sequence[str], changes: _Changes, ranges: SeedRanges
) -> _FullPass:
    """Relink the components of the changed mentions of fully specified blocks."""
    seeds, broken = changes.seeds(con, full)
    if not seeds and not broken:
        return _FullPass()
    component = grow(con, full, seeds, ranges=ranges)
    ids = component.ids
    old = component.native_events()
    old_ids = sorted({o[0] for o in old} | set(broken))
    # The partial mentions attached to the events about to be replaced (linked from another block).
    blocks = {o[0]: o[1] for o in old} | _event_blocks(con, sorted(set(broken) - {o[0] for o in old}))
    mentions = fetch_ids(con, ids, component.rows)
    events, links = link(mentions)
    doc_of = {m.mention_id: m.doc_key for m in mentions}
    native = [(m, e) for m, e, link_block, block, _, _ in component.links if block == link_block]
    stored = _stored_events(con, old_ids, component.event_rows)
    before = _as_candidates(stored, native, doc_of)
    plan, search = _full_rewrite(component, broken, stored, events, links)
    removed = plan.write(con, component, search)
    gone = set(plan.events_gone)
    orphans = [m for m, event, block in removed if event in gone and block != blocks.get(event)]
    # an orphan was attached through its event's dates: the partial relink reads around them
    dates = {o[0]: (o[2], o[3]) for o in old}
    for m, event, block in removed:
        lo, hi = dates.get(event, (None, None))
        if event in gone and block != blocks.get(event) and lo is not None and hi is not None:
            ranges.stand_in[m] = (block, lo, hi)
    after = _as_candidates(events, [(m, e) for e, m, _ in links], doc_of)
    # Partial mentions look again only near the events that changed as a candidate (``attach``
    # reads an event's block, dates, place, sides and documents): removed, added or written
    # otherwise. An event written again as it was leaves every attachment as it is.
    changed = [(c[0], c[1], c[2]) for e, c in before.items() if after.get(e) != c]
    changed += [(c[0], c[1], c[2]) for e, c in after.items() if before.get(e) != c]
    log.debug("relinked %d blocks: %d mentions into %d events", len(full), len(mentions), len(events))
    by_id = {m.mention_id: m for m in mentions}
    written: Written = {e["event_id"]: (e, []) for e in plan.events}
    for e, m, _ in plan.links:
        written[e][1].append(by_id[m])
    return _FullPass(written, changed, orphans, len(events))


# The fully specified events of some types, dated near the windows in ``_near`` (or undated, when
# ``{undated}`` says so) or among the events given.
_CANDIDATES = """
    SELECT e.event_id, e.block_key, e.date_lo, e.date_hi, e.date_precision, e.place,
           list_concat(e.actor_cs, e.recipient_cs) AS cs
    FROM events e
    WHERE e.event_type IN (SELECT unnest(?::VARCHAR[]))
      AND split_part(e.block_key, '|', 2) <> '' AND split_part(e.block_key, '|', 3) <> ''
      AND ({undated} EXISTS (SELECT 1 FROM _near w
                             WHERE e.date_lo <= w.hi + {slack} AND e.date_hi >= w.lo - {slack})
           OR e.event_id IN (SELECT unnest(?::VARCHAR[])))
    ORDER BY e.event_id
"""
# The links of the mentions of some documents, with their document.
_DOC_LINKS = """
    SELECT em.event_id, em.block_key, m.doc_key
    FROM event_mentions em JOIN (SELECT mention_id, doc_key FROM mentions
                                 WHERE doc_key IN (SELECT unnest(?::VARCHAR[]))) m
         ON m.mention_id = em.mention_id
"""


def _as_candidates(
    events: Iterable[Mapping[str, Any]], native: Iterable[tuple[str, str]], doc_of: Mapping[str, str]
) -> dict[str, tuple[Any, ...]]:
    """What ``attach`` reads of these events (rows of ``events``): block, date_lo, date_hi, precision,
    place, the labels of both sides, and the documents of the native members, given as (mention,
    event) with each mention's document."""
    docs: dict[str, set[str]] = {}
    for mention_id, event_id in native:
        docs.setdefault(event_id, set()).add(doc_of[mention_id])
    return {
        e["event_id"]: (
            e["block_key"],
            e["date_lo"],
            e["date_hi"],
            e["date_precision"],
            e["place"],
            frozenset([*(e["actor_cs"] or ()), *(e["recipient_cs"] or ())]),
            frozenset(docs.get(e["event_id"], ())),
        )
        for e in events
    }


def _stored_events(
    con: duckdb.DuckDBPyConnection, events: Sequence[str], rows: Mapping[str, int]
) -> list[dict[str, Any]]:
    """What ``_as_candidates`` reads of these stored events, and their number of mentions; read by
    position when ``rows`` knows them all."""
    columns = "event_id, block_key, date_lo, date_hi, date_precision, place, actor_cs, recipient_cs"
    keys: list[Any]
    if all(e in rows for e in events):
        where, keys = "rowid IN (SELECT unnest(?::BIGINT[]))", sorted(rows[e] for e in events)
    else:
        where, keys = "event_id IN (SELECT unnest(?::VARCHAR[]))", sorted(events)
    return _dicts(con.execute(f"SELECT {columns}, n_mentions FROM events WHERE {where}", [keys]))


def _native_members(component: Component) -> dict[str, set[str]]:
    """The component's mentions in each event they are native members of (as stored)."""
    out: dict[str, set[str]] = {}
    for m, e, b, event_block, *_ in component.links:
        if event_block == b:
            out.setdefault(e, set()).add(m)
    return out


def _members(links: Iterable[tuple[str, str, str]]) -> dict[str, set[str]]:
    """The mentions of each event in these (event_id, mention_id, block_key) links."""
    out: dict[str, set[str]] = {}
    for e, m, _ in links:
        out.setdefault(e, set()).add(m)
    return out


def _full_rewrite(
    component: Component,
    broken: Sequence[str],
    stored: Sequence[Mapping[str, Any]],
    events: list[dict[str, Any]],
    links: list[tuple[str, str, str]],
) -> tuple[_Rewrite, list[str]]:
    """What relinking a component of fully specified blocks writes, and the events removed whose
    other links (attached partial mentions, links to mentions that are gone) must be looked for.

    An event clustered again with the same members (and id) stays as it is, with its links, its
    counts and the partial mentions attached to it: its row is computed from its members, and its
    counts from them and its attachments, which it keeps. After a revision everything is written."""
    before = _native_members(component)
    after = _members(links)
    same = {e for e, members in after.items() if not broken and before.get(e) == members}
    old = sorted((set(before) | set(broken)) - same)
    n_mentions = {r["event_id"]: r["n_mentions"] for r in stored}
    # a removed event has links outside the component when it counts more mentions than it has here
    search = [e for e in old if e in broken or (n_mentions.get(e) or 0) != len(before.get(e, ()))]
    link_events = [link[1] for link in component.links]
    plan = _Rewrite(
        old,
        [row for e, row in zip(link_events, component.link_rows, strict=True) if e not in same],
        [e for e in events if e["event_id"] not in same],
        [x for x in links if x[0] not in same],
    )
    return plan, search


def candidates(
    con: duckdb.DuckDBPyConnection, partial: Sequence[str], mentions: Sequence[MentionRow]
) -> dict[str, CandidateIndex]:
    """For each partial block, the fully specified events it may join (type and side match), among
    those dated near one of the ``mentions``, those of their documents, and undated ones when one of
    them has no date window (the only mentions an undated event of another article is a candidate
    to: ``CandidateIndex.near``).

    A candidate's documents are those of its native members among the mentions' documents: the only
    ones ``attach`` asks about. (Every event has a native member: its block's relink wrote it with its
    members, and a revision that removes members queues the block, relinked before partial blocks.)
    """
    types = sorted({split_block(k)[0] for k in partial})
    doc_links = con.execute(_DOC_LINKS, [sorted({m.doc_key for m in mentions})]).fetchall()
    undated = "e.date_lo IS NULL OR" if any(m.search_range[0] is None for m in mentions) else ""
    con.register("_near", _near_table(mentions))
    try:
        rows = con.execute(
            _CANDIDATES.format(undated=undated, slack=SLACK), [types, sorted({r[0] for r in doc_links})]
        ).fetchall()
    finally:
        con.unregister("_near")
    docs: dict[tuple[str, str], set[str]] = {}
    for event_id, block, doc_key in doc_links:
        docs.setdefault((event_id, block), set()).add(doc_key)
    return _candidate_index(partial, [(*r, docs.get((r[0], r[1]), ())) for r in rows])


def _near_table(mentions: Sequence[MentionRow]) -> pa.Table:
    spans = sorted({(m.search_range[0], m.search_range[1]) for m in mentions if m.search_range[0]})
    return pa.table(
        {
            "lo": pa.array([a for a, _ in spans], pa.date32()),
            "hi": pa.array([b for _, b in spans], pa.date32()),
        }
    )


def _candidate_index(partial: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> dict[str, CandidateIndex]:
    """The candidate events of each partial block, from (event, block, date, place, cs, doc keys) rows."""
    by_label: dict[tuple[str, str], list[str]] = {}  # (type, a label of its known side) -> partial blocks
    for k in partial:
        t, a, r = split_block(k)
        for label in (a or r).split(","):
            by_label.setdefault((t, label), []).append(k)
    out = {k: CandidateIndex() for k in partial}
    fitting: dict[str, list[str]] = {}
    for event_id, block, lo, hi, precision, place, cs, doc_keys in rows:
        if block not in fitting:
            t, a, r = split_block(block)
            fits = {k for label in {*a.split(","), *r.split(",")} for k in by_label.get((t, label), ())}
            fitting[block] = sorted(k for k in fits if partial_fits(k, block))
        if not fitting[block]:
            continue
        cand = Candidate(
            event_id, block, (lo, hi, precision), place, frozenset(cs or ()), frozenset(doc_keys or ())
        )
        for k in fitting[block]:
            out[k].add(cand)
    return out


# The counts of the events in ``_recount``, computed first (a read of their links alone), then set.
_COUNTED = """
        WITH em AS (SELECT event_id, mention_id FROM event_mentions
                    WHERE event_id IN (SELECT event_id FROM _recount)),
             m AS (SELECT mention_id, doc_key, doc_id, pub_date FROM mentions
                   WHERE mention_id IN (SELECT mention_id FROM em)),
             d AS (SELECT doc_key, near_duplicate_of, pub_date FROM documents
                   WHERE doc_key IN (SELECT doc_key FROM m))
        SELECT em.event_id, count(*)::INTEGER AS n_mentions,
               count(DISTINCT coalesce(d.near_duplicate_of, m.doc_key))::INTEGER AS n_sources,
               count(DISTINCT m.doc_key)::INTEGER AS n_documents,
               list_sort(list(DISTINCT m.doc_id)) AS sources,
               min(coalesce(d.pub_date, m.pub_date)) AS first_report,
               max(coalesce(d.pub_date, m.pub_date)) AS last_report
        FROM em JOIN m USING (mention_id) LEFT JOIN d ON d.doc_key = m.doc_key
        GROUP BY em.event_id
"""
# The recounted rows whole: replaced by a delete and an insert, which DuckDB does faster than an
# update of a list column on an indexed table.
_RECOUNTED = """
    SELECT e.* REPLACE (a.n_mentions AS n_mentions, a.n_sources AS n_sources, a.n_documents AS n_documents,
                        a.sources AS sources, a.first_report AS first_report, a.last_report AS last_report)
    FROM events e JOIN _counted a ON a.event_id = e.event_id
"""


def _write_partial(
    con: duckdb.DuckDBPyConnection,
    component: Component,
    broken: Sequence[str],
    events: list[dict[str, Any]],
    links: list[tuple[str, str, str]],
    attached: list[tuple[str, str, str]],
) -> list[str]:
    """Write what relinking a partial component changed: its events of partial mentions (``events``
    with their ``links``) and the attachments of its mentions to full events (``attached``). Return
    the full events whose attached mentions changed (their counts must be computed again).

    A link that is stored already stays, and so does an event of partial mentions written again with
    the same members (its row is computed from them alone); the rest of the component's links and
    events are deleted and the new ones inserted."""
    stored = dict(zip(((e, m, b) for m, e, b, *_ in component.links), component.link_rows, strict=True))
    before = _native_members(component)
    after = _members(links)
    # after a revision (events that lost a member) everything is written again
    same = {e for e, members in after.items() if not broken and before.get(e) == members}
    keep = set(links) | set(attached) if not broken else set()
    old = sorted((set(before) | set(broken)) - same)
    removed = [x for x in stored if x not in keep]
    change = _Rewrite(
        old,
        [stored[x] for x in removed],
        [e for e in events if e["event_id"] not in same],
        [x for x in [*links, *attached] if x not in stored or x not in keep],
    )
    change.write(con, component, old if broken else ())
    # the full events that lost or gained an attached mention (a link to an event of another block)
    blocks = component.event_blocks()
    lost = {e for e, _, b in removed if e in blocks and blocks[e] != b}
    return sorted(lost | {e for e, _, _ in set(attached) - (set(stored) & keep)})


def _write_counts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Replace these events (written earlier in the transaction) with these rows."""
    if rows:
        ids = [r["event_id"] for r in rows]
        con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        insert_rows(con, "events", rows, EVENT_COLUMNS)


def _recount(con: duckdb.DuckDBPyConnection, recount: Sequence[str]) -> None:
    """Compute the counts and sources of these events again from their links."""
    con.register("_recount", pa.table({"event_id": pa.array(recount, pa.string())}))
    try:
        con.register("_counted", con.sql(_COUNTED).to_arrow_table())
        con.register("_recounted", con.sql(_RECOUNTED).to_arrow_table())
        con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM _recounted)")
        con.execute("INSERT INTO events SELECT * FROM _recounted")
    finally:
        for name in ("_recount", "_counted", "_recounted"):
            con.unregister(name)


def _relink_partial(
    con: duckdb.DuckDBPyConnection,
    keys: Sequence[str],
    changes: _Changes,
    full_pass: _FullPass,
    windows: Sequence[tuple[str, Any, Any]],
    ranges: SeedRanges,
) -> int:
    """Attach the changed partial mentions, and those near events that changed, to full events, or
    cluster them among themselves."""
    seeds, broken = changes.seeds(con, keys)
    # An undated event is a candidate to every partial mention of the blocks it fits.
    undated = [(p, ALL_DATES[0], ALL_DATES[1]) for p, lo, _ in windows if lo is None]
    windows = [w for w in windows if w[1] is not None] + undated
    orphans = full_pass.orphans
    if not seeds and not broken and not orphans and not windows:
        return 0
    component = grow(con, keys, [*seeds, *orphans], windows, ranges)
    ids = component.ids
    if not ids:
        return 0
    mentions = fetch_ids(con, ids, component.rows)
    index = candidates(con, keys, mentions)
    attached: list[tuple[str, str, str]] = []
    alone: list[MentionRow] = []
    for m in mentions:
        target = attach(m, index.get(m.block_key))
        if target is None:
            alone.append(m)
        else:
            attached.append((target.event_id, m.mention_id, m.block_key))
    events, links = link(alone)
    recount = _write_partial(con, component, broken, events, links, attached)
    # An event written by this relink has its members at hand: its own and those attached now
    # (every earlier attachment to it was removed with the event it replaced).
    by_id = {m.mention_id: m for m in mentions}
    known = {e: [*full_pass.written[e][1]] for e in recount if e in full_pass.written}
    for e, mention_id, _ in attached:
        if e in known:
            known[e].append(by_id[mention_id])
    _write_counts(con, [full_pass.written[e][0] | counts(members) for e, members in sorted(known.items())])
    rest = [e for e in recount if e not in known]
    if rest:
        _recount(con, rest)
    log.debug(
        "relinked %d partial blocks: %d mentions attached, %d more in %d events",
        len(keys),
        len(attached),
        len(alone),
        len(events),
    )
    return len(events)
