"""Coreference in the database: fetch a block's mentions, replace its events, attach partial mentions.

Relinking works block by block, inside the caller's transaction: the mentions of the blocks are read
(``fetch``, by column name), clustered and summarised (``kronika.store.coref.summary``), and the
blocks' events and links replaced. Partial blocks are then attached to the full events they may
report (``kronika.store.coref.partial``) or clustered among themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from kronika.store.bulk import insert_arrow, insert_rows
from kronika.store.coref.clusters import MentionRow
from kronika.store.coref.keys import is_partial, partial_fits, split_block
from kronika.store.coref.partial import Candidate, CandidateIndex, attach
from kronika.store.coref.summary import link
from kronika.store.tables import EVENT_MENTIONS, EVENTS

log = logging.getLogger(__name__)

EVENT_COLUMNS = EVENTS.arrow()
LINK_COLUMNS = EVENT_MENTIONS.arrow()

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


def keys_table(keys: Sequence[str]) -> pa.Table:
    return pa.table({"block_key": pa.array(list(keys), pa.string())})


def fetch(con: duckdb.DuckDBPyConnection) -> list[MentionRow]:
    """The mentions of the blocks registered as ``_relink_blocks``, built by column name."""
    cur = con.execute(_FETCH)
    names = [d[0] for d in cur.description]
    return [MentionRow(**dict(zip(names, row, strict=True))) for row in cur.fetchall()]


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


def relink(con: duckdb.DuckDBPyConnection, blocks: Iterable[str]) -> int:
    """Recompute the events of the given blocks from their stored mentions; return how many events.

    Fully specified blocks are clustered first; then the partial blocks given, and those whose
    mentions may join events of the full blocks given, are attached or clustered. Runs inside the
    caller's transaction.
    """
    keys = set(blocks)
    full = sorted(k for k in keys if not is_partial(k))
    partial = sorted((keys - set(full)) | partners(con, full))
    n = 0
    if full:
        con.register("_relink_blocks", keys_table(full))
        try:
            mentions = fetch(con)
            events, links = link(mentions)
            replace_blocks(con, events, links)
        finally:
            con.unregister("_relink_blocks")
        n += len(events)
        log.debug("relinked %d blocks: %d mentions into %d events", len(full), len(mentions), len(events))
    if partial:
        n += _relink_partial(con, partial)
    return n


def candidates(con: duckdb.DuckDBPyConnection, partial: Sequence[str]) -> dict[str, CandidateIndex]:
    """For each partial block, the fully specified events it may join (type and side match)."""
    types = sorted({split_block(k)[0] for k in partial})
    rows = con.execute(
        """
        SELECT e.event_id, e.block_key, e.date_lo, e.date_hi, e.date_precision, e.place,
               list_concat(e.actor_cs, e.recipient_cs) AS cs, list(DISTINCT m.doc_key) AS doc_keys
        FROM events e
        JOIN event_mentions em ON em.event_id = e.event_id AND em.block_key = e.block_key
        JOIN mentions m ON m.mention_id = em.mention_id
        WHERE e.event_type IN (SELECT unnest(?::VARCHAR[]))
          AND split_part(e.block_key, '|', 2) <> '' AND split_part(e.block_key, '|', 3) <> ''
        GROUP BY ALL
        ORDER BY e.event_id
        """,
        [types],
    ).fetchall()
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
            near = {k for label in {*a.split(","), *r.split(",")} for k in by_label.get((t, label), ())}
            fitting[block] = sorted(k for k in near if partial_fits(k, block))
        if not fitting[block]:
            continue
        cand = Candidate(
            event_id, block, (lo, hi, precision), place, frozenset(cs or ()), frozenset(doc_keys or ())
        )
        for k in fitting[block]:
            out[k].add(cand)
    return out


_COUNTS = """
    UPDATE events SET n_mentions = a.n_mentions, n_sources = a.n_sources, n_documents = a.n_documents,
                      sources = a.sources, first_report = a.first_report, last_report = a.last_report
    FROM (
        SELECT em.event_id, count(*)::INTEGER AS n_mentions,
               count(DISTINCT coalesce(d.near_duplicate_of, m.doc_key))::INTEGER AS n_sources,
               count(DISTINCT m.doc_key)::INTEGER AS n_documents,
               list_sort(list(DISTINCT m.doc_id)) AS sources,
               min(coalesce(d.pub_date, m.pub_date)) AS first_report,
               max(coalesce(d.pub_date, m.pub_date)) AS last_report
        FROM event_mentions em
        JOIN mentions m USING (mention_id)
        LEFT JOIN documents d ON d.doc_key = m.doc_key
        WHERE em.event_id IN (SELECT event_id FROM _recount)
        GROUP BY em.event_id
    ) a
    WHERE events.event_id = a.event_id
"""


def _relink_partial(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> int:
    """Attach the mentions of partial blocks to full events, or cluster them among themselves."""
    con.register("_relink_blocks", keys_table(keys))
    try:
        before = {
            r[0]
            for r in con.execute(
                """
                SELECT DISTINCT em.event_id FROM event_mentions em
                JOIN _relink_blocks b ON b.block_key = em.block_key
                JOIN events e ON e.event_id = em.event_id AND e.block_key <> em.block_key
                """
            ).fetchall()
        }
        mentions = fetch(con)
        index = candidates(con, keys)
        attached: list[tuple[str, str, str]] = []
        alone: list[MentionRow] = []
        for m in mentions:
            target = attach(m, index.get(m.block_key))
            if target is None:
                alone.append(m)
            else:
                attached.append((target.event_id, m.mention_id, m.block_key))
        events, links = link(alone)
        replace_blocks(con, events, links + attached)
    finally:
        con.unregister("_relink_blocks")
    recount = sorted(before | {x[0] for x in attached})
    if recount:
        con.register("_recount", pa.table({"event_id": pa.array(recount, pa.string())}))
        try:
            con.execute(_COUNTS)
        finally:
            con.unregister("_recount")
    log.debug(
        "relinked %d partial blocks: %d mentions attached, %d more in %d events",
        len(keys),
        len(attached),
        len(alone),
        len(events),
    )
    return len(events)
