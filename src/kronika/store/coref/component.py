"""The part of a block that changed mentions can affect: relinking reads, clusters and replaces only it.

Clustering within a block is local in time: a mention joins an event whose anchor is within a day of
its day, inside its month or year, or inside the week before its publication; an undated mention also
joins an event of its own document, and one without a publication date only an undated event. So the
events that new (or removed) mentions can change are those of the mentions reachable from them by
these steps: their *component*. ``grow`` finds it, starting from seed mentions and widening by date
windows, documents and co-members of events until nothing is added, and clustering the component
alone gives the events a relink of the whole block would give it. It reaches through a ``Scope``: the
narrow columns and links of the blocks, read once per relink, so each step is a filter of those rather
than a search of the whole store; reading the scope follows the size of the blocks, the rest the size
of the component.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from kronika.store.coref.dates import DAY_TOLERANCE, UNDATED_WINDOW

# A date window of a block: (block_key, first day, last day).
Window = tuple[str, dt.date | None, dt.date | None]
# Days a window is widened by on each side: the day tolerance, and one more for safety.
SLACK = DAY_TOLERANCE + 1

# The part of the store a component can reach (a ``Scope``): the narrow columns of the mentions of its
# blocks, with each one's search range (its date range, else the week before its publication) and its
# position in the table, and the links of those blocks. A link's ``block_key`` is its mention's block,
# so the mentions of the blocks and the co-members they may reach are all in the scope.
_SCOPE = f"""
    WITH m AS (SELECT rowid AS row_id, mention_id, block_key, doc_key, date_lo, date_hi, pub_date
               FROM mentions WHERE block_key IN (SELECT block_key FROM _component_blocks)),
         d AS (SELECT doc_key, pub_date FROM documents
               WHERE doc_key IN (SELECT doc_key FROM m WHERE date_lo IS NULL OR date_hi IS NULL))
    SELECT m.mention_id, m.block_key, m.doc_key, m.row_id,
           coalesce(m.date_lo, coalesce(d.pub_date, m.pub_date) - {UNDATED_WINDOW}) AS lo,
           coalesce(m.date_hi, coalesce(d.pub_date, m.pub_date)) AS hi
    FROM m LEFT JOIN d ON d.doc_key = m.doc_key
"""
# The links of the blocks, with their event's block and dates when the event exists; a link is
# native when its event is of its own block.
_SCOPE_LINKS = """
    SELECT em.event_id, em.mention_id, em.block_key, e.block_key AS event_block, e.date_lo, e.date_hi,
           coalesce(e.block_key = em.block_key, false) AS native
    FROM (SELECT event_id, mention_id, block_key FROM event_mentions
          WHERE block_key IN (SELECT block_key FROM _component_blocks)) em
    LEFT JOIN (SELECT event_id, block_key, date_lo, date_hi FROM events) e ON e.event_id = em.event_id
"""
_SEEDS = """
    SELECT mention_id, block_key, doc_key, lo, hi FROM _scope
    WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))
      AND block_key IN (SELECT block_key FROM _component_blocks)
"""
# A mention is reached when its search range meets a window of its block, when it has none and its
# block was reached, when its document was reached in its block, or when it shares an event with a
# reached mention.
_REACHED = """
    SELECT r.mention_id, r.block_key, r.doc_key, r.lo, r.hi
    FROM _scope r JOIN _component_windows w ON w.block_key = r.block_key AND r.lo <= w.hi AND r.hi >= w.lo
    UNION
    SELECT r.mention_id, r.block_key, r.doc_key, r.lo, r.hi FROM _scope r
    WHERE r.lo IS NULL AND r.block_key IN (SELECT block_key FROM _component_docs
                                            UNION SELECT block_key FROM _component_windows)
    UNION
    SELECT r.mention_id, r.block_key, r.doc_key, r.lo, r.hi
    FROM _scope r JOIN _component_docs d ON d.block_key = r.block_key AND d.doc_key = r.doc_key
    UNION
    SELECT r.mention_id, r.block_key, r.doc_key, r.lo, r.hi
    FROM _scope r JOIN _component_co c ON c.mention_id = r.mention_id
    WHERE r.block_key IN (SELECT block_key FROM _component_blocks)
"""
_LINKS = """
    SELECT mention_id, event_id, block_key, event_block, date_lo, date_hi FROM _scope_links
    WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))
"""
_ROWS = "SELECT mention_id, row_id FROM _scope WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))"
_BLOCKS = "_component_blocks"
_SCOPE_TABLES = (("_scope", _SCOPE), ("_scope_links", _SCOPE_LINKS))
# The members of the events these mentions are native members of.
_CO_MEMBERS = """
    SELECT DISTINCT mention_id FROM _scope_links
    WHERE event_id IN (SELECT event_id FROM _scope_links
                       WHERE native AND mention_id IN (SELECT unnest(?::VARCHAR[])))
