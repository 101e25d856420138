"""Ingest: read, code and store documents into the event store, idempotently and resumably.

A document is stored under ``doc_key`` = its ``doc_id`` plus a hash of its normalised text. A document
whose key is already stored is skipped before coding (unchanged); one whose ``doc_id`` is stored under
another key is a revision and replaces the old version. Documents are committed in batches: each batch's
documents, mentions, actors and the blocks it touched (queued for relinking) go in one transaction, so
a run stopped at any point leaves whole batches, and running it again skips what was committed. The
queued blocks are relinked once, in one transaction, when the run ends (or when the next run starts,
if one was stopped first).

A run holds the store file open only while it commits: reading and coding happen with the file
closed, so ``kronika serve`` (which opens it read-only per request) answers beside an ingest, and an
ingest started while the server answers waits for the readers' short holds (``kronika.store.access``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import duckdb
import pyarrow as pa

from kronika.config import Settings
from kronika.document import Document
from kronika.records import Entity, Event
from kronika.store import coref, dedup
from kronika.store.bulk import insert_arrow, insert_rows
from kronika.store.schema import open_store
from kronika.store.tables import DOCUMENTS, MENTIONS, DocumentSource, mention_row

__all__ = [
    "DEFAULT_COMMIT_EVERY",
    "IngestReport",
    "OnProgress",
    "content_hash",
    "document_key",
    "ingest",
    "mention_row",
    "normalise_text",
    "store_batch",
    "store_coded",
]

log = logging.getLogger(__name__)

DEFAULT_COMMIT_EVERY = 100
# Documents are looked up in the store this many at a time, and no more text than ``LOOKUP_CHARS`` at
# once: a run reads the stored keys of the documents it sees, not every key in the store.
LOOKUP_DOCS = 64
LOOKUP_CHARS = 8_000_000

Reader = Callable[..., Iterable[Document]]
Coder = Callable[..., Iterable[tuple[Document, list[Event]]]]
# Called as documents are done: (documents done, total if known, what is happening).
OnProgress = Callable[[int, int | None, str], None]


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
    return hashlib.sha1(normalise_text(text).encode("utf-8", "surrogatepass")).hexdigest()


def document_key(doc: Document) -> tuple[str, str]:
    """``(doc_key, content_hash)``: the document id plus a hash of its normalised text."""
    h = content_hash(doc.text)
    return f"{doc.doc_id}#{h[:12]}", h


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


def _drop_replaced(con: duckdb.DuckDBPyConnection, batch: Sequence[_Pending]) -> set[str]:
    """Delete the stored older versions of the batch's revisions; return the blocks they were in."""
    replaced = [p.replaces for p in batch if p.replaces]
    if not replaced:
        return set()
    con.register("_replaced", pa.table({"doc_key": pa.array(replaced, pa.string())}))
    blocks = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT block_key FROM mentions WHERE doc_key IN (SELECT doc_key FROM _replaced)"
        ).fetchall()
    }
    for table in ("mentions", "doc_lsh", "documents"):
        con.execute(f"DELETE FROM {table} WHERE doc_key IN (SELECT doc_key FROM _replaced)")
    con.unregister("_replaced")
    return blocks


@dataclass
class _Rows:
    """The rows of one batch, gathered before they are written."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    entities: list[tuple[Entity, ...]] = field(default_factory=list)
    mention_ids: set[str] = field(default_factory=set)


def _batch_rows(
    batch: Sequence[_Pending], fps: Sequence[dedup.Fingerprinted], dups: dict[str, str]
) -> _Rows:
    """Document and mention rows of a batch (a mention repeated in the batch is kept once)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = _Rows()
    for p, fp in zip(batch, fps, strict=True):
        n = 0
        for ev in p.events:
            row = mention_row(ev, p.doc_key, p.doc.pub_date)
            if row["mention_id"] in rows.mention_ids:
                continue
            rows.mention_ids.add(row["mention_id"])
            rows.mentions.append(row)
            rows.entities.append((*ev.actor, *ev.recipient))
            n += 1
        minhash = [int(v) for v in fp.minhash.hashvalues] if fp.minhash is not None else None
        source = DocumentSource(p.doc, p.doc_key, p.content_hash, minhash, dups.get(p.doc_key), n, now)
        rows.documents.append(DOCUMENTS.row(source))
    return rows


def _write_rows(con: duckdb.DuckDBPyConnection, rows: _Rows, fps: Sequence[dedup.Fingerprinted]) -> None:
    """Insert a batch's documents, LSH buckets, mentions and actors."""
    insert_rows(con, "documents", rows.documents, DOCUMENTS.arrow())
    insert_arrow(con, "doc_lsh", dedup.lsh_rows(fps))
    if rows.mentions:
        # a mention id can only exist under another doc_key if two inputs share a doc_id and text
        con.register("_ids", pa.table({"mention_id": pa.array(sorted(rows.mention_ids), pa.string())}))
        con.execute("DELETE FROM mentions WHERE mention_id IN (SELECT mention_id FROM _ids)")
        con.unregister("_ids")
    insert_rows(con, "mentions", rows.mentions, MENTIONS.arrow())
    actors = _actor_rows(rows.entities)
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


