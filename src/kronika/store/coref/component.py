"""The part of a block that changed mentions can affect: relinking reads, clusters and replaces only it.

Clustering within a block is local in time: a mention joins an event whose anchor is within a day of
its day, inside its month or year, or inside the week before its publication; an undated mention also
joins an event of its own document, and one without a publication date only an undated event. So the
events that new (or removed) mentions can change are those of the mentions reachable from them by
these steps: their *component*. ``grow`` finds it in the database, starting from seed mentions and
widening by date windows, documents and co-members of events until nothing is added, and clustering
the component alone gives the events a relink of the whole block would give it. Its cost follows the
size of the component, not of the block.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from kronika.store.coref.dates import DAY_TOLERANCE, UNDATED_WINDOW

# A date window of a block: (block_key, first day, last day).
Window = tuple[str, dt.date | None, dt.date | None]
# Days a window is widened by on each side: the day tolerance, and one more for safety.
SLACK = DAY_TOLERANCE + 1

# The mentions of the component's blocks that may be reached: dated ones inside a window (their range
# is their date), undated ones (their range comes from the publication date), those of a reached
# document and the co-members of reached mentions' events. Each is a narrow query of its own, joined
# with nothing wide, so the cost follows what is reached rather than the size of the blocks.
_COLUMNS = "m.mention_id, m.block_key, m.doc_key, m.date_lo, m.date_hi, m.pub_date"
_IN_BLOCKS = "m.block_key IN (SELECT block_key FROM _component_blocks)"
_NEAR = f"""
    SELECT {_COLUMNS} FROM mentions m JOIN _component_windows w
        ON w.block_key = m.block_key AND m.date_lo <= w.hi AND m.date_hi >= w.lo
    WHERE {_IN_BLOCKS}
    UNION
    SELECT {_COLUMNS} FROM mentions m
    WHERE (m.date_lo IS NULL OR m.date_hi IS NULL) AND {_IN_BLOCKS}
    UNION
    SELECT {_COLUMNS} FROM mentions m
    WHERE (m.block_key, m.doc_key) IN (SELECT block_key, doc_key FROM _component_docs) AND {_IN_BLOCKS}
    UNION
    SELECT {_COLUMNS} FROM mentions m
    WHERE m.mention_id IN (SELECT mention_id FROM _component_co) AND {_IN_BLOCKS}
"""

# Each mention's search range: its date range, else the week before its publication, else none.
_RANGE = f"""
    SELECT c.mention_id, c.block_key, c.doc_key,
           coalesce(c.date_lo, coalesce(d.pub_date, c.pub_date) - {UNDATED_WINDOW}) AS lo,
           coalesce(c.date_hi, coalesce(d.pub_date, c.pub_date)) AS hi
    FROM c LEFT JOIN (SELECT doc_key, pub_date FROM documents
                      WHERE doc_key IN (SELECT doc_key FROM c)) d ON d.doc_key = c.doc_key
"""

_SEEDS = f"""
    WITH c AS (SELECT m.mention_id, m.block_key, m.doc_key, m.date_lo, m.date_hi, m.pub_date FROM mentions m
               WHERE m.mention_id IN (SELECT unnest(?::VARCHAR[]))
                 AND m.block_key IN (SELECT block_key FROM _component_blocks)),
         r AS ({_RANGE})
    SELECT * FROM r
"""

_REACHED = f"""
    WITH c AS ({_NEAR}), r AS ({_RANGE})
    SELECT r.mention_id, r.block_key, r.doc_key, r.lo, r.hi FROM r
    WHERE (r.lo IS NULL AND r.block_key IN (SELECT block_key FROM _component_docs
                                             UNION SELECT block_key FROM _component_windows))
       OR EXISTS (SELECT 1 FROM _component_windows w
                  WHERE w.block_key = r.block_key AND r.lo <= w.hi AND r.hi >= w.lo)
       OR (r.block_key, r.doc_key) IN (SELECT block_key, doc_key FROM _component_docs)
       OR r.mention_id IN (SELECT mention_id FROM _component_co)
"""


def _co_members(con: duckdb.DuckDBPyConnection, mentions: Sequence[str]) -> list[str]:
    """The members of the events these mentions are native members of (found once, by key)."""
    links = con.execute(
        "SELECT event_id, block_key FROM event_mentions WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(mentions)],
    ).fetchall()
    if not links:
        return []
    events = set(
        con.execute(
            "SELECT event_id, block_key FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
            [sorted({e for e, _ in links})],
        ).fetchall()
    )
    native = sorted({e for e, b in links if (e, b) in events})
    if not native:
        return []
    rows = con.execute(
        "SELECT mention_id FROM event_mentions WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [native]
    ).fetchall()
    return sorted({r[0] for r in rows})


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


def grow(
    con: duckdb.DuckDBPyConnection,
    blocks: Sequence[str],
    seeds: Iterable[str],
    extra_windows: Iterable[Window] = (),
) -> list[str]:
    """The mention ids of ``blocks`` reachable from the ``seeds`` (mention ids), seeds included.

    ``extra_windows`` are (block, lo, hi) date windows that count as reached too (the dates of events
    that changed, for the partial mentions that may join them).
    """
    names = ("_component_blocks", "_component_windows", "_component_docs", "_component_co")
    con.register(names[0], pa.table({"block_key": pa.array(sorted(set(blocks)), pa.string())}))
    seen: dict[str, tuple[str, str, dt.date | None, dt.date | None]] = {}
    rows = con.execute(_SEEDS, [sorted(set(seeds))]).fetchall()
    extra = list(extra_windows)
    try:
        # Reaching is monotone: each step widens from the mentions the step before added (the
        # frontier) only, as what the earlier ones reach is in ``seen`` already.
        while True:
            frontier = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows if r[0] not in seen}
            if not frontier and (seen or not extra):
                break
            seen.update(frontier)
            values = list(frontier.values())
            con.register(names[1], _windows([*((b, lo, hi) for b, _, lo, hi in values), *extra]))
            extra = []
            docs = sorted({(b, d) for b, d, _, _ in values})
            con.register(
                names[2],
                pa.table(
                    {
                        "block_key": pa.array([b for b, _ in docs], pa.string()),
                        "doc_key": pa.array([d for _, d in docs], pa.string()),
                    }
                ),
            )
            co = _co_members(con, list(frontier))
            con.register(names[3], pa.table({"mention_id": pa.array(co, pa.string())}))
            rows = con.execute(_REACHED).fetchall()
            for n in names[1:]:
                con.unregister(n)
    finally:
        con.unregister(names[0])
    return sorted(seen)
