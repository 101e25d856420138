"""The part of a block that changed mentions can affect: relinking reads, clusters and replaces only it.

Clustering within a block is local in time: a mention joins an event whose anchor is within a day of
its day, inside its month or year, or inside the week before its publication; an undated mention also
joins an event of its own document, and one without a publication date only an undated event. So the
events that new (or removed) mentions can change are those of the mentions reachable from them by
these steps: their *component*. ``grow`` finds it, starting from seed mentions and widening by date
windows, co-members of events and the documents that tie their mentions in a block together (those
with an undated mention there, which may join any event of its document) until nothing is added, and
clustering the component alone gives the events a relink of the whole block would give it. It reaches
through a ``Scope``: the narrow columns and links of the blocks near the seeds' dates (``MARGIN`` days
around each), so each step is a filter of those rather than a search of the whole store, and reading
the scope follows the number of seeds rather than the size of their blocks. What the reach found is
then checked: a reached mention or event whose window leaves the dates read widens them (read again, up
to ``WIDENINGS`` times) — an event's dated members are within ``SLACK`` days of its date, and undated
mentions are always read — and a tying document with a mention outside them, counted in the store,
makes it read the whole blocks, so the component is the one a scope of the whole blocks gives. Small
blocks (``NEAR_ROWS``) and many seeds (``NEAR_LIMIT``) read the whole blocks at once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from kronika.store.coref.dates import DAY_TOLERANCE, UNDATED_WINDOW

log = logging.getLogger(__name__)

# A date window of a block: (block_key, first day, last day).
Window = tuple[str, dt.date | None, dt.date | None]
# Days a window is widened by on each side: the day tolerance, and one more for safety.
SLACK = DAY_TOLERANCE + 1
# Days read around each seed's date window, so that what is reached from it is mostly read already.
MARGIN = 14
# Times the dates read are widened to what the reach found before the whole blocks are read.
WIDENINGS = 3
# More seeds than this (a relink of whole blocks) read the whole blocks at once, and so do blocks of
# fewer mentions than ``NEAR_ROWS`` (reading them is cheaper than reading near the seeds and checking).
NEAR_LIMIT = 5_000
NEAR_ROWS = 10_000

# The part of the store a component can reach (a ``Scope``): the narrow columns of the mentions of its
# blocks, with each one's search range (its date range, else the week before its publication), its
# position in the table and whether it is undated, and the links of those blocks. A link's
# ``block_key`` is its mention's block, so the mentions of the blocks and the co-members they may reach
# are all in the scope.
_SCOPE = f"""
    WITH m AS (SELECT rowid AS row_id, mention_id, block_key, doc_key, date_lo, date_hi, pub_date
               FROM mentions WHERE block_key IN (SELECT block_key FROM _component_blocks) {{near}}),
         d AS (SELECT doc_key, pub_date FROM documents
               WHERE doc_key IN (SELECT doc_key FROM m WHERE date_lo IS NULL OR date_hi IS NULL))
    SELECT m.mention_id, m.block_key, m.doc_key, m.row_id,
           coalesce(m.date_lo, coalesce(d.pub_date, m.pub_date) - {UNDATED_WINDOW}) AS lo,
           coalesce(m.date_hi, coalesce(d.pub_date, m.pub_date)) AS hi, m.date_lo IS NULL AS undated
    FROM m LEFT JOIN d ON d.doc_key = m.doc_key
"""
# Near the seeds: the mentions without a date range, and those whose range meets a window read.
_NEAR = """
    AND (date_lo IS NULL OR date_hi IS NULL)
    UNION ALL
    SELECT DISTINCT n.rowid, n.mention_id, n.block_key, n.doc_key, n.date_lo, n.date_hi, n.pub_date
    FROM mentions n
    JOIN _scope_windows w ON w.block_key = n.block_key AND n.date_lo <= w.hi AND n.date_hi >= w.lo
