"""Cross-document event coreference: mentions of one real-world event become one event.

Mentions are first grouped by event type and dyad (``block_key``): the PLOVER type and, for each side,
the set of its countries with the broad family of their sector (``RUS:state``, ``SYR:armed``), sorted
for reciprocal types (CONSULT, COOPERATE, AGREE) so that "Putin called Assad" and "Assad spoke with
Putin" fall in the same block. Sectors are compared by family because coders disagree on them (a
leader coded GOV in one article and ELI in another) while a family change (army against rebels) is a
different event; the exact sector still breaks ties. Within a block, mentions are clustered by date:
day dates join the best-supported anchor within one day, month and year dates join an anchor inside
their month or year, undated mentions join an event of their own document, else the only event they
can be. Places, when the record has one, must agree.

A *partial* mention has one side only (the coder found no recipient, or no actor). It joins a fully
specified event of the same type whose side holds its known side (either side for reciprocal types)
and whose date is compatible, when exactly one such event is a candidate; otherwise partial mentions
are clustered among themselves. Two fully specified mentions with different dyads never link.

Relinking works block by block. Ingest queues the blocks a batch touches (``relink_queue``) in the
batch's transaction and relinks the queue once per run, so a run costs one pass over what it touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from kronika.records import Entity
from kronika.store.bulk import insert_arrow, insert_rows

log = logging.getLogger(__name__)

RECIPROCAL_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
DAY_TOLERANCE = 1
UNDATED_WINDOW = 7  # days before its publication an undated mention's event is looked for
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "window": 3, None: 4}

# PLOVER sectors by family: within a family two codings of one actor are the same side of an event.
SECTOR_FAMILY: dict[str, str] = {
    **dict.fromkeys(("GOV", "MIL", "LEG", "JUD", "COP", "SPY", "PRM", "ELI"), "state"),
    **dict.fromkeys(("REB", "UAF", "CRM"), "armed"),
    **dict.fromkeys(("OPP", "PTY"), "political"),
    **dict.fromkeys(
        ("CVL", "SOC", "REL", "EDU", "MED", "JRN", "LAB", "AGR", "BUS", "REF", "HLH", "MNC", "NGO"),
        "civil",
    ),
}


# --------------------------------------------------------------------------- keys


def entity_label(e: Entity | dict[str, Any]) -> str:
    """``CODE SECTOR`` (``RUS GOV``), the code alone without a sector, or ``?name`` when uncoded."""
    code = e.code if isinstance(e, Entity) else e.get("code")
    sector = e.sector if isinstance(e, Entity) else e.get("sector")
    if code:
        return f"{code} {sector}" if sector else str(code)
    name = (e.name if isinstance(e, Entity) else e.get("name")) or (
        e.entity_text if isinstance(e, Entity) else e.get("entity_text")
    )
    return "?" + (name or "").strip().lower()


def side_signature(entities: Iterable[Entity | dict[str, Any]]) -> str:
    """One side of a dyad: its sorted set of entity labels."""
    return ",".join(sorted({entity_label(e) for e in entities}))


def group_label(label: str) -> str:
    """An entity label at the level events are blocked on: ``RUS GOV`` → ``RUS:state``."""
    if not label or label.startswith("?"):
        return label
    code, _, sector = label.partition(" ")
    family = SECTOR_FAMILY.get(sector, sector.lower())
    return f"{code}:{family}" if family else code


def group_side(labels: Iterable[str]) -> str:
    """One side of a block: the sorted set of the group labels of its entity labels."""
    return ",".join(sorted({group_label(x) for x in labels if x}))


def event_type_of(types: Sequence[str]) -> str:
    return "+".join(sorted(set(types))) if types else "?"


def is_reciprocal(event_type: str, actor_sig: str, recipient_sig: str) -> bool:
    return event_type in RECIPROCAL_TYPES and bool(actor_sig) and bool(recipient_sig)


def block_key(event_type: str, actor_sig: str, recipient_sig: str) -> str:
    """The coreference block of a mention: type plus dyad (unordered for reciprocal types).

    A reciprocal mention with one side puts it first, whichever role the coder gave it; one whose
    single side holds exactly two parties ("Putin and Assad held a call") is that dyad.
    """
    a, b = actor_sig, recipient_sig
    if event_type in RECIPROCAL_TYPES and not b and a.count(",") == 1:
        a, b = a.split(",")
    if event_type in RECIPROCAL_TYPES and (b < a if a and b else not a):
        a, b = b, a
    return f"{event_type}|{a}|{b}"


def split_block(key: str) -> tuple[str, str, str]:
    """``(type, actor side, recipient side)`` of a block key."""
    event_type, _, rest = key.partition("|")
    actor, _, recipient = rest.partition("|")
    return event_type, actor, recipient


def is_partial(key: str) -> bool:
    """A block of mentions with exactly one side coded."""
    _, a, r = split_block(key)
    return bool(a) != bool(r)


def _sides(key: str) -> tuple[str, frozenset[str], frozenset[str]]:
    t, a, r = split_block(key)
    return t, frozenset(a.split(",")) if a else frozenset(), frozenset(r.split(",")) if r else frozenset()


def partial_fits(partial: str, full: str) -> bool:
    """Whether a partial block's known side is contained in the matching side of a full block."""
    pt, pa_, pr = _sides(partial)
    ft, fa, fr = _sides(full)
    if pt != ft or not fa or not fr:
        return False
    if pt in RECIPROCAL_TYPES:
        known = pa_ or pr
        return known <= fa or known <= fr
    return pa_ <= fa if pa_ else pr <= fr


