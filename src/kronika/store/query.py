"""Queries over the event store: events, timelines and figures.

Actors are given the way people think of them: a name or alias seen in the articles ("Putin",
"Bashar al-Assad"), a country or organisation code ("RUS") or a code with its sector ("RUS GOV").
Names are resolved through the ``actors`` table, which keeps every surface form coded to an actor.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from kronika.store.filters import EventFilter
from kronika.store.schema import SCHEMA_VERSION, StoreError, open_store

log = logging.getLogger(__name__)

Db = str | Path | duckdb.DuckDBPyConnection | None

_CODE = re.compile(r"^[A-Z]{3}$")
_CODE_SECTOR = re.compile(r"^[A-Z]{3} [A-Z]{3}$")


class UnknownEvent(StoreError):
    """An event id that is not in the store."""


class UnknownActor(StoreError):
    """An actor given to a query matches no code, name or alias in the store."""


@dataclass
class ActorMatch:
    """What an actor query stands for: any of these codes, code-sector pairs or canonical names."""

    query: str
    codes: list[str] = field(default_factory=list)
    cs: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def predicate(self, side: str) -> tuple[str, list[Any]]:
        """SQL condition on one side (``actor`` or ``recipient``) of ``events`` with its parameters."""
        return (
            f"(list_has_any({side}_codes, ?::VARCHAR[]) OR list_has_any({side}_cs, ?::VARCHAR[])"
            f" OR list_has_any({side}_names, ?::VARCHAR[]))",
            [self.codes, self.cs, self.names],
        )


def resolve_actor(con: duckdb.DuckDBPyConnection, query: str) -> ActorMatch:
    """Turn a name, alias or code into an ``ActorMatch``; raise ``UnknownActor`` when nothing fits."""
    q = " ".join(query.split())
    if not q:
        raise UnknownActor("an empty actor name was given")
    match = ActorMatch(q)
    if _CODE.match(q):
        match.codes = [q]
        return match
    if _CODE_SECTOR.match(q):
        match.cs = [q]
        return match
    rows = _actor_rows(con, q)
    if not rows and q.upper() != q and _CODE.match(q.upper()) and _known_code(con, q.upper()):
        match.codes = [q.upper()]
        return match
    if not rows:
        raise UnknownActor(
            f"no actor called {q!r} in the store: give a name seen in the articles, a code such as RUS "
            "or a code with its sector such as 'RUS GOV' (`kronika stats` lists the frequent actors)"
        )
    for code, sector, name in rows:
        if name:
            match.names.append(name)
        elif code:
            match.cs.append(f"{code} {sector}" if sector else code)
    match.names = sorted(set(match.names))
    match.cs = sorted(set(match.cs))
    log.debug("actor %r resolved to %s", q, match)
    return match


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def is_name(text: str) -> bool:
    """Whether an alias is a name an actor can be looked up by: a capitalised word that is not a
    pronoun or other function word ("Putin", "the Kremlin"; not "He", "It", "the country"), and no
    possessive ("Putin's ability")."""
    words = text.replace("\u2019", "'").split()
    if any(w.endswith("'s") for w in words):
        return False
    return any(w[:1].isupper() and w.lower() not in _stop_words() for w in words)


def _forms(row: tuple[Any, ...]) -> list[str]:
    """The name and the aliases of an actors row that are names."""
    _code, _sector, name, aliases = row
    return [f for f in [name or "", *(aliases or [])] if f and is_name(f)]


def _actor_rows(con: duckdb.DuckDBPyConnection, q: str) -> list[Any]:
    """(code, sector, name) of the actors a name query stands for, best match first.

    The query matches an actor's name or one of its aliases that is a name (see ``is_name``): the
    whole form, else the start of one of its words ("Vlad" for "Vladimir Putin", "Assad" for "Bashar
    al-Assad"; three letters at least), else a spelling close to the name (Jaro-Winkler similarity
    0.9 or more: "Puttin"). A pronoun or function word ("he") matches nobody.
    """
    ql = q.lower()
    if not is_name(" ".join(w[:1].upper() + w[1:] for w in q.split())):
        return []
    actors = con.execute("SELECT code, sector, name, aliases FROM actors ORDER BY actor_key").fetchall()
    forms = [(row, [f.lower() for f in _forms(row)]) for row in actors]
    exact = [row[:3] for row, fs in forms if ql in fs]
    if exact or len(ql) < 3 or (_CODE.match(q.upper()) and _known_code(con, q.upper())):
        return exact  # "rus" typed for RUS is the code, not the start of "Russian warplanes"
    prefix = re.compile(r"(?:^|[\s\-])" + re.escape(ql))
    starts = [row[:3] for row, fs in forms if any(prefix.search(f) for f in fs)]
    if starts:
        return starts
    close = _close_forms(con, ql, sorted({f for _, fs in forms for f in fs}))
    return [row[:3] for row, fs in forms if close.intersection(fs)]


_FUZZY = 0.9


def _close_forms(con: duckdb.DuckDBPyConnection, q: str, forms: list[str]) -> set[str]:
    """The forms whose Jaro-Winkler similarity to ``q`` is at least ``_FUZZY`` (DuckDB's function)."""
    if not forms:
        return set()
    rows = con.execute(
        "SELECT f FROM unnest(?::VARCHAR[]) t(f) WHERE jaro_winkler_similarity(?, f) >= ?", [forms, q, _FUZZY]
    ).fetchall()
    return {r[0] for r in rows}


def _known_code(con: duckdb.DuckDBPyConnection, code: str) -> bool:
    """Whether some stored actor has ``code`` ("rus" typed for RUS)."""
    codes = con.execute("SELECT count(*) FROM actors WHERE code = ?", [code]).fetchone()
    return bool(codes and codes[0])


def date_bound(value: str | dt.date | None, end: bool = False) -> dt.date | None:
    """A query bound: a full date, a month (``2016-02``) or a year; ``end`` takes its last day."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    from kronika.store.coref import date_range

    try:
        lo, hi, _ = date_range(str(value))
    except (ValueError, OverflowError):  # "9999999999": no such year
        lo = hi = None
    if lo is None:
        raise StoreError(f"cannot read the date {value!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    return hi if end else lo


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


# The columns of an event as queries return it: events columns, some renamed (column, name in the row).
EVENT_VIEW: list[str | tuple[str, str]] = [
    "event_id",
    "date",
    "date_precision",
    ("event_type", "event"),
    "cameo",
    "quad_code",
    "event_scale",
    ("actor_label", "actor"),
    "actor_names",
    ("recipient_label", "recipient"),
    "recipient_names",
    "place",
    "place_country",
    "place_admin1",
    "place_lat",
    "place_lon",
    "place_geonameid",
    "modality",
    "confidence",
    "mode",
    ("date_lo", "date_start"),
    ("date_hi", "date_end"),
    ("actor_cs", "actors"),
    ("recipient_cs", "recipients"),
    "sources",
    "n_sources",
    "n_mentions",
    "n_documents",
    "first_report",
    "last_report",
    "text",
]
EVENT_FIELDS = ", ".join(f"e.{c}" if isinstance(c, str) else f"e.{c[0]} AS {c[1]}" for c in EVENT_VIEW)


def _select_events(
    con: duckdb.DuckDBPyConnection,
    where: list[str],
    params: list[Any],
    limit: int | None,
    dated_only: bool = False,
    offset: int = 0,
    newest_first: bool = False,
) -> list[dict[str, Any]]:
    if dated_only:
        where = [*where, "e.date_lo IS NOT NULL"]
    order = (
        "e.date_hi DESC NULLS LAST, e.date_lo DESC, e.event_type, e.event_id"
        if newest_first
        else "e.date_lo NULLS LAST, e.date_hi, e.event_type, e.event_id"
    )
    sql = f"""
        SELECT {EVENT_FIELDS}
        FROM events e
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY {order}
        {"LIMIT " + str(int(limit)) if limit else ""}
        {"OFFSET " + str(int(offset)) if offset else ""}
    """
    return _rows(con.execute(sql, params))


def event_filters(
    con: duckdb.DuckDBPyConnection,
    actor: str | None = None,
    recipient: str | None = None,
    type: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    place: str | None = None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``events e`` for these filters (``EventFilter.where`` with the common ones)."""
    return EventFilter(actor, recipient, type, date_from=date_from, date_to=date_to, place=place).where(con)


def as_frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> Any:
    """Query rows as a pandas DataFrame with typed columns: dates as datetimes, counts as integers."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns or (list(rows[0]) if rows else None))
    for col in frame.columns:
        if col in _DATE_COLUMNS or col == "period":
            frame[col] = pd.to_datetime(frame[col])
        elif col in _INT_COLUMNS:
            frame[col] = frame[col].astype("Int64")
    return frame


_DATE_COLUMNS = {"date_start", "date_end", "first_report", "last_report"}
_INT_COLUMNS = {"quad_code", "n_sources", "n_mentions", "n_documents", "events", "place_geonameid"}
EVENT_NAMES = [c if isinstance(c, str) else c[1] for c in EVENT_VIEW]


def events(
    db: Db = None,
    actor: str | None = None,
    recipient: str | None = None,
    type: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    place: str | None = None,
    limit: int | None = None,
    *,
    filters: EventFilter | None = None,
    newest_first: bool = True,
    as_frame: bool = False,
) -> Any:
    """Events (one per real-world event) matching all the given filters, newest first.

    Dates bound the event's date range (an event dated ``2016-02`` is in ``--from 2016-02-10``);
    ``place`` matches the event's place or the text of one of its mentions. ``filters`` adds the
    rest of the filter set (mode, modality, minimum confidence, country of the place); the arguments
    given here override its fields. Returns dictionaries, or a pandas DataFrame with ``as_frame``.
    """
    chosen = _merge(filters, actor, recipient, type, date_from, date_to, place)
    with open_store(db, read_only=True) as con:
        where, params = chosen.where(con)
        rows = _select_events(con, where, params, limit, newest_first=newest_first)
    return _frame(rows, EVENT_NAMES) if as_frame else rows


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> Any:
    return as_frame(rows, columns)


def _merge(filters: EventFilter | None, actor: Any, recipient: Any, type: Any, date_from: Any,
           date_to: Any, place: Any) -> EventFilter:
    given = {"actor": actor, "recipient": recipient, "type": type, "date_from": date_from,
             "date_to": date_to, "place": place}
    return (filters or EventFilter()).replace(**{k: v for k, v in given.items() if v is not None})


def events_page(
    db: Db = None,
    actor: str | None = None,
    recipient: str | None = None,
    type: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    place: str | None = None,
    limit: int = 100,
    offset: int = 0,
    filters: EventFilter | None = None,
) -> dict[str, Any]:
    """A page of ``events`` (newest first): ``limit`` of them from ``offset``, with their source
    articles and the number matching in all (``total``)."""
    chosen = _merge(filters, actor, recipient, type, date_from, date_to, place)
    with open_store(db, read_only=True) as con:
        where, params = chosen.where(con)
        cond = f"WHERE {' AND '.join(where)}" if where else ""
        total = con.execute(f"SELECT count(*) FROM events e {cond}", params).fetchone()
        rows = _select_events(con, where, params, limit, offset=offset, newest_first=True)
        _attach_articles(con, rows)
    return {"total": int(total[0]) if total else 0, "offset": offset, "limit": limit, "events": rows}


def event(db: Db, event_id: str) -> dict[str, Any]:
    """One event and every mention that reports it: source document, sentence, trigger and participants.

    The stored records count offsets from the start of the document; here they count from the start of
    the mention's sentence (``text[trigger.start:trigger.end]`` is the trigger word; ``null`` for a
    participant named in an earlier sentence).
    """
    with open_store(db, read_only=True) as con:
        rows = _select_events(con, ["e.event_id = ?"], [event_id], None)
        if not rows:
            raise UnknownEvent(f"no event {event_id!r} in the store: event ids come from the event lists")
        _attach_articles(con, rows)
        found = _rows(
            con.execute(
                """
                SELECT m.mention_id, m.doc_id, m.event_type AS event, m.date, m.date_text, m.date_source,
                       m.modality, m.confidence, m.place, m.sentence_index, m.text, m.event_text,
                       m.trigger_start, m.trigger_end, m.record,
                       d.title, d.publisher, d.url, d.pub_date
                FROM event_mentions em
                JOIN mentions m ON m.mention_id = em.mention_id
                LEFT JOIN documents d ON d.doc_key = m.doc_key
                WHERE em.event_id = ?
                ORDER BY d.pub_date NULLS LAST, m.doc_id, m.sentence_index, m.trigger_start, m.mention_id
                """,
                [event_id],
            )
        )
    mentions = []
    for m in found:
        record = json.loads(m.pop("record") or "{}")
        text = m.get("text") or ""
        base = (record.get("text_info") or {}).get("start")
        m["sentence_start"] = base
        m["trigger"] = _within(base, text, m.pop("trigger_start"), m.pop("trigger_end"))
        m["actor"] = _participants(record.get("actor"), base, text)
        m["recipient"] = _participants(record.get("recipient"), base, text)
        m["rule"] = record.get("rule")
        mentions.append(m)
    return {"event": rows[0], "mentions": mentions}


def _within(base: int | None, text: str, start: int | None, end: int | None) -> dict[str, int | None]:
    """Document offsets ``start:end`` as offsets into ``text`` (which starts at ``base``), if inside it."""
    if base is None or start is None or end is None:
        return {"start": None, "end": None}
    s, e = start - base, end - base
    if 0 <= s <= e <= len(text):
        return {"start": s, "end": e}
    return {"start": None, "end": None}


def _participants(items: list[dict[str, Any]] | None, base: int | None, text: str) -> list[dict[str, Any]]:
    return [
        {
            "code": x.get("code"),
            "sector": x.get("sector"),
            "name": x.get("name"),
            "entity_text": x.get("entity_text") or "",
            "rule": x.get("rule") or "",
            "evidence": _within(base, text, x.get("start"), x.get("end")),
        }
        for x in items or []
    ]


def actor_summary(db: Db, query: str) -> dict[str, Any]:
    """What ``query`` (a name, alias or code) stands for: the codes, pairs and names it resolves to,
    the stored actors behind them and how many events it takes part in on each side."""
    with open_store(db, read_only=True) as con:
        match = resolve_actor(con, query)
        actors = _rows(
            con.execute(
                """
                SELECT code, sector, name, coalesce(aliases, []) AS aliases, n_mentions AS mentions
                FROM actors
                WHERE list_contains($names, name)
                   OR list_contains($cs, CASE WHEN coalesce(sector, '') = '' THEN code
                                              ELSE code || ' ' || sector END)
                   OR list_contains($codes, code)
                ORDER BY n_mentions DESC NULLS LAST, actor_key
                LIMIT 200
                """,
                {"names": match.names, "cs": match.cs, "codes": match.codes},
            )
        )
        counts = {}
        for side in ("actor", "recipient"):
            sql, params = match.predicate(f"e.{side}")
            row = con.execute(f"SELECT count(*) FROM events e WHERE {sql}", params).fetchone()
            counts[side] = int(row[0]) if row else 0
    return {
        "query": match.query,
        "codes": match.codes,
        "cs": match.cs,
        "names": match.names,
        "actors": actors,
        "events_as_actor": counts["actor"],
        "events_as_recipient": counts["recipient"],
    }


def _attach_articles(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    doc_ids = sorted({s for r in rows for s in (r["sources"] or [])})
    if not doc_ids:
        for r in rows:
            r["articles"] = []
        return
    docs = _rows(
        con.execute(
            """
            SELECT DISTINCT ON (doc_id) doc_id, title, publisher, url, pub_date, near_duplicate_of
            FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))
            ORDER BY doc_id, ingested_at DESC
            """,
            [doc_ids],
        )
    )
    by_id = {d["doc_id"]: d for d in docs}
    for r in rows:
        r["articles"] = [by_id[s] for s in r["sources"] or [] if s in by_id]


def timeline(
    db: Db,
    a: str,
    b: str | None = None,
    type: str | None = None,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    *,
    filters: EventFilter | None = None,
    as_frame: bool = False,
) -> Any:
    """The dated history of actor ``a``, or of the dyad ``a``–``b`` in either direction.

    One entry per event, in date order (a history reads forward), with the documents that report it
    (``sources``, ``articles``). ``filters`` adds the rest of the filter set (its actor and recipient
    are not used: ``a`` and ``b`` are). A pandas DataFrame with ``as_frame``.
    """
    with open_store(db, read_only=True) as con:
        ma = resolve_actor(con, a)
        pa_, qa = ma.predicate("e.actor")
        ra, qra = ma.predicate("e.recipient")
        if b is None:
            where, params = [f"({pa_} OR {ra})"], [*qa, *qra]
        else:
            mb = resolve_actor(con, b)
            pb, qb = mb.predicate("e.actor")
            rb, qrb = mb.predicate("e.recipient")
            # Either direction, or both on one side: a joint contact ("Putin and Assad held a call").
            where = [f"(({pa_} AND {rb}) OR ({pb} AND {ra}) OR ({pa_} AND {pb}))"]
            params = [*qa, *qrb, *qb, *qra, *qa, *qb]
        chosen = _merge(filters, None, None, type, date_from, date_to, None)
        chosen = chosen.replace(actor=None, recipient=None)
        more, more_params = chosen.where(con)
        rows = _select_events(con, where + more, params + more_params, None, dated_only=True)
        _attach_articles(con, rows)
    return _frame(rows, [*EVENT_NAMES, "articles"]) if as_frame else rows


def stats(db: Db = None, top: int = 10) -> dict[str, Any]:
    """Figures about the store: documents by status, mentions, events, linking, top actors and types."""
    with open_store(db, read_only=True) as con:

        def one(sql: str) -> Any:
            row = con.execute(sql).fetchone()
            return row[0] if row else None

        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "documents": one("SELECT count(*) FROM documents"),
            "documents_by_status": dict(
                con.execute(
                    "SELECT status, count(*) FROM documents GROUP BY status ORDER BY status"
                ).fetchall()
            ),
            "near_duplicates": one("SELECT count(*) FROM documents WHERE near_duplicate_of IS NOT NULL"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "events": one("SELECT count(*) FROM events"),
            "events_with_several_sources": one("SELECT count(*) FROM events WHERE n_sources > 1"),
            "actors": one("SELECT count(*) FROM actors"),
            "first_event_date": one("SELECT min(date_lo) FROM events"),
            "last_event_date": one("SELECT max(date_hi) FROM events"),
        }
        out["mentions_per_event"] = round(out["mentions"] / out["events"], 3) if out["events"] else None
        out["events_by_type"] = dict(
            con.execute(
                "SELECT event_type, count(*) n FROM events GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?", [top]
            ).fetchall()
        )
        out["top_actors"] = [
            {"code": c, "sector": s, "name": n, "mentions": k}
            for c, s, n, k in con.execute(
                "SELECT code, sector, name, n_mentions FROM actors "
                "ORDER BY n_mentions DESC, actor_key LIMIT ?",
                [top],
            ).fetchall()
        ]
        for k in ("first_event_date", "last_event_date"):
            if isinstance(out[k], dt.date):
                out[k] = out[k].isoformat()
    return out