"""
# The search ranges of the seeds.
_SEED_RANGES = _SCOPE.format(near="AND mention_id IN (SELECT mention_id FROM _scope_seeds)")
# The search ranges of given mentions, whatever their block.
_RANGES = _SCOPE.replace(
    "WHERE block_key IN (SELECT block_key FROM _component_blocks) {near}",
    "WHERE mention_id IN (SELECT unnest(?::VARCHAR[]))",
)
# The links of the blocks (of the mentions read, when only some are), with their event's block and
# dates when the event exists; a link is native when its event is of its own block.
_SCOPE_LINKS = """
    SELECT em.event_id, em.mention_id, em.block_key, e.block_key AS event_block, e.date_lo, e.date_hi,
           coalesce(e.block_key = em.block_key, false) AS native, em.link_row, e.event_row
    FROM (SELECT rowid AS link_row, event_id, mention_id, block_key FROM event_mentions
          WHERE block_key IN (SELECT block_key FROM _component_blocks) {near}) em
    LEFT JOIN (SELECT rowid AS event_row, event_id, block_key, date_lo, date_hi FROM events) e
           ON e.event_id = em.event_id
"""
_NEAR_LINKS = "AND mention_id IN (SELECT mention_id FROM _scope)"
# Whether the scope holds every mention of the reached tying documents of its blocks: the mentions in the
# store, counted against those read.
_CHECK_DOCS = """
    SELECT count(*) FROM (SELECT block_key, doc_key FROM mentions
                          WHERE doc_key IN (SELECT doc_key FROM _check_docs)) m
    JOIN _check_docs c ON c.block_key = m.block_key AND c.doc_key = m.doc_key
