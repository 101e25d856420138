"""Cross-document event coreference: mentions of one real-world event become one event.

Mentions are first blocked by event type and dyad (``block_key``): the PLOVER type and the sets of
``CODE SECTOR`` of each side, sorted for reciprocal types (CONSULT, COOPERATE, AGREE with both sides
present) so that "Putin called Assad" and "Assad spoke with Putin" fall in the same block. Within a
block, mentions are clustered by date: day dates join the best-supported anchor within one day, month
and year dates join an anchor inside their month or year, undated mentions join an event reported by
the same document. Places, when the record has one, must agree.

Relinking works block by block, so a new batch of documents recomputes only the blocks it touched.
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

log = logging.getLogger(__name__)

RECIPROCAL_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
DAY_TOLERANCE = 1
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, None: 3}


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


def event_type_of(types: Sequence[str]) -> str:
    return "+".join(sorted(set(types))) if types else "?"


def is_reciprocal(event_type: str, actor_sig: str, recipient_sig: str) -> bool:
    return event_type in RECIPROCAL_TYPES and bool(actor_sig) and bool(recipient_sig)


def block_key(event_type: str, actor_sig: str, recipient_sig: str) -> str:
    """The coreference block of a mention: type plus dyad (unordered for reciprocal types)."""
    a, b = actor_sig, recipient_sig
    if is_reciprocal(event_type, a, b) and b < a:
        a, b = b, a
    return f"{event_type}|{a}|{b}"


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


@dataclass
class _Cluster:
    anchor_lo: dt.date | None
    anchor_hi: dt.date | None
    precision: str | None
    place: str | None
    members: list[MentionRow] = field(default_factory=list)

    def accepts(self, m: MentionRow) -> bool:
        if m.place and self.place and m.place.lower() != self.place.lower():
            return False
        if m.date_lo is None:
            return any(x.doc_key == m.doc_key for x in self.members)
        if self.anchor_lo is None:
            return False
        return dates_compatible((self.anchor_lo, self.anchor_hi, self.precision), m.range)


def cluster_block(mentions: Sequence[MentionRow]) -> list[list[MentionRow]]:
    """Split the mentions of one block into events (lists of mentions), deterministically."""
    by_day = Counter(m.date_lo for m in mentions if m.date_precision == "day")
    ordered = sorted(
        mentions,
        key=lambda m: (
            PRECISION_RANK.get(m.date_precision, 3),
            -by_day.get(m.date_lo, 0) if m.date_precision == "day" else 0,
            m.date_lo or dt.date.max,
            0 if m.place else 1,
            m.mention_id,
        ),
    )
    clusters: list[_Cluster] = []
    for m in ordered:
        fits = [c for c in clusters if c.accepts(m)]
        if fits:
            best = min(
                fits,
                key=lambda c: (
                    abs((c.anchor_lo - m.date_lo).days) if m.date_precision == "day" and c.anchor_lo else 0,
                    -len(c.members),
                    c.anchor_lo or dt.date.max,
                ),
            )
            best.members.append(m)
            if best.place is None and m.place:
                best.place = m.place
            continue
        clusters.append(_Cluster(m.date_lo, m.date_hi, m.date_precision, m.place, [m]))
    return [c.members for c in clusters]


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

_FETCH = """
    SELECT m.mention_id, m.doc_key, m.doc_id, coalesce(d.near_duplicate_of, m.doc_key) AS source_key,
           m.block_key, m.event_type,
           array_to_string(m.actor_cs, ',') AS actor_sig,
           array_to_string(m.recipient_cs, ',') AS recipient_sig,
           m.date_lo, m.date_hi, m.date_precision, m.place, coalesce(d.pub_date, m.pub_date) AS pub_date,
           m.confidence, m.event_scale, m.cameo, m.quad_code,
           m.actor_codes, m.actor_cs, m.actor_names, m.recipient_codes, m.recipient_cs, m.recipient_names,
           m.text
    FROM mentions m
    JOIN _relink_blocks b ON b.block_key = m.block_key
    LEFT JOIN documents d ON d.doc_key = m.doc_key
"""


def relink(con: duckdb.DuckDBPyConnection, blocks: Iterable[str]) -> int:
    """Recompute the events of the given blocks from their stored mentions; return how many events.

    Runs inside the caller's transaction, so a batch's mentions and its events commit together.
    """
    keys = sorted(set(blocks))
    if not keys:
        return 0
    con.register("_relink_blocks", pa.table({"block_key": pa.array(keys, pa.string())}))
    try:
        cur = con.execute(_FETCH)
        names = [d[0] for d in cur.description]
        mentions = [MentionRow(**dict(zip(names, row, strict=True))) for row in cur.fetchall()]
        for m in mentions:
            m.confidence = m.confidence if m.confidence is not None else 0.5
        events, links = link(mentions)
        con.execute("DELETE FROM event_mentions WHERE block_key IN (SELECT block_key FROM _relink_blocks)")
        con.execute("DELETE FROM events WHERE block_key IN (SELECT block_key FROM _relink_blocks)")
    finally:
        con.unregister("_relink_blocks")
    if events:
        table = pa.table({c: pa.array([e[c] for e in events], t) for c, t in EVENT_COLUMNS.items()})
        con.register("_new_events", table)
        cols = ", ".join(EVENT_COLUMNS)
        con.execute(f"INSERT INTO events ({cols}) SELECT {cols} FROM _new_events")
        con.unregister("_new_events")
        link_table = pa.table(
            {
                "event_id": pa.array([x[0] for x in links], pa.string()),
                "mention_id": pa.array([x[1] for x in links], pa.string()),
                "block_key": pa.array([x[2] for x in links], pa.string()),
            }
        )
        con.register("_new_links", link_table)
        con.execute("INSERT INTO event_mentions SELECT * FROM _new_links")
        con.unregister("_new_links")
    log.debug("relinked %d blocks: %d mentions into %d events", len(keys), len(mentions), len(events))
    return len(events)


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
