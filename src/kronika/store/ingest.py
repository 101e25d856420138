"""Ingest: read, code and store documents into the event store, idempotently and resumably.

A document is stored under ``doc_key`` = its ``doc_id`` plus a hash of its normalised text. A document
whose key is already stored is skipped before coding (unchanged); one whose ``doc_id`` is stored under
another key is a revision and replaces the old version. Documents are committed in batches: each batch's
documents, mentions, actors and the blocks it touched (queued for relinking) go in one transaction, so
a run stopped at any point leaves whole batches, and running it again skips what was committed. The
queued blocks are relinked once, in one transaction, when the run ends (or when the next run starts,
if one was stopped first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from kronika.config import Settings
from kronika.document import Document
from kronika.records import Entity, Event
from kronika.store import coref, dedup
from kronika.store.bulk import insert_arrow, insert_rows
from kronika.store.schema import open_store

log = logging.getLogger(__name__)

DEFAULT_COMMIT_EVERY = 100

Reader = Callable[..., Iterable[Document]]
Coder = Callable[..., Iterable[tuple[Document, list[Event]]]]


@dataclass
class IngestReport:
    """What an ingest run did."""

    db_path: str = ""
    documents_seen: int = 0
    documents_new: int = 0
    documents_updated: int = 0
    documents_unchanged: int = 0
    documents_skipped: int = 0
    documents_failed: int = 0
    near_duplicates: int = 0
    mentions_added: int = 0
    batches: int = 0
    blocks_relinked: int = 0
    events_total: int = 0
    mentions_total: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.documents_new or self.documents_updated)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- identifiers


def normalise_text(text: str) -> str:
    """NFC, whitespace runs collapsed: layout-only differences do not make a new document."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()


def document_key(doc: Document) -> tuple[str, str]:
    """``(doc_key, content_hash)``: the document id plus a hash of its normalised text."""
    h = content_hash(doc.text)
    return f"{doc.doc_id}#{h[:12]}", h


def _to_date(value: Any) -> dt.date | None:
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


# --------------------------------------------------------------------------- rows

MENTION_COLUMNS: dict[str, pa.DataType] = {
    "mention_id": pa.string(),
    "doc_key": pa.string(),
    "doc_id": pa.string(),
    "block_key": pa.string(),
    "event_type": pa.string(),
    "cameo": pa.string(),
    "quad_code": pa.int32(),
    "event_scale": pa.float64(),
    "actor_code": pa.string(),
    "actor_sector": pa.string(),
    "actor_name": pa.string(),
    "actor_codes": pa.list_(pa.string()),
    "actor_cs": pa.list_(pa.string()),
    "actor_names": pa.list_(pa.string()),
    "recipient_code": pa.string(),
    "recipient_sector": pa.string(),
    "recipient_name": pa.string(),
    "recipient_codes": pa.list_(pa.string()),
    "recipient_cs": pa.list_(pa.string()),
    "recipient_names": pa.list_(pa.string()),
    "date": pa.string(),
    "date_precision": pa.string(),
    "date_lo": pa.date32(),
    "date_hi": pa.date32(),
    "date_text": pa.string(),
    "date_source": pa.string(),
    "pub_date": pa.date32(),
    "place": pa.string(),
    "modality": pa.string(),
    "confidence": pa.float64(),
    "sentence_index": pa.int32(),
    "trigger_start": pa.int32(),
    "trigger_end": pa.int32(),
    "event_text": pa.string(),
    "text": pa.string(),
    "record": pa.string(),
}

DOCUMENT_COLUMNS: dict[str, pa.DataType] = {
    "doc_key": pa.string(),
    "doc_id": pa.string(),
    "content_hash": pa.string(),
    "status": pa.string(),
    "reason": pa.string(),
    "title": pa.string(),
    "url": pa.string(),
    "path": pa.string(),
    "publisher": pa.string(),
    "pub_date": pa.date32(),
    "language": pa.string(),
    "text_length": pa.int32(),
    "minhash": pa.list_(pa.uint64()),
    "near_duplicate_of": pa.string(),
    "n_mentions": pa.int32(),
    "ingested_at": pa.timestamp("us"),
}