"""
_BLOCKS = "_component_blocks"


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


# Date spans per block, merged and in date order.
Spans = dict[str, list[tuple[dt.date, dt.date]]]


def _merged(rows: Iterable[Window], slack: int) -> Spans:
    """The date windows of each block, widened by ``slack`` days on each side and merged."""
    by_block: Spans = {}
    for block, lo, hi in rows:
        if lo is not None and hi is not None:
            by_block.setdefault(block, []).append((_shift(lo, -slack), _shift(hi, slack)))
    out: Spans = {}
    for block, spans in by_block.items():
        spans.sort()
        merged = [spans[0]]
        for lo, hi in spans[1:]:
            if lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        out[block] = merged
    return out


def _window_table(spans: Spans) -> pa.Table:
    rows = [(block, lo, hi) for block, merged in spans.items() for lo, hi in merged]
    return pa.table(
        {
            "block_key": pa.array([w[0] for w in rows], pa.string()),
            "lo": pa.array([w[1] for w in rows], pa.date32()),
            "hi": pa.array([w[2] for w in rows], pa.date32()),
        }
    )


def _covers(spans: Spans, block: str, lo: dt.date, hi: dt.date) -> bool:
    merged = spans.get(block, [])
    i = bisect.bisect_right(merged, (lo, dt.date.max)) - 1
    return i >= 0 and merged[i][1] >= hi


@dataclass
class Component:
    """The mentions reached (ids, sorted), their links: (mention_id, event_id, block_key of the
    link, block_key of the event or ``None`` when it is gone, the event's date_lo and date_hi), and
    where they are in the mentions table (their ``rowid``, valid in the transaction that read them).
    ``link_rows`` holds the ``rowid`` of each link in ``event_mentions`` (in the order of ``links``),
    ``event_rows`` that of each linked event that exists in ``events``: the links and events that
    relinking replaces are deleted by position. ``whole`` tells whether the whole blocks were read
    to find them."""

    ids: list[str]
    links: list[tuple[str, str, str, str | None, dt.date | None, dt.date | None]]
    rows: dict[str, int]
    whole: bool = False
    link_rows: list[int] = field(default_factory=list)
    event_rows: dict[str, int] = field(default_factory=dict)

    def native_events(self) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
        """The events the mentions are native members of: (event_id, block_key, date_lo, date_hi)."""
        return sorted({(e, b, lo, hi) for _, e, link, b, lo, hi in self.links if b == link})

    def event_blocks(self) -> dict[str, str]:
        """The block of each event the mentions are linked to that exists."""
        return {e: b for _, e, _, b, _, _ in self.links if b is not None}


# A link read with the scope: (event_id, mention_id, block_key, event's block or None when it is gone,
# event date_lo, date_hi, native, rowid of the link, rowid of the event or None).
ScopeLink = tuple[str, str, str, str | None, Any, Any, bool, int, int | None]


class Scope:
    """The narrow rows and links of the blocks registered as ``_component_blocks`` (all of them, or
    those near the date spans ``near``), read while it is entered; reaching through them is done here,
    without another statement. Relinking writes events and links but no mentions, so the rows stay
    valid in its transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, near: Spans | None = None) -> None:
        self.con = con
        self.near = near
        # mention_id -> (block_key, doc_key, rowid, lo, hi)
        self.rows: dict[str, tuple[str, str, int, dt.date | None, dt.date | None]] = {}
        self.by_block: dict[str, list[tuple[str, dt.date, dt.date]]] = {}
        self.undated: dict[str, list[str]] = {}
        self.by_doc: dict[tuple[str, str], list[str]] = {}
        # (block, document) with an undated mention: the document's mentions there are tied together
        self.tying: set[tuple[str, str]] = set()
        self.native_of: dict[str, set[str]] = {}
        self.members: dict[str, set[str]] = {}
        self.links_of: dict[str, list[ScopeLink]] = {}

    def __enter__(self) -> Scope:
        near = self.near is not None
        if self.near is not None:
            self.con.register("_scope_windows", _window_table(self.near))
        try:
            rows = self.con.execute(_SCOPE.format(near=_NEAR if near else "")).fetchall()
        finally:
            if near:
                self.con.unregister("_scope_windows")
        self.con.register("_scope", pa.table({"mention_id": pa.array([r[0] for r in rows], pa.string())}))
        try:
            links = self.con.execute(_SCOPE_LINKS.format(near=_NEAR_LINKS if near else "")).fetchall()
        finally:
            self.con.unregister("_scope")
        self._index(rows, links)
        return self

    def _index(self, rows: list[tuple[Any, ...]], links: list[tuple[Any, ...]]) -> None:
        for mention_id, block, doc, row_id, lo, hi, undated in rows:
            self.rows[mention_id] = (block, doc, row_id, lo, hi)
            if undated:
                self.tying.add((block, doc))
            if lo is None:
                self.undated.setdefault(block, []).append(mention_id)
            elif hi is not None:
                self.by_block.setdefault(block, []).append((mention_id, lo, hi))
            self.by_doc.setdefault((block, doc), []).append(mention_id)
        for r in links:
            link: ScopeLink = (r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8])
            self.links_of.setdefault(link[1], []).append(link)
            self.members.setdefault(link[0], set()).add(link[1])
            if link[6]:
                self.native_of.setdefault(link[1], set()).add(link[0])

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        return None

    def seed_rows(self, seeds: Iterable[str]) -> list[tuple[Any, ...]]:
        """The rows (mention_id, block_key, doc_key, lo, hi) of the seeds that were read."""
        return [(m, *self.row_of(m)) for m in seeds if m in self.rows]

    def row_of(self, mention_id: str) -> Reached:
        """(block_key, doc_key, lo, hi) of a mention read."""
        block, doc, _, lo, hi = self.rows[mention_id]
        return (block, doc, lo, hi)

    def co_members(self, mentions: Iterable[str]) -> set[str]:
        """The mentions linked to the events these mentions are native members of."""
        events = {e for m in mentions for e in self.native_of.get(m, ())}
        return {m for e in events for m in self.members.get(e, ())}

    def reached(self, spans: Spans, docs: set[tuple[str, str]], co: set[str]) -> set[str]:
        """The mentions whose search range meets a span of their block, those without one in a block
        with a span or a reached document, those of a reached document that ties its mentions in its
        block, and ``co``."""
        out = {m for m in co if m in self.rows}
        for block, merged in spans.items():
            his = [w[1] for w in merged]
            for m, lo, hi in self.by_block.get(block, ()):
                i = bisect.bisect_left(his, lo)
                if i < len(merged) and merged[i][0] <= hi:
                    out.add(m)
        for block in {b for b, _ in docs} | set(spans):
            out.update(self.undated.get(block, ()))
        for key in docs & self.tying:
            out.update(self.by_doc.get(key, ()))
        return out

    def missing(self, seen: Mapping[str, Reached]) -> list[tuple[str, dt.date, dt.date]]:
        """The windows of reached mentions, and of the events they are native members of, that leave
        the dates read (none for whole blocks). Every dated member of an event is within ``SLACK``
        days of its date: it joined a day within ``DAY_TOLERANCE`` of the first member's, or a coarser
        range containing it, and the event's date is one of its members' most precise ranges."""
        if self.near is None:
            return []
        near = self.near
        dated = [(b, lo, hi) for b, _, lo, hi in seen.values() if lo is not None and hi is not None]
        dated += [
            (link[2], link[4], link[5])
            for m in seen
            for link in self.links_of.get(m, ())
            if link[6] and link[4] is not None and link[5] is not None
        ]
        return [
            (b, lo, hi) for b, lo, hi in dated if not _covers(near, b, _shift(lo, -SLACK), _shift(hi, SLACK))
        ]

    def holds(self, seen: Mapping[str, Reached]) -> bool:
        """Whether every mention of the reached tying documents in these blocks was read (the
        members of the reached events are, once ``missing`` finds no window left to read)."""
        if self.near is None:
            return True
        docs = sorted({(b, d) for b, d, _, _ in seen.values()} & self.tying)
        if not docs:
            return True
        read_docs = sum(len(self.by_doc.get(k, ())) for k in docs)
        self.con.register(
            "_check_docs",
            pa.table(
                {
                    "block_key": pa.array([b for b, _ in docs], pa.string()),
                    "doc_key": pa.array([d for _, d in docs], pa.string()),
                }
            ),
        )
        try:
            stored_docs = self.con.execute(_CHECK_DOCS).fetchall()[0][0]
        finally:
            self.con.unregister("_check_docs")
        log.debug("scope check: %s", (stored_docs, read_docs))
        return bool(stored_docs == read_docs)


