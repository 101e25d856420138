"""Store linking against store size: the time to add 100 articles to stores of growing size.

Each store is filled with synthetic mentions in SQL (``--sizes``, mentions; a quarter of them partial,
with one side only, as the coder leaves many), linked once (``coref.relink`` over every block, timed as
"fill relink") and closed; then the same coded articles (template articles from ``bench_store``, coded
once in this process) are added with ``store_coded`` to the store opened again, as a later ingest run
finds it, which stores them and relinks what the new mentions reach. The time of that add is the
figure: flat when linking touches only what the new mentions can join. ``--stores DIR`` keeps the
filled stores there and starts from a copy of them when they exist (filling 370k mentions and linking
them takes minutes).

    python bench/bench_store_growth.py --sizes 5000 42000 188000 370000 --articles 100

One JSON line per add; the last line gives the medians per size over the ``--rounds`` and the growth
from the smallest store to the biggest (wall and CPU).

``--run N`` measures instead the relink that ends one ingest run of N articles into an empty store:
N articles' worth of synthetic mentions (3.8 per article, as the coder gives on real news) stored
unlinked and queued as a run queues them, then ``relink_pending`` timed.

    python bench/bench_store_growth.py --run 20000
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
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


def _filled(path: Path, size: int) -> float:
    """Fill and link a store of ``size`` mentions at ``path``; the seconds the linking took."""
    from kronika.store import coref
    from kronika.store.schema import connect

    con = connect(str(path))
    fill(con, size)
    keys = [r[0] for r in con.execute("SELECT DISTINCT block_key FROM mentions").fetchall()]
    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    coref.relink(con, keys)
    con.execute("COMMIT")
    seconds = time.perf_counter() - t0
    con.close()
    return seconds


def measure(size: int, pairs: list, stores: Path | None = None) -> dict:
    from kronika.store.ingest import store_coded
    from kronika.store.schema import connect

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "growth.duckdb"
        kept = stores / f"growth-{size}.duckdb" if stores is not None else None
        fill_relink: float | None = None
        if kept is not None and kept.is_file():
            shutil.copyfile(kept, path)
        else:
            fill_relink = round(_filled(path, size), 2)
            if kept is not None:
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, kept)
        con = connect(str(path))
        mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        report = store_coded(pairs, con)
        add, cpu = time.perf_counter() - t0, time.process_time() - c0
        con.close()
    return {
        "store_mentions": mentions,
        "fill_relink_s": fill_relink,
        "add_articles": len(pairs),
        "add_mentions": report.mentions_added,
        "add_s": round(add, 3),
        "add_cpu_s": round(cpu, 3),  # every thread of the process: steadier than wall time under load
        "blocks_relinked": report.blocks_relinked,
    }


MENTIONS_PER_ARTICLE = 3.8


def run_relink(articles: int) -> dict:
    """The relink at the end of one run of ``articles`` articles into an empty store."""
    from kronika.store import coref
    from kronika.store.schema import connect

    with tempfile.TemporaryDirectory() as tmp:
        con = connect(str(Path(tmp) / "run.duckdb"))
        fill(con, int(articles * MENTIONS_PER_ARTICLE))
        rows = con.execute("SELECT mention_id, block_key FROM mentions").fetchall()
        con.execute("BEGIN TRANSACTION")
        coref.enqueue_mentions(con, rows)
        con.execute("COMMIT")
        t0, c0 = time.perf_counter(), time.process_time()
        blocks = coref.relink_pending(con)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        con.close()
    return {
        "run_articles": articles,
        "mentions": len(rows),
        "blocks": blocks,
        "events": events,
        "relink_s": round(seconds, 2),
        "relink_cpu_s": round(cpu, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 42_000, 188_000, 370_000])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--stores", type=Path, help="keep the filled stores here and reuse them")
    ap.add_argument("--rounds", type=int, default=1, help="measure every size this many times, in turn")
    ap.add_argument("--run", type=int, help="time the relink ending one run of this many articles instead")
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run_relink(args.run)), flush=True)
        return
    pairs = _coded(args.articles)
    measure(1000, pairs)  # warm-up: first uses of the libraries are not the store's time
    results = []
    for _ in range(args.rounds):
        for size in args.sizes:
            results.append(measure(size, pairs, args.stores))
            print(json.dumps(results[-1]), flush=True)
    print(json.dumps(summary(results)), flush=True)


def summary(results: list[dict]) -> dict:
    """Median wall and CPU seconds of an add per store size, and their ratio from the smallest store
    to the biggest."""
    by_size: dict[int, list[dict]] = {}
    for r in results:
        by_size.setdefault(r["store_mentions"], []).append(r)
    medians = {
        size: {k: statistics.median(r[k] for r in rs) for k in ("add_s", "add_cpu_s")}
        for size, rs in sorted(by_size.items())
    }
    first, last = medians[min(medians)], medians[max(medians)]
    return {
        "samples": {size: len(rs) for size, rs in sorted(by_size.items())},
        "median_add_s": {size: round(m["add_s"], 3) for size, m in medians.items()},
        "median_add_cpu_s": {size: round(m["add_cpu_s"], 3) for size, m in medians.items()},
        "growth_wall": round(last["add_s"] / first["add_s"], 2),
        "growth_cpu": round(last["add_cpu_s"] / first["add_cpu_s"], 2),
    }


if __name__ == "__main__":
    main()