def _side(entities: Sequence[Entity]) -> dict[str, Any]:
    first = entities[0] if entities else None
    return {
        "code": first.code if first else None,
        "sector": first.sector if first else None,
        "name": first.name if first else None,
        "codes": sorted({e.code for e in entities if e.code}),
        "cs": sorted({coref.entity_label(e) for e in entities}),
        "names": sorted({e.name for e in entities if e.name}),
    }


def mention_row(event: Event, doc_key: str, doc_pub_date: dt.date | None = None) -> dict[str, Any]:
    """The ``mentions`` row of one event mention: flattened columns plus the full JSON record."""
    record = event.to_dict()
    etype = coref.event_type_of(event.event)
    a, r = _side(event.actor), _side(event.recipient)
    lo, hi, precision = coref.date_range(event.date, event.date_precision)
    place = record.get("place") or record.get("location") or getattr(event, "place", None)
    if isinstance(place, dict):
        place = place.get("name") or place.get("placename")
    return {
        "mention_id": event.id,
        "doc_key": doc_key,
        "doc_id": event.doc_id,
        "block_key": coref.block_key(etype, coref.group_side(a["cs"]), coref.group_side(r["cs"])),
        "event_type": etype,
        "cameo": event.cameo,
        "quad_code": event.quad_code,
        "event_scale": event.event_scale,
        "actor_code": a["code"],
        "actor_sector": a["sector"],
        "actor_name": a["name"],
        "actor_codes": a["codes"],
        "actor_cs": a["cs"],
        "actor_names": a["names"],
        "recipient_code": r["code"],
        "recipient_sector": r["sector"],
        "recipient_name": r["name"],
        "recipient_codes": r["codes"],
        "recipient_cs": r["cs"],
        "recipient_names": r["names"],
        "date": event.date,
        "date_precision": precision or event.date_precision,
        "date_lo": lo,
        "date_hi": hi,
        "date_text": event.date_text,
        "date_source": event.date_source,
        "pub_date": _to_date(event.pub_date) or doc_pub_date,
        "place": place if isinstance(place, str) else None,
        "modality": event.modality,
        "confidence": event.confidence,
        "sentence_index": event.sentence_index,
        "trigger_start": event.trigger_start,
        "trigger_end": event.trigger_end,
        "event_text": event.event_text,
        "text": event.text,
        "record": json.dumps(record, ensure_ascii=False),
    }


# --------------------------------------------------------------------------- batches


@dataclass
class _Pending:
    doc: Document
    events: list[Event]
    doc_key: str
    content_hash: str
    replaces: str | None = None  # doc_key of the stored older version


def _actor_rows(rows: Sequence[tuple[Entity, ...]]) -> pa.Table:
    aliases: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    meta: dict[str, tuple[str | None, str | None, str | None]] = {}
    for entities in rows:
        for e in entities:
            if not (e.code or e.name):
                continue
            key = f"{e.code or ''}|{e.sector or ''}|{e.name or ''}"
            meta[key] = (e.code, e.sector, e.name)
            counts[key] += 1
            if e.entity_text:
                aliases.setdefault(key, set()).add(" ".join(e.entity_text.split()))
    keys = sorted(meta)
    return pa.table(
        {
            "actor_key": pa.array(keys, pa.string()),
            "code": pa.array([meta[k][0] for k in keys], pa.string()),
            "sector": pa.array([meta[k][1] for k in keys], pa.string()),
            "name": pa.array([meta[k][2] for k in keys], pa.string()),
            "aliases": pa.array([sorted(aliases.get(k, ())) for k in keys], pa.list_(pa.string())),
            "n_mentions": pa.array([counts[k] for k in keys], pa.int32()),
        }
    )