def _keys(blocks: Iterable[str]) -> pa.Table:
    return pa.table({"block_key": pa.array(sorted(set(blocks)), pa.string())})


class SeedRanges:
    """The search ranges, (block, lo, hi), of the mentions a relink starts from, read once (the
    first time a component is read near its seeds) for every phase; and windows standing for the
    ranges of other seeds (``stand_in``: a partial mention that was attached to a removed event is in
    a window of that event's dates, the ones it was attached through)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ids: Iterable[str] = ()) -> None:
        self.con = con
        self.ids = sorted(set(ids))
        self.read: dict[str, Window] | None = None
        self.stand_in: dict[str, Window] = {}

    def known(self, seeds: Sequence[str]) -> dict[str, Window]:
        """The ranges, or windows standing for them, of those of ``seeds`` it knows."""
        if self.read is None:
            rows = self.con.execute(_RANGES, [self.ids]).fetchall() if self.ids else []
            self.read = {r[0]: (r[1], r[4], r[5]) for r in rows}
        out = {m: self.stand_in[m] for m in seeds if m in self.stand_in}
        out.update((m, self.read[m]) for m in seeds if m in self.read)
        return out


def grow(
    con: duckdb.DuckDBPyConnection,
    blocks: Sequence[str],
    seeds: Iterable[str],
    extra_windows: Iterable[Window] = (),
    ranges: SeedRanges | None = None,
) -> Component:
    """The mentions of ``blocks`` reachable from the ``seeds`` (mention ids), seeds included.

    ``extra_windows`` are (block, lo, hi) date windows that count as reached too (the dates of events
    that changed, for the partial mentions that may join them). ``ranges`` knows the search ranges of
    some seeds (or windows standing for them); the others are looked up. A seed that the dates read
    around a window standing for its range do not hold is looked up, and the dates widened to it.
    """
    start = sorted(set(seeds))
    extra = list(extra_windows)
    con.register(_BLOCKS, _keys(blocks))
    try:
        near, standing = _near(con, start, extra, ranges) if _far_apart(con, start) else (None, [])
        widened = 0
        while True:
            with Scope(con, near) as scope:
                lost = [m for m in standing if m not in scope.rows]
                standing = []
                if lost and near is not None:
                    exact = [(b, lo, hi) for b, lo, hi in _seed_ranges(con, lost) if lo and hi]
                    near = _widen(near, exact)
                    continue
                seen = _reach(scope, scope.seed_rows(start), extra)
                wider = scope.missing(seen)
                if not wider and scope.holds(seen):
                    break
            near = _widen(near, wider) if wider and near is not None and widened < WIDENINGS else None
            widened += 1
    finally:
        con.unregister(_BLOCKS)
    ids = sorted(seen)
    links = [link for m in ids for link in scope.links_of.get(m, ())]
    return Component(
        ids,
        [(r[1], r[0], r[2], r[3], r[4], r[5]) for r in links],
        {m: scope.rows[m][2] for m in ids},
        near is None,
        [r[7] for r in links],
        {r[0]: r[8] for r in links if r[8] is not None},
    )


def _far_apart(con: duckdb.DuckDBPyConnection, seeds: list[str]) -> bool:
    """Whether to read only the blocks' mentions near the seeds: few seeds in big blocks."""
    if len(seeds) > NEAR_LIMIT:
        return False
    rows = con.execute(f"SELECT count(*) FROM mentions WHERE block_key IN (SELECT block_key FROM {_BLOCKS})")
    return int(rows.fetchall()[0][0]) >= NEAR_ROWS