def store_batch(con: duckdb.DuckDBPyConnection, batch: Sequence[_Pending], report: IngestReport) -> None:
    """Store one batch of coded documents and queue the blocks it touches, in one transaction."""
    if not batch:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        touched = _drop_replaced(con, batch)
        fps = [
            dedup.Fingerprinted(p.doc_key, dedup.fingerprint(p.doc.text) if p.doc.ok else None) for p in batch
        ]
        dups = dedup.find_near_duplicates(con, fps)
        report.near_duplicates += len(dups)
        rows = _batch_rows(batch, fps, dups)
        _write_rows(con, rows, fps)
        coref.enqueue(con, touched)  # the blocks of replaced documents: looked at whole
        coref.enqueue_mentions(con, ((r["mention_id"], r["block_key"]) for r in rows.mentions))
        touched.update(r["block_key"] for r in rows.mentions)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    report.batches += 1
    report.mentions_added += len(rows.mentions)
    log.info("committed %d documents, %d mentions, %d blocks", len(batch), len(rows.mentions), len(touched))


# --------------------------------------------------------------------------- runs


def _default_reader() -> Reader:
    from kronika.read import read_inputs

    return read_inputs


def _default_coder() -> Coder:
    from kronika.pipeline import code_documents

    return code_documents


def store_coded(
    pairs: Iterable[tuple[Document, list[Event]]],
    db: str | Path | duckdb.DuckDBPyConnection | None = None,
    settings: Settings | None = None,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    on_progress: OnProgress | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    exclusive: bool = False,
) -> IngestReport:
    """Store documents that are already coded (hand-built records, ``kronika code`` output...).

    Same rules as ``ingest``: unchanged documents are skipped, revisions replace, batches commit.
    """
    return _Run(db, settings, commit_every, on_progress, on_batch, exclusive).run(
        lambda gate: gate(pairs, _first)
    )


def _first(pair: tuple[Document, list[Event]]) -> Document:
    return pair[0]


def _itself(doc: Document) -> Document:
    return doc


def ingest(
    inputs: Iterable[str | Path] | str | Path,
    db_path: str | Path | duckdb.DuckDBPyConnection | None = None,
    settings: Settings | None = None,
    on_progress: OnProgress | None = None,
    commit_every: int = DEFAULT_COMMIT_EVERY,
    reader: Reader | None = None,
    coder: Coder | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
    exclusive: bool = False,
) -> IngestReport:
    """Read, code and store ``inputs`` (files, folders, archives...) into the event store.

    Idempotent: unchanged documents are skipped before coding. ``commit_every`` documents are committed
    per transaction. ``reader`` and ``coder`` default to ``kronika.read.read_inputs`` and
    ``kronika.pipeline.code_documents``; ``on_batch`` is called after each commit, ``on_progress``
    (documents done, total or ``None``, status) as documents are skipped or committed and when the
    run starts linking. The store file is opened for each commit and closed while documents are read
    and coded, so other processes can read it in between; ``exclusive`` keeps it open for the whole
    run instead (a little faster for bulk loads with no server beside them).
    """
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    paths = list(inputs)
    settings = settings or Settings()
    read = reader or _default_reader()
    code = coder or _default_coder()
    return _Run(db_path, settings, commit_every, on_progress, on_batch, exclusive).run(
        lambda gate: code(gate(read(paths, settings=settings), _itself), settings=settings)
    )


T = TypeVar("T")


class Gate(Protocol):
    """Passes on the items whose document is to be coded and stored."""

    def __call__(self, items: Iterable[T], doc_of: Callable[[T], Document]) -> Iterator[T]: ...


Source = Callable[[Gate], Iterable[tuple[Document, list[Event]]]]

# The stored keys of some documents.
_STORED_KEYS = (
    "SELECT doc_key, doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY rowid"
)


def _chunks(items: Iterable[T], doc_of: Callable[[T], Document]) -> Iterator[list[T]]:
    """The items in chunks of at most ``LOOKUP_DOCS``, and of ``LOOKUP_CHARS`` of text (or one item).
    When the items fail, those read before the failure are passed on first."""
    chunk: list[T] = []
    chars = 0
    try:
        for item in items:
            chunk.append(item)
            chars += len(doc_of(item).text)
            if len(chunk) >= LOOKUP_DOCS or chars >= LOOKUP_CHARS:
                yield chunk
                chunk, chars = [], 0
    except Exception:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


