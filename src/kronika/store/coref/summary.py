"""From clusters to events: one ``events`` row per cluster, its date, sides and deterministic id."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from kronika.store.coref.clusters import MentionRow, cluster_block
from kronika.store.coref.dates import PRECISION_RANK, DateRange, format_date


def best_date(members: Sequence[MentionRow]) -> DateRange:
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


PLACE_DETAILS = ("place_country", "place_admin1", "place_kind", "place_lat", "place_lon", "place_geonameid")


def event_details(members: Sequence[MentionRow], place: str | None, rep: MentionRow) -> dict[str, Any]:
    """Modality, confidence, modes and place details of an event from its mentions.

    The event is asserted when one of its mentions asserts it (else it has the most reported modality);
    its confidence is its best mention's; the details of its place are those of a mention naming it.
    """
    modalities = [m.modality for m in members]
    modality = "asserted" if "asserted" in modalities else _most_common(modalities)
    located = next((m for m in members if place and m.place == place), None)
    return {
        "modality": modality,
        "confidence": round(max(m.confidence for m in members), 3),
        "mode": sorted(rep.mode or []),
        **{k: getattr(located, k) if located is not None else None for k in PLACE_DETAILS},
    }


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
        **event_details(members, place, rep),
        **counts(members),
        "representative": rep.mention_id,
        "text": rep.text,
    }


def counts(members: Sequence[MentionRow]) -> dict[str, Any]:
    """The counts and sources of an event from all its mentions (those of its block and the partial
    mentions joined to it): first and last report, mentions, sources, documents, document ids."""
    pubs = [m.pub_date for m in members if m.pub_date is not None]
    return {
        "first_report": min(pubs) if pubs else None,
        "last_report": max(pubs) if pubs else None,
        "n_mentions": len(members),
        "n_sources": len({m.source_key for m in members}),
        "n_documents": len({m.doc_key for m in members}),
        "sources": sorted({m.doc_id for m in members}),
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
