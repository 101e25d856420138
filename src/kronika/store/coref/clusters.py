"""Clustering the mentions of one block into events: pure, deterministic, no database.

Within a block, mentions are clustered by date: day dates join the best-supported anchor within one
day, month and year dates join an anchor inside their month or year, undated mentions join an event
of their own document, else the only event they can be. Places, when the record has one, must agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from kronika.store.coref.dates import (
    DAY_TOLERANCE,
    PRECISION_RANK,
    UNDATED_WINDOW,
    DateRange,
    dates_compatible,
    overlap,
)


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
    modality: str | None = None
    mode: list[str] = field(default_factory=list)
    place_country: str | None = None
    place_admin1: str | None = None
    place_kind: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_geonameid: int | None = None

    @property
    def range(self) -> DateRange:
        return self.date_lo, self.date_hi, self.date_precision

    @property
    def search_range(self) -> DateRange:
        """Where to look for the event: its date, else the days before its publication, else nothing."""
        if self.date_lo is not None or self.pub_date is None:
            return self.range
        return self.pub_date - dt.timedelta(days=UNDATED_WINDOW), self.pub_date, "window"

    @classmethod
    def columns(cls) -> list[str]:
        """The names a row of mentions must have to build one (by name, in any order)."""
        return [f.name for f in fields(cls)]


def places_agree(a: str | None, b: str | None) -> bool:
    """Two places are compatible unless both are known and differ."""
    return not (a and b and a.lower() != b.lower())


@dataclass(eq=False)
class _Cluster:
    anchor_lo: dt.date | None
    anchor_hi: dt.date | None
    precision: str | None
    place: str | None
    members: list[MentionRow] = field(default_factory=list)

    @property
    def anchor(self) -> DateRange:
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
        """An undated mention: an event of its own document, else the only event it can be.

        Another document's event must fall in the mention's window (``UNDATED_WINDOW`` days up to its
        publication); an event with no date at all must have been reported by an article published
        within that window. A mention with neither a date nor a publication date has no window: it
        joins only an event that has neither either (an undated article's report of an undated one).
        """
        own = [c for c in self.by_doc.get(m.doc_key, ()) if c.place_ok(m)]
        if own:
            return own
        window = m.search_range
        only: list[_Cluster] = []
        for c in self.all:
            if m.pub_date is None and (c.anchor_lo is not None or _published(c)):
                continue  # no date and no publication date: no evidence it is that dated event
            if m.pub_date is not None and c.anchor_lo is None and not _published_within(c, m.pub_date):
                continue  # an undated event: only if one of its articles appeared in the window
            if c.place_ok(m) and overlap(c.anchor, window):
                only.append(c)
                if len(only) > 1:
                    return []
        return only


def _published(c: _Cluster) -> bool:
    return any(x.pub_date is not None for x in c.members)


def _published_within(c: _Cluster, pub: dt.date) -> bool:
    """Whether an article of the cluster was published within ``UNDATED_WINDOW`` days of ``pub``."""
    return any(
        x.pub_date is not None and abs((x.pub_date - pub).days) <= UNDATED_WINDOW for x in c.members
    )


def _ordered(mentions: Sequence[MentionRow]) -> list[MentionRow]:
    """Mentions in the order they are clustered: precise dates first, the best-supported days first."""
    by_day = Counter(m.date_lo for m in mentions if m.date_precision == "day")
    return sorted(
        mentions,
        key=lambda m: (
            PRECISION_RANK.get(m.search_range[2], 4),
            -by_day.get(m.date_lo, 0) if m.date_precision == "day" else 0,
            m.search_range[0] or dt.date.max,
            0 if m.place else 1,
            m.mention_id,
        ),
    )


def _best(fits: Sequence[_Cluster], m: MentionRow) -> _Cluster:
    """The event a mention joins among those it fits: nearest day, same exact sides, most mentions."""
    sides = frozenset((m.actor_sig, m.recipient_sig))
    return min(
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


def cluster_block(mentions: Sequence[MentionRow]) -> list[list[MentionRow]]:
    """Split the mentions of one block into events (lists of mentions), deterministically."""
    clusters = _Clusters()
    for m in _ordered(mentions):
        fits = clusters.dated_fits(m) if m.date_lo is not None else clusters.undated_fits(m)
        if fits:
            clusters.join(_best(fits, m), m)
            continue
        lo, hi, precision = m.search_range if m.date_lo is None else m.range
        c = _Cluster(lo, hi, precision, m.place, [])
        clusters.add(c)
        clusters.join(c, m)
    return [c.members for c in clusters.all]