# --------------------------------------------------------------------------- dates


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def date_range(
    date: str | None, precision: str | None = None
) -> tuple[dt.date | None, dt.date | None, str | None]:
    """The first and last day a date string can mean, and its precision (day, month or year).

    ``2016-02-24`` → the day; ``2016-02`` → the month; ``2016`` → the year. Unparseable → ``None``.
    """
    if not date:
        return None, None, None
    parts = date.strip()[:10].split("-")
    try:
        if len(parts) >= 3 and precision not in ("month", "year"):
            d = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return d, d, "day"
        if len(parts) >= 2 and precision != "year":
            y, m = int(parts[0]), int(parts[1])
            return dt.date(y, m, 1), _month_end(y, m), "month"
        y = int(parts[0])
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError:
        log.debug("unparseable event date %r", date)
        return None, None, None


def dates_compatible(
    a: tuple[dt.date | None, dt.date | None, str | None],
    b: tuple[dt.date | None, dt.date | None, str | None],
    tolerance: int = DAY_TOLERANCE,
) -> bool:
    """Whether two date ranges can be the same event: day dates within ``tolerance`` days, coarser
    dates containing the other. Undated mentions are compatible with anything."""
    if a[0] is None or b[0] is None:
        return True
    if a[2] == "day" and b[2] == "day":
        return abs((a[0] - b[0]).days) <= tolerance
    assert a[1] is not None and b[1] is not None
    return a[0] <= b[1] and b[0] <= a[1]


# --------------------------------------------------------------------------- clustering


@dataclass
class MentionRow:
    """What coreference needs to know of one stored mention."""

    mention_id: str
    doc_key: str
    doc_id: str
    source_key: str  # the document, or the original it near-duplicates
    block_key: str
    event_type: str
    actor_sig: str
    recipient_sig: str
    date_lo: dt.date | None
    date_hi: dt.date | None
    date_precision: str | None
    place: str | None = None
    pub_date: dt.date | None = None
    confidence: float = 0.5
    event_scale: float | None = None
    cameo: str | None = None
    quad_code: int | None = None
    actor_codes: list[str] = field(default_factory=list)
    actor_cs: list[str] = field(default_factory=list)
    actor_names: list[str] = field(default_factory=list)
    recipient_codes: list[str] = field(default_factory=list)
    recipient_cs: list[str] = field(default_factory=list)
    recipient_names: list[str] = field(default_factory=list)
    text: str | None = None

    @property
    def range(self) -> tuple[dt.date | None, dt.date | None, str | None]:
        return self.date_lo, self.date_hi, self.date_precision

    @property
    def search_range(self) -> tuple[dt.date | None, dt.date | None, str | None]:
        """Where to look for the event: its date, else the days before its publication, else nothing."""
        if self.date_lo is not None or self.pub_date is None:
            return self.range
        return self.pub_date - dt.timedelta(days=UNDATED_WINDOW), self.pub_date, "window"


