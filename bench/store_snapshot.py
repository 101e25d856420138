"""Snapshot of an event store built from the shared inputs: every table and every export, byte for byte.

A change to the store that must not change what it stores is checked by writing a snapshot before and
comparing after. Two stores are built: one by ``ingest`` from the seed articles and the real-news dev
articles (the real reader and coder), one by ``store_coded`` from the hand-coded coreference set of
``tests/store`` (every linking rule). Each table is dumped as CSV in key order with its column list
and types; each export format is written as the store writes it. ``ingested_at`` is the one value
that differs between runs: it is set to a fixed time before dumping.

    python bench/store_snapshot.py -o /tmp/store-before
    python bench/store_snapshot.py -o /tmp/store-after --compare /tmp/store-before
"""

from __future__ import annotations

import argparse
import filecmp
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").is_dir() else Path("/work/shared")
TABLES = {
    "documents": "doc_key",
    "doc_lsh": "band, bucket, doc_key",
    "mentions": "mention_id",
    "events": "event_id",
    "event_mentions": "event_id, mention_id",
    "actors": "actor_key",
    "meta": "key",
}
TABLE_EXPORTS = ("events", "mentions", "documents", "actors", "event_mentions")


def build_ingested(db: Path) -> None:
    from kronika.store.ingest import ingest

    ingest([SHARED / "data" / "seeds", SHARED / "data" / "realnews" / "dev" / "docs.jsonl"], db)


def build_hand_coded(db: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "store"))
    from store_factory import coref_set_hand_coded

    from kronika.store.ingest import store_coded

    store_coded(coref_set_hand_coded()[0], db)


def dump(db: Path, out: Path) -> None:
    """Every table as CSV (with its schema) and every export format, under ``out``."""
    from kronika.store.export import FORMATS, export

    con = duckdb.connect(str(db))
    con.execute("UPDATE documents SET ingested_at = TIMESTAMP '2000-01-01 00:00:00'")
    for table, order in TABLES.items():
        schema = con.execute(f"DESCRIBE {table}").fetchall()
        (out / f"{table}.schema").write_text("\n".join(map(repr, schema)) + "\n")
        con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{out / table}.csv' (HEADER true)")
    con.close()
    for fmt in FORMATS:
        tables = TABLE_EXPORTS if fmt in ("csv", "parquet") else [""]
        for table in tables:
            name = f"export-{fmt}{'-' + table if table else ''}"
            export(db, fmt, out / name, **({"table": table} if table else {}))


def snapshot(out: Path) -> None:
    for name, build in (("ingested", build_ingested), ("hand_coded", build_hand_coded)):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "store.duckdb"
        db.unlink(missing_ok=True)
        build(db)
        dump(db, folder)
        db.unlink()


def compare(a: Path, b: Path) -> list[str]:
    """The files that differ or exist on one side only."""
    problems: list[str] = []
    for folder in sorted(p for p in a.iterdir() if p.is_dir()):
        other = b / folder.name
        names = sorted({p.name for p in folder.iterdir()} | {p.name for p in other.iterdir()})
        for n in names:
            x, y = folder / n, other / n
            if not (x.exists() and y.exists()):
                problems.append(f"{folder.name}/{n}: only on one side")
            elif not filecmp.cmp(x, y, shallow=False):
                problems.append(f"{folder.name}/{n}: differs")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, required=True, help="folder to write the snapshot to")
    ap.add_argument("--compare", type=Path, help="an earlier snapshot folder to compare with")
    args = ap.parse_args()
    snapshot(args.out)
    if args.compare is None:
        return 0
    problems = compare(args.compare, args.out)
    print("\n".join(problems) if problems else "identical")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
