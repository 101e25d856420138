"""The event store's schema: tables, a version number and the ordered migrations that build it.

A database records the schema version it was built to in ``meta``. Opening a database applies the
migrations it has not seen yet, each in its own transaction, so an old file is upgraded in place and a
new file is built from scratch by the same steps. The tables are created from their declarations in
``kronika.store.tables``; a column added to a declaration also needs a migration that adds it to older
files (``add_columns``). ``docs/store.md`` documents every column.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from kronika.config import Settings
from kronika.schema.fields import Table
from kronika.store.tables import (
    ACTORS,
    DOC_LSH,
    DOCUMENTS,
    EVENT_MENTIONS,
    EVENTS,
    MENTIONS,
    META,
    PLACE_DETAILS,
)

log = logging.getLogger(__name__)


def _rekey_blocks(con: duckdb.DuckDBPyConnection) -> None:
    from kronika.store.coref import rekey_all

    rekey_all(con)


def _relink_all(con: duckdb.DuckDBPyConnection) -> None:
    from kronika.store.coref import relink

    con.execute("DELETE FROM event_mentions")
    con.execute("DELETE FROM events")
    relink(con, [r[0] for r in con.execute("SELECT DISTINCT block_key FROM mentions").fetchall()])


def _json(path: str, cast: str = "") -> str:
    value = f"json_extract_string(record, '$.{path}')"
    return f"TRY_CAST({value} AS {cast})" if cast else f"nullif({value}, '')"


# One row per actor-recipient pair of an event (PLOVER's "expand lists in post-processing"): an event
# with two actors and one recipient is two rows; a side with no party is one row with NULLs.
DYADS_VIEW = """
CREATE OR REPLACE VIEW dyads AS
WITH sides AS (
    -- a joint side of two parties ("Putin and Assad held a call") is their dyad, as its coreference
    -- block says, also when another report put one of the two on the other side
    SELECT e.*,
           len(coalesce(e.actor_cs, [])) = 2 AND split_part(e.block_key, '|', 3) <> ''
               AND list_has_all(e.actor_cs, coalesce(e.recipient_cs, [])) AS _joint,
           CASE WHEN _joint THEN [e.actor_cs[1]] ELSE coalesce(e.actor_cs, []) END AS _actors,
           CASE WHEN _joint THEN [e.actor_cs[2]] ELSE coalesce(e.recipient_cs, []) END AS _recipients
    FROM events e
), a AS (
    SELECT s.*, unnest(CASE WHEN len(s._actors) = 0 THEN [NULL::VARCHAR] ELSE s._actors END) AS actor
    FROM sides s
), ar AS (
    SELECT a.*,
           unnest(CASE WHEN len(a._recipients) = 0 THEN [NULL::VARCHAR] ELSE a._recipients END) AS recipient
    FROM a
)
SELECT event_id, actor,
       CASE WHEN actor LIKE '?%' THEN NULL ELSE split_part(actor, ' ', 1) END AS actor_code,
       nullif(CASE WHEN actor LIKE '?%' THEN '' ELSE split_part(actor, ' ', 2) END, '') AS actor_sector,
       recipient,
       CASE WHEN recipient LIKE '?%' THEN NULL ELSE split_part(recipient, ' ', 1) END AS recipient_code,
       nullif(CASE WHEN recipient LIKE '?%' THEN '' ELSE split_part(recipient, ' ', 2) END, '')
           AS recipient_sector,
       event_type, cameo, quad_code, event_scale, date, date_precision, date_lo AS date_start,
       date_hi AS date_end, modality, confidence, mode, place, place_country, n_mentions, n_sources,
       first_report
FROM ar
"""

# The sources of each event: the documents of its mentions, with where and when they were published
# and the time they were added to the store.
EVENT_SOURCES_VIEW = """
CREATE OR REPLACE VIEW event_sources AS
SELECT DISTINCT em.event_id, m.doc_id, d.doc_key, d.url, d.publisher, d.title, d.pub_date,
       d.ingested_at AS added_at
FROM event_mentions em
JOIN mentions m ON m.mention_id = em.mention_id
LEFT JOIN documents d ON d.doc_key = m.doc_key
"""


def add_columns(table: Table, *names: str) -> list[str]:
    """The statements that add declared columns to an older file's table (for a new migration)."""
    by_name = {c.name: c for c in table.columns}
    return [f"ALTER TABLE {table.name} ADD COLUMN IF NOT EXISTS {by_name[n].ddl()}" for n in names]


PLACE_COLUMNS = [name for name, *_ in PLACE_DETAILS]