def places_agree(a: str | None, b: str | None) -> bool:
    """Two places are compatible unless both are known and differ."""
    return not (a and b and a.lower() != b.lower())


def _overlap(
    a: tuple[dt.date | None, dt.date | None, str | None], b: tuple[dt.date | None, dt.date | None, str | None]
) -> bool:
    """Date compatibility, where unknown dates are compatible with anything."""
    if a[0] is None or b[0] is None:
        return True
    return dates_compatible(a, b)


@dataclass(eq=False)
class _Cluster:
    anchor_lo: dt.date | None
    anchor_hi: dt.date | None
    precision: str | None
    place: str | None
    members: list[MentionRow] = field(default_factory=list)

    @property
    def anchor(self) -> tuple[dt.date | None, dt.date | None, str | None]:
        return self.anchor_lo, self.anchor_hi, self.precision

    def place_ok(self, m: MentionRow) -> bool:
        return places_agree(m.place, self.place)

    def accepts(self, m: MentionRow) -> bool:
        """A dated mention fits a dated anchor it is compatible with."""
        if not self.place_ok(m) or m.date_lo is None or self.anchor_lo is None:
            return False
        return dates_compatible(self.anchor, m.range)

    def sides(self) -> frozenset[str]:
        first = self.members[0]
        return frozenset((first.actor_sig, first.recipient_sig))


class _Clusters:
    """The events of one block being built, indexed by anchor day and year so that a mention is
    compared with the few anchors it can join, not with every event of a busy dyad."""

    def __init__(self) -> None:
        self.all: list[_Cluster] = []
        self.by_day: dict[dt.date, list[_Cluster]] = {}
        self.by_year: dict[int, list[_Cluster]] = {}
        self.by_doc: dict[str, list[_Cluster]] = {}

    def add(self, c: _Cluster) -> None:
        self.all.append(c)
        if c.anchor_lo is not None and c.anchor_hi is not None:
            if c.precision == "day":
                self.by_day.setdefault(c.anchor_lo, []).append(c)
            for year in range(c.anchor_lo.year, c.anchor_hi.year + 1):
                self.by_year.setdefault(year, []).append(c)

    def join(self, c: _Cluster, m: MentionRow) -> None:
        c.members.append(m)
        if c.place is None and m.place:
            c.place = m.place
        docs = self.by_doc.setdefault(m.doc_key, [])
        if c not in docs:
            docs.append(c)

    def dated_fits(self, m: MentionRow) -> list[_Cluster]:
        assert m.date_lo is not None and m.date_hi is not None
        if m.date_precision == "day":
            pool: Iterable[_Cluster] = (
                c
                for k in range(-DAY_TOLERANCE, DAY_TOLERANCE + 1)
                for c in self.by_day.get(m.date_lo + dt.timedelta(days=k), ())
            )
            seen: list[_Cluster] = []
            for c in pool:
                if c not in seen:
                    seen.append(c)
            coarse = [c for c in self.by_year.get(m.date_lo.year, ()) if c.precision != "day"]
            pool = seen + coarse
        else:
            pool = []
            for year in range(m.date_lo.year, m.date_hi.year + 1):
                pool.extend(c for c in self.by_year.get(year, ()) if c not in pool)
        return [c for c in pool if c.accepts(m)]

    def undated_fits(self, m: MentionRow) -> list[_Cluster]:
        """An undated mention: an event of its own document, else the only event it can be (a mention
        without even a publication date joins only undated events)."""
        own = [c for c in self.by_doc.get(m.doc_key, ()) if c.place_ok(m)]
        if own:
            return own
        window = m.search_range
        only: list[_Cluster] = []
        for c in self.all:
            if window[0] is None and c.anchor_lo is not None:
                continue  # no date and no publication date: no evidence it is that dated event
            if c.place_ok(m) and _overlap(c.anchor, window):
                only.append(c)
                if len(only) > 1:
                    return []
        return only