def _near(
    con: duckdb.DuckDBPyConnection, seeds: list[str], extra: list[Window], ranges: SeedRanges | None
) -> tuple[Spans, list[str]]:
    """The dates to read around the seeds' search ranges and the extra windows, and the seeds whose
    range a window stands for."""
    known: dict[str, Window] = {}
    standing: list[str] = []
    if ranges is not None:
        known = ranges.known(seeds)
        standing = [m for m in known if m not in (ranges.read or {})]
    rest = [m for m in seeds if m not in known]
    return _merged([*known.values(), *_seed_ranges(con, rest), *extra], SLACK + MARGIN), standing


def _seed_ranges(con: duckdb.DuckDBPyConnection, seeds: Sequence[str]) -> list[Window]:
    """The (block, lo, hi) search ranges of these mentions of the blocks."""
    if not seeds:
        return []
    con.register("_scope_seeds", pa.table({"mention_id": pa.array(sorted(seeds), pa.string())}))
    try:
        return [(r[1], r[4], r[5]) for r in con.execute(_SEED_RANGES).fetchall()]
    finally:
        con.unregister("_scope_seeds")


def _widen(near: Spans, wider: Sequence[tuple[str, dt.date, dt.date]]) -> Spans:
    """``near`` with the dates around these windows too."""
    rows: list[Window] = [(b, lo, hi) for b, spans in near.items() for lo, hi in spans]
    rows += [(b, _shift(lo, -SLACK - MARGIN), _shift(hi, SLACK + MARGIN)) for b, lo, hi in wider]
    return _merged(rows, 0)


# A reached mention: (block_key, doc_key, lo, hi) of its search range.
Reached = tuple[str, str, dt.date | None, dt.date | None]


def _reach(scope: Scope, rows: list[tuple[Any, ...]], extra: list[Window]) -> dict[str, Reached]:
    """Widen from the seed rows (mention_id, block_key, doc_key, lo, hi) until nothing is added.

    Reaching is monotone: each step widens from the mentions the step before added (the frontier)
    only, as what the earlier ones reach is in ``seen`` already.
    """
    seen: dict[str, Reached] = {}
    while True:
        frontier = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows if r[0] not in seen}
        if not frontier and (seen or not extra):
            break
        seen.update(frontier)
        values = list(frontier.values())
        spans = _merged([*((b, lo, hi) for b, _, lo, hi in values), *extra], SLACK)
        docs = {(b, d) for b, d, _, _ in values}
        extra = []
        rows = [(m, *scope.row_of(m)) for m in scope.reached(spans, docs, scope.co_members(frontier))]
    return seen
