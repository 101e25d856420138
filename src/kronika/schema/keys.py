"""The values an event mention is stored and linked by, read off its record: pure functions.

A mention's *block key* is its PLOVER type plus its dyad: for each side, the set of its countries
with the broad family of their sector (``RUS:state``, ``SYR:armed``), sorted for reciprocal types
(CONSULT, COOPERATE, AGREE) so that "Putin called Assad" and "Assad spoke with Putin" fall in the same
block. Its *date range* is the first and last day its date can mean. ``StoreKeys`` gathers them once
per record (``Event.store_keys``); the store writes them as they are and coreference reads them back.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

@functools.cache
def _packaged() -> tuple[frozenset[str], Mapping[str, str]]:
    """Reciprocal types and sector families from the packaged knowledge (``events/types.yaml``,
    ``actors/groups.yaml``): block keys must not change with a user's folders, or a store's keys
    would disagree between runs."""
    from kronika.config import Settings
    from kronika.knowledge import load_knowledge

    k = load_knowledge(Settings(data_dirs=[]))
    return k.reciprocal_types, k.sector_family


def reciprocal_types() -> frozenset[str]:
    """Types whose dyad is unordered (``reciprocal: true`` in ``events/types.yaml``)."""
    return _packaged()[0]


def sector_family() -> Mapping[str, str]:
    """PLOVER sector -> family: within a family two codings of one actor are the same side."""
    return _packaged()[1]


DateRange = tuple[dt.date | None, dt.date | None, str | None]


class EntityLike(Protocol):
    code: str | None
    sector: str | None
    name: str | None
    entity_text: str


# --------------------------------------------------------------------------- sides and blocks


def entity_label(e: EntityLike | dict[str, Any]) -> str:
    """``CODE SECTOR`` (``RUS GOV``), the code alone without a sector, or ``?name`` when uncoded."""
    get = e.get if isinstance(e, dict) else lambda k: getattr(e, k)
    code, sector = get("code"), get("sector")
    if code:
        return f"{code} {sector}" if sector else str(code)
    name = get("name") or get("entity_text")
    return "?" + (name or "").strip().lower()


def side_signature(entities: Iterable[EntityLike | dict[str, Any]]) -> str:
    """One side of a dyad: its sorted set of entity labels."""
    return ",".join(sorted({entity_label(e) for e in entities}))


def group_label(label: str) -> str:
    """An entity label at the level events are blocked on: ``RUS GOV`` → ``RUS:state``."""
    if not label or label.startswith("?"):
        return label
    code, _, sector = label.partition(" ")
    family = sector_family().get(sector, sector.lower())
    return f"{code}:{family}" if family else code


def group_side(labels: Iterable[str]) -> str:
    """One side of a block: the sorted set of the group labels of its entity labels."""
    return ",".join(sorted({group_label(x) for x in labels if x}))


def event_type_of(types: Sequence[str]) -> str:
    """The stored event type: the PLOVER types joined by ``+`` (``?`` for none)."""
    return "+".join(sorted(set(types))) if types else "?"


def block_key(event_type: str, actor_sig: str, recipient_sig: str) -> str:
    """The coreference block of a mention: type plus dyad (unordered for reciprocal types).

    A reciprocal mention with one side puts it first, whichever role the coder gave it; one whose
    single side holds exactly two parties ("Putin and Assad held a call") is that dyad.
    """
    a, b = actor_sig, recipient_sig
    if event_type in reciprocal_types() and not b and a.count(",") == 1:
        a, b = a.split(",")
    if event_type in reciprocal_types() and (b < a if a and b else not a):
        a, b = b, a
    return f"{event_type}|{a}|{b}"


# --------------------------------------------------------------------------- dates


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def date_range(date: str | None, precision: str | None = None) -> DateRange:
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


def to_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO string (``None`` when it is none of them)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- one record's keys


@dataclass(frozen=True)
class Side:
    """One side of a mention as stored: its first entity and the sets of its codes, labels, names."""

    code: str | None
    sector: str | None
    name: str | None
    codes: list[str]
    cs: list[str]
    names: list[str]

    @classmethod
    def of(cls, entities: Sequence[EntityLike]) -> Side:
        first = entities[0] if entities else None
        return cls(
            first.code if first else None,
            first.sector if first else None,
            first.name if first else None,
            sorted({e.code for e in entities if e.code}),
            sorted({entity_label(e) for e in entities}),
            sorted({e.name for e in entities if e.name}),
        )


@dataclass(frozen=True)
class StoreKeys:
    """What the store keeps of a record beside its own fields, computed once from the record."""

    event_type: str
    actor: Side
    recipient: Side
    block_key: str
    date_lo: dt.date | None
    date_hi: dt.date | None
    date_precision: str | None
    place: str | None
    pub_date: dt.date | None


class RecordLike(Protocol):
    event: list[str]
    actor: Any
    recipient: Any
    date: str | None
    date_precision: str | None
    pub_date: str | None
    place: Any


def store_keys(record: RecordLike) -> StoreKeys:
    """The type, sides, block, date range, place name and publication day of a record."""
    etype = event_type_of(record.event)
    a, r = Side.of(record.actor), Side.of(record.recipient)
    lo, hi, precision = date_range(record.date, record.date_precision)
    place = getattr(record.place, "name", None)
    return StoreKeys(
        event_type=etype,
        actor=a,
        recipient=r,
        block_key=block_key(etype, group_side(a.cs), group_side(r.cs)),
        date_lo=lo,
        date_hi=hi,
        date_precision=precision or record.date_precision,
        place=place if isinstance(place, str) else None,
        pub_date=to_date(record.pub_date),
    )
