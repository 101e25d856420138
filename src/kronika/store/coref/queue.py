"""The relink queue: ingest queues the mentions a batch adds (and the blocks of documents it replaces),
in the batch's transaction, and the queue is relinked once per run, so a run costs one pass over what
it touched. A queued mention is relinked from itself (its component), a queued block by looking at all
of its mentions for the unlinked ones and the events that lost one."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pyarrow as pa

from kronika.store.coref.keys import block_key, group_side
from kronika.store.coref.sql import keys_table, relink

_QUEUE = "relink_queue"
_MENTIONS = "relink_mentions"


def enqueue(con: duckdb.DuckDBPyConnection, blocks: Iterable[str]) -> int:
    """Mark blocks for relinking (inside the caller's transaction); return how many were given."""
    keys = sorted(set(blocks))
    if keys:
        con.register("_enqueue", keys_table(keys))
        try:
            con.execute(f"INSERT INTO {_QUEUE} SELECT block_key FROM _enqueue ON CONFLICT DO NOTHING")
        finally:
            con.unregister("_enqueue")
    return len(keys)


def enqueue_mentions(con: duckdb.DuckDBPyConnection, mentions: Iterable[tuple[str, str]]) -> int:
    """Mark new mentions, (mention id, block key), for relinking (inside the caller's transaction)."""
    rows = sorted(set(mentions))
    if rows:
        con.register(
            "_enqueue",
            pa.table(
                {
                    "mention_id": pa.array([r[0] for r in rows], pa.string()),
                    "block_key": pa.array([r[1] for r in rows], pa.string()),
                }
            ),
        )
        try:
            con.execute(
                f"INSERT INTO {_MENTIONS} SELECT mention_id, block_key FROM _enqueue ON CONFLICT DO NOTHING"
            )
        finally:
            con.unregister("_enqueue")
    return len(rows)


def pending(con: duckdb.DuckDBPyConnection) -> int:
    """Blocks waiting to be relinked (queued as blocks or through their new mentions)."""
    row = con.execute(
        f"SELECT count(*) FROM (SELECT block_key FROM {_QUEUE} UNION SELECT block_key FROM {_MENTIONS})"
    ).fetchone()
    return int(row[0]) if row else 0


def relink_pending(con: duckdb.DuckDBPyConnection) -> int:
    """Relink every queued block and mention and empty the queues, in one transaction; return the
    blocks relinked."""
    keys = [r[0] for r in con.execute(f"SELECT block_key FROM {_QUEUE} ORDER BY 1").fetchall()]
    new = con.execute(f"SELECT mention_id, block_key FROM {_MENTIONS} ORDER BY 1").fetchall()
    if not keys and not new:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        relink(con, keys, [(r[0], r[1]) for r in new])
        con.execute(f"DELETE FROM {_QUEUE}")
        con.execute(f"DELETE FROM {_MENTIONS}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(set(keys) | {r[1] for r in new})


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