def store_batch(con: duckdb.DuckDBPyConnection, batch: Sequence[_Pending], report: IngestReport) -> None:
    """Store one batch of coded documents and queue the blocks it touches, in one transaction."""
    if not batch:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    try:
        touched: set[str] = set()
        replaced = [p.replaces for p in batch if p.replaces]
        if replaced:
            con.register("_replaced", pa.table({"doc_key": pa.array(replaced, pa.string())}))
            touched.update(
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT block_key FROM mentions WHERE doc_key IN (SELECT doc_key FROM _replaced)"
                ).fetchall()
            )
            for table in ("mentions", "doc_lsh", "documents"):
                con.execute(f"DELETE FROM {table} WHERE doc_key IN (SELECT doc_key FROM _replaced)")
            con.unregister("_replaced")

        fps = [
            dedup.Fingerprinted(p.doc_key, dedup.fingerprint(p.doc.text) if p.doc.ok else None) for p in batch
        ]
        dups = dedup.find_near_duplicates(con, fps)
        report.near_duplicates += len(dups)

        doc_rows, mention_rows, entity_rows = [], [], []
        seen_mentions: set[str] = set()
        for p, fp in zip(batch, fps, strict=True):
            doc = p.doc
            n = 0
            for ev in p.events:
                row = mention_row(ev, p.doc_key, doc.pub_date)
                if row["mention_id"] in seen_mentions:
                    continue
                seen_mentions.add(row["mention_id"])
                mention_rows.append(row)
                entity_rows.append((*ev.actor, *ev.recipient))
                n += 1
            doc_rows.append(
                {
                    "doc_key": p.doc_key,
                    "doc_id": doc.doc_id,
                    "content_hash": p.content_hash,
                    "status": doc.status,
                    "reason": doc.reason,
                    "title": doc.title,
                    "url": doc.url,
                    "path": doc.path,
                    "publisher": doc.publisher,
                    "pub_date": doc.pub_date,
                    "language": doc.language,
                    "text_length": len(doc.text or ""),
                    "minhash": [int(v) for v in fp.minhash.hashvalues] if fp.minhash is not None else None,
                    "near_duplicate_of": dups.get(p.doc_key),
                    "n_mentions": n,
                    "ingested_at": now,
                }
            )
        insert_rows(con, "documents", doc_rows, DOCUMENT_COLUMNS)
        insert_arrow(con, "doc_lsh", dedup.lsh_rows(fps))
        if mention_rows:
            # a mention id can only exist under another doc_key if two inputs share a doc_id and text
            con.register("_ids", pa.table({"mention_id": pa.array(sorted(seen_mentions), pa.string())}))
            con.execute("DELETE FROM mentions WHERE mention_id IN (SELECT mention_id FROM _ids)")
            con.unregister("_ids")
        insert_rows(con, "mentions", mention_rows, MENTION_COLUMNS)
        actors = _actor_rows(entity_rows)
        if actors.num_rows:
            con.register("_actors", actors)
            con.execute(
                """
                INSERT INTO actors SELECT * FROM _actors
                ON CONFLICT (actor_key) DO UPDATE SET
                    aliases = list_sort(list_distinct(list_concat(actors.aliases, excluded.aliases))),
                    n_mentions = actors.n_mentions + excluded.n_mentions
                """
            )
            con.unregister("_actors")
        touched.update(r["block_key"] for r in mention_rows)
        coref.enqueue(con, touched)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    report.batches += 1
    report.mentions_added += len(mention_rows)
    log.info("committed %d documents, %d mentions, %d blocks", len(batch), len(mention_rows), len(touched))


# --------------------------------------------------------------------------- runs


def _default_reader() -> Reader:
    from kronika.read import read_inputs

    return read_inputs


def _default_coder() -> Coder:
    from kronika.pipeline import code_documents

    return code_documents


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        transient=False,
    )


