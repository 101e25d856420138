"""Snapshot of every record the coder writes for the shared inputs, and a byte-for-byte comparison.

A refactoring that must not change behaviour is checked by writing a snapshot before and comparing
after. The inputs come from ../shared at run time (nothing of them is kept in the repository): the
seed articles, every PLOVER GSR dev sentence coded on its own (as ``kronika eval`` does), the distinct
articles of ``bench/bench_code.py`` and the real-news dev articles.

    python bench/records_snapshot.py -o /tmp/before.jsonl
    python bench/records_snapshot.py --compare /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from kronika.document import Document
from kronika.pipeline import code_documents
from kronika.read import read_inputs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_code import SHARED, corpus  # noqa: E402


def inputs() -> Iterator[tuple[str, Document]]:
    """Every input document, tagged with the set it comes from."""
    for d in read_inputs([SHARED / "data" / "seeds"]):
        yield "seeds", d
    gold = SHARED / "data" / "plover" / "plover_gsr_dev.json"
    if gold.is_file():
        texts = sorted({r["text"] for r in json.loads(gold.read_text()) if r.get("text")})
        for i, text in enumerate(texts):
            yield "gsr", Document(doc_id=f"gsr-{i}", text=text, pub_date=dt.date(2000, 1, 1))
    seen: set[str] = set()
    for d in corpus(400):
        if d.text not in seen:
            seen.add(d.text)
            yield "bench", d
    real = SHARED / "data" / "realnews" / "dev" / "docs.jsonl"
    if real.is_file():
        for d in read_inputs([real]):
            yield "realnews", d


def snapshot() -> Iterator[str]:
    tagged = list(inputs())
    docs = [d for _, d in tagged]
    for (tag, _), (document, events) in zip(tagged, code_documents(docs), strict=True):
        status = {"set": tag, "doc_id": document.doc_id, "status": document.status}
        yield json.dumps(status, sort_keys=True, ensure_ascii=False)
        for e in events:
            yield json.dumps({"set": tag, **e.to_dict()}, sort_keys=True, ensure_ascii=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, help="write the snapshot here")
    ap.add_argument("--compare", type=Path, help="compare with this earlier snapshot")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print("../shared is missing: nothing to snapshot", file=sys.stderr)
        return 2
    lines = list(snapshot())
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} lines written to {args.out}")
    if args.compare:
        before = args.compare.read_text(encoding="utf-8").splitlines()
        if before == lines:
            print(f"identical: {len(lines)} lines")
            return 0
        gone = [x for x in before if x not in set(lines)]
        new = [x for x in lines if x not in set(before)]
        print(f"DIFFERENT: {len(before)} lines before, {len(lines)} now; {len(gone)} gone, {len(new)} new")
        for x in gone[:10]:
            print("-", x[:300])
        for x in new[:10]:
            print("+", x[:300])
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