# Each migration is (version it brings the database to, steps): SQL statements, or functions of the
# connection for steps SQL cannot express. Append, never edit (the tables of
# version 1 are today's declarations: columns added since come back in their own migration).
MIGRATIONS: list[tuple[int, list[str | Callable[[duckdb.DuckDBPyConnection], None]]]] = [
    (
        1,
        [
            META.ddl(),
            DOCUMENTS.ddl(),
            "CREATE INDEX IF NOT EXISTS documents_doc_id ON documents (doc_id)",
            DOC_LSH.ddl(),
            MENTIONS.ddl(),
            "CREATE INDEX IF NOT EXISTS mentions_block ON mentions (block_key)",
            "CREATE INDEX IF NOT EXISTS mentions_doc ON mentions (doc_key)",
            EVENTS.ddl(),
            "CREATE INDEX IF NOT EXISTS events_block ON events (block_key)",
            EVENT_MENTIONS.ddl(),
            "CREATE INDEX IF NOT EXISTS event_mentions_block ON event_mentions (block_key)",
            ACTORS.ddl(),
        ],
    ),
    (
        2,
        [
            # the representative sentence on the event row: timelines need no join with mentions
            *add_columns(EVENTS, "text"),
            """
            UPDATE events SET text = m.text FROM mentions m WHERE m.mention_id = events.representative
            """,
        ],
    ),
    (
        3,
        [
            # blocks keyed by country and sector family; ingest queues touched blocks, relinks once a run
            "CREATE TABLE IF NOT EXISTS relink_queue (block_key VARCHAR PRIMARY KEY)",
            _rekey_blocks,
        ],
    ),
    (
        4,
        [
            # what analysts filter on: modality, confidence, modes and the place's details, on
            # mentions (read from each record) and on events (recomputed by relinking everything)
            *add_columns(MENTIONS, *PLACE_COLUMNS, "mode"),
            f"""
            UPDATE mentions SET place_country = {_json("place.country")},
                                place_admin1 = {_json("place.admin1")},
                                place_kind = {_json("place.kind")},
                                place_lat = {_json("place.lat", "DOUBLE")},
                                place_lon = {_json("place.lon", "DOUBLE")},
                                place_geonameid = {_json("place.geonameid", "INTEGER")},
                                mode = coalesce(TRY_CAST(json_extract(record, '$.mode') AS VARCHAR[]), [])
            """,
            *add_columns(EVENTS, *PLACE_COLUMNS, "modality", "confidence", "mode"),
            _relink_all,
            DYADS_VIEW,
            EVENT_SOURCES_VIEW,
        ],
    ),
    (
        5,
        [
            # the mentions a batch adds are queued one by one: relinking starts from them, not from
            # a look over every mention of their blocks
            "CREATE TABLE IF NOT EXISTS relink_mentions (mention_id VARCHAR PRIMARY KEY, block_key VARCHAR)",
        ],
    ),
]

SCHEMA_VERSION: int = MIGRATIONS[-1][0]
VIEWS = ("dyads", "event_sources")


class StoreError(RuntimeError):
    """A problem with the event store (wrong schema version, unreadable file...)."""


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the database (0 for an empty one)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if not row:
        return 0
    try:
        return int(str(row[0]).strip())
    except ValueError:
        raise StoreError(
            f"the store's schema version {str(row[0])[:40]!r} is not a number: the file is damaged or "
            "not a Kronika event store"
        ) from None


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations the database has not seen yet; return the resulting version."""
    version = current_version(con)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this Kronika ({SCHEMA_VERSION}); "
            "upgrade Kronika to open it"
        )
    for target, statements in MIGRATIONS:
        if target <= version:
            continue
        log.info("migrating event store to schema version %d", target)
        con.execute("BEGIN TRANSACTION")
        try:
            for step in statements:
                if callable(step):
                    step(con)
                else:
                    con.execute(step)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                [str(target)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = target
    return version


def resolve_db_path(db_path: str | Path | None = None, settings: Settings | None = None) -> str:
    """The database to open: an explicit path, else ``settings.db_path`` (``$KRONIKA_DB``)."""
    if db_path is not None:
        return str(db_path)
    return str((settings or Settings()).db_path)


def connect(
    db: str | Path | duckdb.DuckDBPyConnection | None = None,
    settings: Settings | None = None,
    read_only: bool = False,
    wait: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open (or create) an event store and bring its schema up to date.

    ``db`` may be a path, ``":memory:"``, an open connection (returned as is after migrating) or
    ``None`` for the configured default. While another process holds the file's lock, opening waits
    up to ``wait`` seconds (``kronika.store.access``), then raises ``StoreBusy``.
    """
    from kronika.store.access import open_file

    if isinstance(db, duckdb.DuckDBPyConnection):
        con = db
    else:
        path = resolve_db_path(db, settings)
        if read_only and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"no event store at {path}: run `kronika ingest` first or pass --db")
        con = open_file(path, read_only=read_only and path != ":memory:", wait=wait)
    if read_only and not isinstance(db, duckdb.DuckDBPyConnection):
        try:
            _check_readable_version(con)
        except BaseException:
            con.close()
            raise
        return con
    migrate(con)
    return con


def _check_readable_version(con: duckdb.DuckDBPyConnection) -> None:
    """A store opened read-only must be of this schema version (it cannot be migrated read-only)."""
    version = current_version(con)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the event store has schema version {version}, newer than this Kronika ({SCHEMA_VERSION}); "
            "upgrade Kronika to read it"
        )
    if version != SCHEMA_VERSION:
        raise StoreError(
            f"the event store has schema version {version}, expected {SCHEMA_VERSION}; "
            "open it once for writing (e.g. `kronika ingest`) to migrate it"
        )


@contextlib.contextmanager
def open_store(
    db: str | Path | duckdb.DuckDBPyConnection | None = None,
    settings: Settings | None = None,
    read_only: bool = False,
    wait: float | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """``connect`` as a context manager: closes the connection only if it opened it."""
    con = connect(db, settings=settings, read_only=read_only, wait=wait)
    try:
        yield con
    finally:
        if con is not db:
            con.close()