def cluster_block(mentions: Sequence[MentionRow]) -> list[list[MentionRow]]:
    """Split the mentions of one block into events (lists of mentions), deterministically."""
    by_day = Counter(m.date_lo for m in mentions if m.date_precision == "day")
    ordered = sorted(
        mentions,
        key=lambda m: (
            PRECISION_RANK.get(m.search_range[2], 4),
            -by_day.get(m.date_lo, 0) if m.date_precision == "day" else 0,
            m.search_range[0] or dt.date.max,
            0 if m.place else 1,
            m.mention_id,
        ),
    )
    clusters = _Clusters()
    for m in ordered:
        fits = clusters.dated_fits(m) if m.date_lo is not None else clusters.undated_fits(m)
        if fits:
            sides = frozenset((m.actor_sig, m.recipient_sig))
            best = min(
                fits,
                key=lambda c: (
                    abs((c.anchor_lo - m.date_lo).days)
                    if m.date_precision == "day" and c.anchor_lo and m.date_lo
                    else 0,
                    c.sides() != sides,  # the exact sectors break ties between events of one block
                    -len(c.members),
                    c.anchor_lo or dt.date.max,
                ),
            )
            clusters.join(best, m)
            continue
        lo, hi, precision = m.search_range if m.date_lo is None else m.range
        c = _Cluster(lo, hi, precision, m.place, [])
        clusters.add(c)
        clusters.join(c, m)
    return [c.members for c in clusters.all]


def best_date(members: Sequence[MentionRow]) -> tuple[dt.date | None, dt.date | None, str | None]:
    """The most precise date agreed by most mentions (ties: the earliest)."""
    dated = [m for m in members if m.date_lo is not None]
    if not dated:
        return None, None, None
    top = min(PRECISION_RANK.get(m.date_precision, 3) for m in dated)
    votes = Counter(
        (m.date_lo, m.date_hi, m.date_precision)
        for m in dated
        if PRECISION_RANK.get(m.date_precision, 3) == top
    )
    return min(votes, key=lambda k: (-votes[k], k[0]))


def format_date(lo: dt.date | None, precision: str | None) -> str | None:
    if lo is None:
        return None
    if precision == "year":
        return f"{lo.year:04d}"
    if precision == "month":
        return f"{lo.year:04d}-{lo.month:02d}"
    return lo.isoformat()


def event_id(block: str, date: str | None, place: str | None, fallback: str) -> str:
    """Deterministic event id: type + dyad (sorted when reciprocal) + anchor date (+ place)."""
    key = "|".join([block, date or "undated:" + fallback, (place or "").lower()])
    return "KE-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))


def _union(lists: Iterable[list[str]]) -> list[str]:
    return sorted({x for lst in lists for x in (lst or []) if x})


def summarise(block: str, members: Sequence[MentionRow]) -> dict[str, Any]:
    """One ``events`` row from the mentions of one event."""
    orientation = _most_common((m.actor_sig, m.recipient_sig) for m in members)
    actor_sig = orientation[0]

    def sides(m: MentionRow) -> tuple[tuple[list[str], ...], tuple[list[str], ...]]:
        a = (m.actor_codes, m.actor_cs, m.actor_names)
        r = (m.recipient_codes, m.recipient_cs, m.recipient_names)
        return (a, r) if m.actor_sig == actor_sig else (r, a)

    oriented = [sides(m) for m in members]
    lo, hi, precision = best_date(members)
    date = format_date(lo, precision)
    place = _most_common(m.place for m in members)
    rep = min(
        members,
        key=lambda m: (m.actor_sig != actor_sig, -m.confidence, m.pub_date or dt.date.max, m.mention_id),
    )
    scales = [m.event_scale for m in members if m.event_scale is not None]
    pubs = [m.pub_date for m in members if m.pub_date is not None]
    return {
        "event_id": event_id(block, date, place, rep.mention_id),
        "block_key": block,
        "event_type": members[0].event_type,
        "cameo": _most_common(m.cameo for m in members),
        "quad_code": _most_common(m.quad_code for m in members),
        "event_scale": round(sum(scales) / len(scales), 3) if scales else None,
        "actor_label": orientation[0],
        "actor_codes": _union(o[0][0] for o in oriented),
        "actor_cs": _union(o[0][1] for o in oriented),
        "actor_names": _union(o[0][2] for o in oriented),
        "recipient_label": orientation[1],
        "recipient_codes": _union(o[1][0] for o in oriented),
        "recipient_cs": _union(o[1][1] for o in oriented),
        "recipient_names": _union(o[1][2] for o in oriented),
        "date": date,
        "date_precision": precision,
        "date_lo": lo,
        "date_hi": hi,
        "place": place,
        "first_report": min(pubs) if pubs else None,
        "last_report": max(pubs) if pubs else None,
        "n_mentions": len(members),
        "n_sources": len({m.source_key for m in members}),
        "n_documents": len({m.doc_key for m in members}),
        "sources": sorted({m.doc_id for m in members}),
        "representative": rep.mention_id,
        "text": rep.text,
    }


