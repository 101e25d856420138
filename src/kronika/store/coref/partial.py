"""Partial mentions: the one fully specified event a mention with a single side reports, if clear.

A *partial* mention has one side only (the coder found no recipient, or no actor). It joins a fully
specified event of the same type whose side holds its known side (either side for reciprocal types)
and whose date is compatible, when exactly one such event is a candidate; otherwise partial mentions
are clustered among themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kronika.store.coref.clusters import MentionRow, places_agree
from kronika.store.coref.dates import DAY_TOLERANCE, DateRange, overlap


@dataclass
class Candidate:
    event_id: str
    block_key: str
    date: DateRange
    place: str | None
    cs: frozenset[str]  # exact CODE SECTOR labels of both sides
    doc_keys: frozenset[str]


class CandidateIndex:
    """The full events one partial block may join, indexed by day and year of their dates."""

    def __init__(self) -> None:
        self.all: list[Candidate] = []
        self.undated: list[Candidate] = []
        self.by_day: dict[dt.date, list[Candidate]] = {}
        self.coarse_by_year: dict[int, list[Candidate]] = {}
        self.by_year: dict[int, list[Candidate]] = {}

    def add(self, c: Candidate) -> None:
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

    def near(self, window: DateRange) -> list[Candidate]:
        """The candidates whose dates are compatible with ``window``.

        Without a date and a publication date there is no evidence that the mention reports a dated
        event: only undated candidates remain (the rule ``link`` applies to full mentions too). A
        mention with a date or a publication window joins no undated event of another article: nothing
        places that event in its window (its own article's events are ``attach``'s first choice).
        """
        lo, hi, precision = window
        if lo is None or hi is None:
            return self.undated
        pool: list[Candidate] = []
        if precision == "day":
            for k in range(-DAY_TOLERANCE, DAY_TOLERANCE + 1):
                pool.extend(self.by_day.get(lo + dt.timedelta(days=k), ()))
            pool.extend(self.coarse_by_year.get(lo.year, ()))
        else:
            for year in range(lo.year, hi.year + 1):
                pool.extend(self.by_year.get(year, ()))
        unique = {id(c): c for c in pool}.values()
        return [c for c in unique if overlap(c.date, window)]


def attach(m: MentionRow, candidates: CandidateIndex | None) -> Candidate | None:
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
        if m.doc_key in c.doc_keys and places_agree(m.place, c.place) and overlap(c.date, window)
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