"""


def _windows(rows: Iterable[Window]) -> pa.Table:
    """Merged date windows per block, widened by ``SLACK`` days."""
    by_block: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for block, lo, hi in rows:
        if lo is not None and hi is not None:
            by_block.setdefault(block, []).append((lo - dt.timedelta(SLACK), hi + dt.timedelta(SLACK)))
    out: list[tuple[str, dt.date, dt.date]] = []
    for block, spans in by_block.items():
        spans.sort()
        cur_lo, cur_hi = spans[0]
        for lo, hi in spans[1:]:
            if lo <= cur_hi:
                cur_hi = max(cur_hi, hi)
            else:
                out.append((block, cur_lo, cur_hi))
                cur_lo, cur_hi = lo, hi
        out.append((block, cur_lo, cur_hi))
    return pa.table(
        {
            "block_key": pa.array([w[0] for w in out], pa.string()),
            "lo": pa.array([w[1] for w in out], pa.date32()),
            "hi": pa.array([w[2] for w in out], pa.date32()),
        }
    )


@dataclass
class Component:
    """The mentions reached (ids, sorted), their links: (mention_id, event_id, block_key of the
    link, block_key of the event or ``None`` when it is gone, the event's date_lo and date_hi), and
    where they are in the mentions table (their ``rowid``, valid in the transaction that read them)."""

    ids: list[str]
    links: list[tuple[str, str, str, str | None, dt.date | None, dt.date | None]]
    rows: dict[str, int]

    def native_events(self) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
        """The events the mentions are native members of: (event_id, block_key, date_lo, date_hi)."""
        return sorted({(e, b, lo, hi) for _, e, link, b, lo, hi in self.links if b == link})

    def event_blocks(self) -> dict[str, str]:
        """The block of each event the mentions are linked to that exists."""
        return {e: b for _, e, _, b, _, _ in self.links if b is not None}


class Scope:
    """The narrow rows and links of some blocks, read once for a relink into the temporary tables
    ``_scope`` and ``_scope_links`` while it is entered. Relinking writes events and links but no
    mentions, so the rows stay valid; ``drop_events`` forgets the links of events it deleted."""

    def __init__(self, con: duckdb.DuckDBPyConnection, blocks: Iterable[str]) -> None:
        self.con = con
        self.blocks = _keys(blocks)

    def __enter__(self) -> Scope:
        self.con.register(_BLOCKS, self.blocks)
        try:
            for name, sql in _SCOPE_TABLES:
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        finally:
            self.con.unregister(_BLOCKS)
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        for name, _ in _SCOPE_TABLES:
            try:
                self.con.execute(f"DROP TABLE IF EXISTS {name}")
            except duckdb.Error:
                if kind is None:
                    raise  # else the failed transaction's rollback drops it, and the error is the news

    def drop_events(self, events: Iterable[str]) -> None:
        """Forget the links of these (deleted) events."""
        self.con.execute(
            "DELETE FROM _scope_links WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(set(events))]
        )


def _keys(blocks: Iterable[str]) -> pa.Table:
    return pa.table({"block_key": pa.array(sorted(set(blocks)), pa.string())})


def grow(
    con: duckdb.DuckDBPyConnection,
    blocks: Sequence[str],
    seeds: Iterable[str],
    extra_windows: Iterable[Window] = (),
    scope: Scope | None = None,
) -> Component:
    """The mentions of ``blocks`` reachable from the ``seeds`` (mention ids), seeds included.

    ``extra_windows`` are (block, lo, hi) date windows that count as reached too (the dates of events
    that changed, for the partial mentions that may join them). ``scope`` is the entered ``Scope`` of
    these blocks (or more), read here when not given.
    """
    if scope is None:
        with Scope(con, blocks) as own:
            return grow(con, blocks, seeds, extra_windows, own)
    con.register(_BLOCKS, _keys(blocks))
    try:
        ids = _reach(con, con.execute(_SEEDS, [sorted(set(seeds))]).fetchall(), list(extra_windows))
        links = con.execute(_LINKS, [ids]).fetchall()
        rows = con.execute(_ROWS, [ids]).fetchall()
    finally:
        con.unregister(_BLOCKS)
    return Component(ids, [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in links], {r[0]: r[1] for r in rows})


def _reach(con: duckdb.DuckDBPyConnection, rows: list[tuple], extra: list[Window]) -> list[str]:
    """Widen from the seed rows (mention_id, block_key, doc_key, lo, hi) until nothing is added.

    Reaching is monotone: each step widens from the mentions the step before added (the frontier)
    only, as what the earlier ones reach is in ``seen`` already.
    """
    seen: dict[str, tuple[str, str, dt.date | None, dt.date | None]] = {}
    while True:
        frontier = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows if r[0] not in seen}
        if not frontier and (seen or not extra):
            break
        seen.update(frontier)
        values = list(frontier.values())
        docs = sorted({(b, d) for b, d, _, _ in values})
        co = sorted(r[0] for r in con.execute(_CO_MEMBERS, [sorted(frontier)]).fetchall())
        step = {
            "_component_windows": _windows([*((b, lo, hi) for b, _, lo, hi in values), *extra]),
            "_component_docs": pa.table(
                {
                    "block_key": pa.array([b for b, _ in docs], pa.string()),
                    "doc_key": pa.array([d for _, d in docs], pa.string()),
                }
            ),
            "_component_co": pa.table({"mention_id": pa.array(co, pa.string())}),
        }
        extra = []
        for name, table in step.items():
            con.register(name, table)
        try:
            rows = con.execute(_REACHED).fetchall()
        finally:
            for name in step:
                con.unregister(name)
    return sorted(seen)