def link(mentions: Sequence[MentionRow]) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """Events and (event_id, mention_id, block_key) links for mentions of any number of blocks."""
    blocks: dict[str, list[MentionRow]] = {}
    for m in mentions:
        blocks.setdefault(m.block_key, []).append(m)
    events: list[dict[str, Any]] = []
    links: list[tuple[str, str, str]] = []
    for block in sorted(blocks):
        seen: set[str] = set()
        for members in cluster_block(blocks[block]):
            row = summarise(block, members)
            base, n = row["event_id"], 1
            while row["event_id"] in seen:  # same date and place twice in a block: keep ids distinct
                n += 1
                row["event_id"] = f"{base}-{n}"
            seen.add(row["event_id"])
            events.append(row)
            links.extend((row["event_id"], m.mention_id, block) for m in members)
    return events, links


# --------------------------------------------------------------------------- database

EVENT_COLUMNS: dict[str, pa.DataType] = {
    "event_id": pa.string(),
    "block_key": pa.string(),
    "event_type": pa.string(),
    "cameo": pa.string(),
    "quad_code": pa.int32(),
    "event_scale": pa.float64(),
    "actor_label": pa.string(),
    "actor_codes": pa.list_(pa.string()),
    "actor_cs": pa.list_(pa.string()),
    "actor_names": pa.list_(pa.string()),
    "recipient_label": pa.string(),
    "recipient_codes": pa.list_(pa.string()),
    "recipient_cs": pa.list_(pa.string()),
    "recipient_names": pa.list_(pa.string()),
    "date": pa.string(),
    "date_precision": pa.string(),
    "date_lo": pa.date32(),
    "date_hi": pa.date32(),
    "place": pa.string(),
    "first_report": pa.date32(),
    "last_report": pa.date32(),
    "n_mentions": pa.int32(),
    "n_sources": pa.int32(),
    "n_documents": pa.int32(),
    "sources": pa.list_(pa.string()),
    "representative": pa.string(),
    "text": pa.string(),
}

LINK_COLUMNS: dict[str, pa.DataType] = {
    "event_id": pa.string(),
    "mention_id": pa.string(),
    "block_key": pa.string(),
}

_FETCH = """
    SELECT m.mention_id, m.doc_key, m.doc_id, coalesce(d.near_duplicate_of, m.doc_key) AS source_key,
           m.block_key, m.event_type,
           array_to_string(m.actor_cs, ',') AS actor_sig,
           array_to_string(m.recipient_cs, ',') AS recipient_sig,
           m.date_lo, m.date_hi, m.date_precision, m.place, coalesce(d.pub_date, m.pub_date) AS pub_date,
           coalesce(m.confidence, 0.5) AS confidence, m.event_scale, m.cameo, m.quad_code,
           m.actor_codes, m.actor_cs, m.actor_names, m.recipient_codes, m.recipient_cs, m.recipient_names,
           m.text
    FROM mentions m
    JOIN _relink_blocks b ON b.block_key = m.block_key
    LEFT JOIN documents d ON d.doc_key = m.doc_key
"""


def _keys_table(keys: Sequence[str]) -> pa.Table:
    return pa.table({"block_key": pa.array(list(keys), pa.string())})


def _fetch(con: duckdb.DuckDBPyConnection) -> list[MentionRow]:
    """The mentions of the blocks registered as ``_relink_blocks`` (columns in ``MentionRow`` order)."""
    return [MentionRow(*row) for row in con.execute(_FETCH).fetchall()]