def store_coded(
    pairs: Iterable[tuple[Document, list[Event]]],
    db: str | Path | duckdb.DuckDBPyConnection | None = None,
    settings: Settings | None = None,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    progress: bool = False,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Store documents that are already coded (hand-built records, ``kronika code`` output...).

    Same rules as ``ingest``: unchanged documents are skipped, revisions replace, batches commit.
    """
    return _run(
        lambda admit: ((d, e) for d, e in pairs if admit(d)),
        db,
        settings,
        progress,
        commit_every,
        on_batch,
    )


def ingest(
    inputs: Iterable[str | Path] | str | Path,
    db_path: str | Path | duckdb.DuckDBPyConnection | None = None,
    settings: Settings | None = None,
    progress: bool = False,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    reader: Reader | None = None,
    coder: Coder | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read, code and store ``inputs`` (files, folders, archives...) into the event store.

    Idempotent: unchanged documents are skipped before coding. ``commit_every`` documents are committed
    per transaction. ``reader`` and ``coder`` default to ``kronika.read.read_inputs`` and
    ``kronika.pipeline.code_documents``; ``on_batch`` is called after each commit.
    """
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    paths = list(inputs)
    settings = settings or Settings()
    read = reader or _default_reader()
    code = coder or _default_coder()
    return _run(
        lambda admit: code((d for d in read(paths, settings=settings) if admit(d)), settings=settings),
        db_path,
        settings,
        progress,
        commit_every,
        on_batch,
    )


def _run(
    source: Callable[[Callable[[Document], bool]], Iterable[tuple[Document, list[Event]]]],
    db: str | Path | duckdb.DuckDBPyConnection | None,
    settings: Settings | None,
    progress: bool,
    commit_every: int,
    on_batch: Callable[[IngestReport], None] | None,
) -> IngestReport:
    if commit_every < 1:
        raise ValueError("commit_every must be at least 1")
    settings = settings or Settings()
    report = IngestReport()
    start = time.perf_counter()
    if isinstance(db, duckdb.DuckDBPyConnection):
        report.db_path = "<connection>"
    else:
        report.db_path = str(db if db is not None else settings.db_path)
    with open_store(db, settings=settings) as con:
        report.blocks_relinked += coref.relink_pending(con)  # left by a run that was stopped
        stored: set[str] = set()
        by_doc_id: dict[str, str] = {}
        for key, doc_id in con.execute("SELECT doc_key, doc_id FROM documents").fetchall():
            stored.add(key)
            by_doc_id[doc_id] = key
        admitted: dict[int, _Pending] = {}
        bar = _progress(progress)
        task = bar.add_task("ingest", total=None, status="") if bar is not None else None

        def admit(doc: Document) -> bool:
            report.documents_seen += 1
            key, h = document_key(doc)
            if key in stored:
                report.documents_unchanged += 1
                if bar is not None:
                    bar.update(task, advance=1, status=f"unchanged {doc.doc_id}")
                return False
            old = by_doc_id.get(doc.doc_id)
            if old is not None:
                stored.discard(old)
            admitted[id(doc)] = _Pending(doc, [], key, h, old)
            stored.add(key)
            by_doc_id[doc.doc_id] = key
            return True

        batch: list[_Pending] = []
        batch_ids: set[str] = set()

        def flush() -> None:
            if not batch:
                return
            store_batch(con, batch, report)
            if bar is not None:
                bar.update(task, advance=len(batch), status=f"{report.mentions_added} mentions")
            batch.clear()
            batch_ids.clear()
            if on_batch is not None:
                on_batch(report)

        if bar is not None:
            bar.start()
        try:
            for doc, events in source(admit):
                p = admitted.pop(id(doc), None)
                if p is None:  # the coder handed back a new object: identify it again
                    key, h = document_key(doc)
                    p = _Pending(doc, [], key, h, None)
                p.doc, p.events = doc, list(events)
                if doc.doc_id in batch_ids:
                    flush()  # a revision of a document in this batch: store the first one first
                report.documents_updated += bool(p.replaces)
                report.documents_new += not p.replaces
                report.documents_skipped += doc.status == "skipped"
                report.documents_failed += doc.status == "failed"
                batch.append(p)
                batch_ids.add(doc.doc_id)
                if len(batch) >= commit_every:
                    flush()
            flush()
        except Exception:
            report.blocks_relinked += coref.relink_pending(con)  # what was committed stays consistent
            raise
        finally:
            if bar is not None:
                bar.stop()
        if bar is not None:
            bar.console.print(f"linking the events of {coref.pending(con)} blocks")
        report.blocks_relinked += coref.relink_pending(con)
        report.events_total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        report.mentions_total = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    report.seconds = round(time.perf_counter() - start, 3)
    log.info(
        "ingest: %d seen, %d new, %d updated, %d unchanged; %d mentions added; %d events in store",
        report.documents_seen,
        report.documents_new,
        report.documents_updated,
        report.documents_unchanged,
        report.mentions_added,
        report.events_total,
    )
    return report
