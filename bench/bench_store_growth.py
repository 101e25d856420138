"""Store linking against store size: the time to add 100 articles to stores of growing size.

Each store is filled with synthetic mentions in SQL (``--sizes``, mentions; a quarter of them partial,
with one side only, as the coder leaves many), linked once (``coref.relink`` over every block, timed as
"fill relink"), then the same coded articles (template articles from ``bench_store``, coded once in
this process) are added with ``store_coded``, which stores them and relinks the blocks they touch.
The time of that add is the figure: flat when linking touches only what the new mentions can join.

    python bench/bench_store_growth.py --sizes 5000 42000 188000 370000 --articles 100
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import duckdb
from bench_store import generate_articles

COUNTRIES = ["RUS", "SYR", "USA", "TUR", "IRN", "DEU", "FRA", "ISR", "GBR", "CHN", "IRQ", "EGY"]
TYPES = ["CONSULT", "ASSAULT", "ACCUSE", "REQUEST", "AGREE", "COOPERATE", "THREATEN", "SUPPORT"]


def _blocks(con: duckdb.DuckDBPyConnection) -> None:
    """The table of block keys of every (type, actor, recipient) the generator can draw."""
    from kronika.store.coref import block_key, group_side

    rows = []
    for t in TYPES:
        for a in COUNTRIES:
            for b in [*COUNTRIES, ""]:
                if a == b:
                    continue
                r = [f"{b} GOV"] if b else []
                rows.append((t, a, b, block_key(t, group_side([f"{a} GOV"]), group_side(r))))
    con.execute("CREATE TEMP TABLE gen_blocks (t VARCHAR, a VARCHAR, b VARCHAR, k VARCHAR)")
    con.executemany("INSERT INTO gen_blocks VALUES (?, ?, ?, ?)", rows)


def fill(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """``n`` synthetic mentions (about three per real event, four per document), a quarter partial."""
    _blocks(con)
    nc = len(COUNTRIES)
    con.execute(
        f"""
        CREATE TEMP TABLE gen AS
        SELECT i,
               {TYPES}[1 + CAST(hash(i // 3, 3) % {len(TYPES)} AS BIGINT)] AS t,
               {COUNTRIES}[1 + CAST(hash(i // 3, 1) % {nc} AS BIGINT)] AS a,
               CASE WHEN hash(i, 9) % 4 = 0 THEN ''
                    ELSE {COUNTRIES}[1 + CAST(hash(i // 3, 2) % {nc} AS BIGINT)] END AS b,
               DATE '2010-01-01' + CAST(hash(i // 3, 4) % 5000 AS INTEGER) AS d
        FROM range({n}) r(i)
        """
    )
    con.execute("DELETE FROM gen WHERE a = b")
    con.execute(
        """
        INSERT INTO documents (doc_key, doc_id, content_hash, status, pub_date)
        SELECT DISTINCT 'gdoc' || (i // 4), 'gdoc' || (i // 4), 'h' || (i // 4), 'ok', NULL::DATE FROM gen
        """
    )
    con.execute(
        """
        INSERT INTO mentions (mention_id, doc_key, doc_id, block_key, event_type, cameo, quad_code,
            event_scale, actor_code, actor_sector, actor_codes, actor_cs, actor_names,
            recipient_code, recipient_sector, recipient_codes, recipient_cs, recipient_names,
            date, date_precision, date_lo, date_hi, pub_date, confidence, text)
        SELECT 'KG-' || i, 'gdoc' || (i // 4), 'gdoc' || (i // 4), k.k, g.t, '040', 1, 1.0,
               g.a, 'GOV', [g.a], [g.a || ' GOV'], [],
               nullif(g.b, ''), CASE WHEN g.b = '' THEN NULL ELSE 'GOV' END,
               CASE WHEN g.b = '' THEN [] ELSE [g.b] END,
               CASE WHEN g.b = '' THEN [] ELSE [g.b || ' GOV'] END, [],
               strftime(g.d, '%Y-%m-%d'), 'day', g.d, g.d, g.d + 1, 0.7, 'generated mention ' || i
        FROM gen g JOIN gen_blocks k ON k.t = g.t AND k.a = g.a AND k.b = g.b
        """
    )


def _coded(n: int) -> list:
    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    with tempfile.TemporaryDirectory() as tmp:
        generate_articles(n, Path(tmp), seed=11)
        return list(code_documents(read_inputs([Path(tmp)])))


def measure(size: int, pairs: list) -> dict:
    from kronika.store import coref
    from kronika.store.ingest import store_coded
    from kronika.store.schema import connect

    with tempfile.TemporaryDirectory() as tmp:
        con = connect(str(Path(tmp) / "growth.duckdb"))
        fill(con, size)
        keys = [r[0] for r in con.execute("SELECT DISTINCT block_key FROM mentions").fetchall()]
        t0 = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        coref.relink(con, keys)
        con.execute("COMMIT")
        fill_relink = time.perf_counter() - t0
        mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        t0 = time.perf_counter()
        report = store_coded(pairs, con)
        add = time.perf_counter() - t0
        con.close()
    return {
        "store_mentions": mentions,
        "fill_relink_s": round(fill_relink, 2),
        "add_articles": len(pairs),
        "add_mentions": report.mentions_added,
        "add_s": round(add, 3),
        "blocks_relinked": report.blocks_relinked,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 42_000, 188_000, 370_000])
    ap.add_argument("--articles", type=int, default=100)
    args = ap.parse_args()
    pairs = _coded(args.articles)
    measure(1000, pairs)  # warm-up: first uses of the libraries are not the store's time
    for size in args.sizes:
        print(json.dumps(measure(size, pairs)), flush=True)


if __name__ == "__main__":
    main()
