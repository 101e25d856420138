"""Bulk writes: rows gathered as dicts become one Arrow table and one ``INSERT ... SELECT``.

Every table the store writes in batches (documents, mentions, events, their links) goes through these
two helpers, so row-to-column conversion and the register/insert/unregister dance live in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa


def arrow_table(rows: Sequence[dict[str, Any]], columns: dict[str, pa.DataType]) -> pa.Table:
    """The rows as an Arrow table with exactly ``columns`` (name → type), in that order."""
    return pa.table({c: pa.array([row[c] for row in rows], t) for c, t in columns.items()})


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> int:
    """Append an Arrow table to ``table`` (columns matched by name); return the rows inserted."""
    if data.num_rows == 0:
        return 0
    name = f"_bulk_{table}"
    con.register(name, data)
    try:
        cols = ", ".join(data.column_names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)
    return data.num_rows


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[dict[str, Any]],
    columns: dict[str, pa.DataType],
) -> int:
    """Append dict rows to ``table`` in one statement; return the rows inserted."""
    if not rows:
        return 0
    return insert_arrow(con, table, arrow_table(rows, columns))