def _link_table(links: Sequence[tuple[str, str, str]]) -> pa.Table:
    return pa.table(
        {
            "event_id": pa.array([x[0] for x in links], pa.string()),
            "mention_id": pa.array([x[1] for x in links], pa.string()),
            "block_key": pa.array([x[2] for x in links], pa.string()),
        }
    )


def _replace_blocks(
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
        con.register("_relink_blocks", _keys_table(full))
        try:
            mentions = _fetch(con)
            events, links = link(mentions)
            _replace_blocks(con, events, links)
        finally:
            con.unregister("_relink_blocks")
        n += len(events)
        log.debug("relinked %d blocks: %d mentions into %d events", len(full), len(mentions), len(events))
    if partial:
        n += _relink_partial(con, partial)
    return n


@dataclass
class _Candidate:
    event_id: str
    block_key: str
    date: tuple[dt.date | None, dt.date | None, str | None]
    place: str | None
    cs: frozenset[str]  # exact CODE SECTOR labels of both sides
    doc_keys: frozenset[str]


class _CandidateIndex:
    """The full events one partial block may join, indexed by day and year of their dates."""

    def __init__(self) -> None:
        self.all: list[_Candidate] = []
        self.undated: list[_Candidate] = []
        self.by_day: dict[dt.date, list[_Candidate]] = {}
        self.coarse_by_year: dict[int, list[_Candidate]] = {}
        self.by_year: dict[int, list[_Candidate]] = {}

    def add(self, c: _Candidate) -> None:
        self.all.append(c)
        lo, hi, precision = c.date
        if lo is None or hi is None:
            self.undated.append(c)
            return
        if precision == "day":
            self.by_day.setdefault(lo, []).append(c)
        for year in range(lo.year, hi.year + 1):
            self.by_year.setdefault(year, []).append(c)
            if precision != "day":
                self.coarse_by_year.setdefault(year, []).append(c)

    def near(self, window: tuple[dt.date | None, dt.date | None, str | None]) -> list[_Candidate]:
        """The candidates whose dates are compatible with ``window``.

        Without a date and a publication date there is no evidence that the mention reports a dated
        event: only undated candidates remain (the rule ``link`` applies to full mentions too).
        """
        lo, hi, precision = window
        if lo is None or hi is None:
            return self.undated
        pool: list[_Candidate] = []
        if precision == "day":
            for k in range(-DAY_TOLERANCE, DAY_TOLERANCE + 1):
                pool.extend(self.by_day.get(lo + dt.timedelta(days=k), ()))
            pool.extend(self.coarse_by_year.get(lo.year, ()))
        else:
            for year in range(lo.year, hi.year + 1):
                pool.extend(self.by_year.get(year, ()))
        unique = {id(c): c for c in pool}.values()
        return [c for c in unique if _overlap(c.date, window)] + self.undated


def _candidates(con: duckdb.DuckDBPyConnection, partial: Sequence[str]) -> dict[str, _CandidateIndex]:
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
    out = {k: _CandidateIndex() for k in partial}
    fitting: dict[str, list[str]] = {}
    for event_id, block, lo, hi, precision, place, cs, doc_keys in rows:
        if block not in fitting:
            t, a, r = split_block(block)
            near = {k for label in {*a.split(","), *r.split(",")} for k in by_label.get((t, label), ())}
            fitting[block] = sorted(k for k in near if partial_fits(k, block))
        if not fitting[block]:
            continue
        cand = _Candidate(
            event_id, block, (lo, hi, precision), place, frozenset(cs or ()), frozenset(doc_keys or ())
        )
        for k in fitting[block]:
            out[k].add(cand)
    return out


def attach(m: MentionRow, candidates: _CandidateIndex | None) -> _Candidate | None:
    """The one fully specified event a partial mention reports, or ``None`` when it is not clear.

    Candidates must agree on place and date (an undated mention looks in the week before its
    publication; one with no publication date either, only at undated events of other documents). An
    event of the mention's own document wins; else the only candidate; else the only one whose exact
    sectors contain the mention's.
    """
    if candidates is None:
        return None
    window = m.search_range
    # The mention's own article is evidence enough, dated or not; other articles need a date that fits.
    own = [
        c
        for c in candidates.all
        if m.doc_key in c.doc_keys and places_agree(m.place, c.place) and _overlap(c.date, window)
    ]
    fitting = [c for c in candidates.near(window) if places_agree(m.place, c.place)]
    for pool in (
        own,
        fitting,
        [c for c in fitting if set(m.actor_cs) | set(m.recipient_cs) <= c.cs],
    ):
        if len(pool) == 1:
            return pool[0]
    return None


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
    con.register("_relink_blocks", _keys_table(keys))
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
        mentions = _fetch(con)
        candidates = _candidates(con, keys)
        attached: list[tuple[str, str, str]] = []
        alone: list[MentionRow] = []
        for m in mentions:
            target = attach(m, candidates.get(m.block_key))
            if target is None:
                alone.append(m)
            else:
                attached.append((target.event_id, m.mention_id, m.block_key))
        events, links = link(alone)
        _replace_blocks(con, events, links + attached)
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


# --------------------------------------------------------------------------- the relink queue

_QUEUE = "relink_queue"


def enqueue(con: duckdb.DuckDBPyConnection, blocks: Iterable[str]) -> int:
    """Mark blocks for relinking (inside the caller's transaction); return how many were given."""
    keys = sorted(set(blocks))
    if keys:
        con.register("_enqueue", _keys_table(keys))
        try:
            con.execute(f"INSERT INTO {_QUEUE} SELECT block_key FROM _enqueue ON CONFLICT DO NOTHING")
        finally:
            con.unregister("_enqueue")
    return len(keys)


def pending(con: duckdb.DuckDBPyConnection) -> int:
    """Blocks waiting to be relinked."""
    row = con.execute(f"SELECT count(*) FROM {_QUEUE}").fetchone()
    return int(row[0]) if row else 0


def relink_pending(con: duckdb.DuckDBPyConnection) -> int:
    """Relink every queued block and empty the queue, in one transaction; return the blocks relinked."""
    keys = [r[0] for r in con.execute(f"SELECT block_key FROM {_QUEUE} ORDER BY 1").fetchall()]
    if not keys:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        relink(con, keys)
        con.execute(f"DELETE FROM {_QUEUE}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(keys)


def rekey_all(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every mention's block key from its stored sides and relink the whole store.

    The migration step run when the way blocks are keyed changes; runs in the migration's transaction.
    """
    rows = con.execute("SELECT mention_id, event_type, actor_cs, recipient_cs FROM mentions").fetchall()
    if rows:
        keyed = pa.table(
            {
                "mention_id": pa.array([r[0] for r in rows], pa.string()),
                "new_key": pa.array(
                    [block_key(r[1] or "?", group_side(r[2] or ()), group_side(r[3] or ())) for r in rows],
                    pa.string(),
                ),
            }
        )
        con.register("_rekey", keyed)
        try:
            con.execute(
                "UPDATE mentions SET block_key = k.new_key FROM _rekey k "
                "WHERE mentions.mention_id = k.mention_id AND mentions.block_key <> k.new_key"
            )
        finally:
            con.unregister("_rekey")
    con.execute("DELETE FROM event_mentions")
    con.execute("DELETE FROM events")
    keys = [r[0] for r in con.execute("SELECT DISTINCT block_key FROM mentions").fetchall()]
    relink(con, keys)


# --------------------------------------------------------------------------- evaluation


@dataclass
class LinkScores:
    """Pairwise linking scores: over all pairs of mentions, is "same event" predicted and true?"""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for mention, label in assignment.items():
        groups.setdefault(label, []).append(mention)
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        members.sort()
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def pairwise_scores(predicted: dict[str, str], gold: dict[str, str]) -> LinkScores:
    """Score predicted mention→event links against gold mention→event labels (shared mentions only).

    With no pair to find (or none predicted) the corresponding figure is 1.0: nothing was missed, or
    nothing wrongly linked.
    """
    shared = set(predicted) & set(gold)
    pred = _pairs({m: predicted[m] for m in shared})
    true = _pairs({m: gold[m] for m in shared})
    correct = len(pred & true)
    precision = correct / len(pred) if pred else 1.0
    recall = correct / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LinkScores(
        round(precision, 4), round(recall, 4), round(f1, 4), len(true), len(pred), correct, len(shared)
    )