class _Run:
    """One ingest run: admits documents against what is stored, batches and commits them, relinks."""

    def __init__(
        self,
        db: str | Path | duckdb.DuckDBPyConnection | None,
        settings: Settings | None,
        commit_every: int,
        on_progress: OnProgress | None,
        on_batch: Callable[[IngestReport], None] | None,
        exclusive: bool = False,
    ) -> None:
        if commit_every < 1:
            raise ValueError("commit_every must be at least 1")
        self.db = db
        self.settings = settings or Settings()
        self.commit_every = commit_every
        self.on_progress = on_progress
        self.on_batch = on_batch
        self.report = IngestReport()
        if isinstance(db, duckdb.DuckDBPyConnection):
            self.report.db_path = "<connection>"
        else:
            self.report.db_path = str(db if db is not None else self.settings.db_path)
        # the keys stored or admitted of the documents seen, and the current key of each doc_id
        self.stored: set[str] = set()
        self.by_doc_id: dict[str, str] = {}
        self.looked_up: set[str] = set()
        self.admitted: dict[int, _Pending] = {}
        self.batch: list[_Pending] = []
        self.batch_ids: set[str] = set()
        self.done = 0
        self.con: duckdb.DuckDBPyConnection | None = None
        self.exclusive = exclusive

    def progress(self, advance: int, status: str) -> None:
        self.done += advance
        if self.on_progress is not None:
            self.on_progress(self.done, None, status)

    def gate(self, items: Iterable[T], doc_of: Callable[[T], Document]) -> Iterator[T]:
        """The items whose document is to be coded and stored (``admit``), looked up in the store a
        chunk at a time."""
        for chunk in _chunks(items, doc_of):
            self.look_up([doc_of(x).doc_id for x in chunk])
            yield from (x for x in chunk if self.admit(doc_of(x)))

    def look_up(self, doc_ids: Sequence[str]) -> None:
        """Learn the stored keys of these documents, unless this run has seen them already."""
        new = sorted(set(doc_ids) - self.looked_up)
        if not new:
            return
        self.looked_up.update(new)
        with self.store() as con:
            rows = con.execute(_STORED_KEYS, [new]).fetchall()
        for key, doc_id in rows:
            self.stored.add(key)
            self.by_doc_id[doc_id] = key

    def admit(self, doc: Document) -> bool:
        """Whether to code and store a document: not if it is stored unchanged."""
        self.report.documents_seen += 1
        key, h = document_key(doc)
        if key in self.stored:
            self.report.documents_unchanged += 1
            self.progress(1, f"unchanged {doc.doc_id}")
            return False
        old = self.by_doc_id.get(doc.doc_id)
        if old is not None:
            self.stored.discard(old)
        self.admitted[id(doc)] = _Pending(doc, [], key, h, old)
        self.stored.add(key)
        self.by_doc_id[doc.doc_id] = key
        return True

    @contextlib.contextmanager
    def store(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The store, open for one step: a file is opened and closed again (other processes may open
        it in between); a given connection or an in-memory store stays open for the whole run."""
        if self.con is not None:
            yield self.con
            return
        with open_store(self.db, settings=self.settings) as con:
            yield con

    def flush(self) -> None:
        if not self.batch:
            return
        with self.store() as con:
            store_batch(con, self.batch, self.report)
        self.progress(len(self.batch), f"{self.report.mentions_added} mentions")
        self.batch.clear()
        self.batch_ids.clear()
        if self.on_batch is not None:
            self.on_batch(self.report)

    def add(self, doc: Document, events: Iterable[Event]) -> None:
        """Queue one coded document in the batch, committing the batch when it is full."""
        report = self.report
        p = self.admitted.pop(id(doc), None)
        if p is None:  # the coder handed back a new object: identify it again
            key, h = document_key(doc)
            p = _Pending(doc, [], key, h, None)
        p.doc, p.events = doc, list(events)
        if doc.doc_id in self.batch_ids:
            self.flush()  # a revision of a document in this batch: store the first one first
        report.documents_updated += bool(p.replaces)
        report.documents_new += not p.replaces
        report.documents_skipped += doc.status == "skipped"
        report.documents_failed += doc.status == "failed"
        self.batch.append(p)
        self.batch_ids.add(doc.doc_id)
        if len(self.batch) >= self.commit_every:
            self.flush()

    def run(self, source: Source) -> IngestReport:
        report = self.report
        start = time.perf_counter()
        with contextlib.ExitStack() as stack:
            if self.exclusive or isinstance(self.db, duckdb.DuckDBPyConnection) or str(self.db) == ":memory:":
                self.con = stack.enter_context(open_store(self.db, settings=self.settings))
            self._start()
            try:
                for doc, events in source(self.gate):
                    self.add(doc, events)
                self.flush()
            except Exception:
                with self.store() as con:  # what was committed stays consistent
                    report.blocks_relinked += coref.relink_pending(con)
                raise
            self._finish()
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

    def _start(self) -> None:
        """Relink what a stopped run left queued."""
        with self.store() as con:
            self.report.blocks_relinked += coref.relink_pending(con)

    def _finish(self) -> None:
        """Relink the blocks the run touched; count the store."""
        report = self.report
        with self.store() as con:
            self.progress(0, f"linking the events of {coref.pending(con)} blocks")
            report.blocks_relinked += coref.relink_pending(con)
            report.events_total = _count(con, "events")
            report.mentions_total = _count(con, "mentions")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
