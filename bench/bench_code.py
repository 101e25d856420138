"""Coding speed: articles per second for ``code_documents`` against plain ``nlp.pipe`` on the same texts.

The articles come from ../shared at run time: the five seed articles and news sentences from the
gold-standard and test files grouped five to an article, repeated until there are ``--articles`` of them.
Both timings run in the same process, one after the other, after a warm-up.

    python bench/bench_code.py --articles 300
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from kronika.document import Document
from kronika.nlp import load_nlp
from kronika.pipeline import code_documents, get_coder
from kronika.read import read_inputs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def corpus(n: int) -> list[Document]:
    seeds = [d for d in read_inputs([SHARED / "data" / "seeds"]) if d.ok]
    sentences: list[str] = []
    gold = SHARED / "data" / "plover" / "plover_gsr_dev.json"
    if gold.is_file():
        sentences += [r["text"] for r in json.loads(gold.read_text()) if r.get("text")]
    for name in ("GigaWord.sample.PETR.xml", "PETR.UnitTest.records.xml"):
        path = SHARED / "petrarch" / name
        if path.is_file():
            sentences += [
                " ".join(t.split()) for t in re.findall(r"<Text>(.*?)</Text>", path.read_text(), re.S)
            ]
    articles = [d.text for d in seeds]
    articles += [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    docs = []
    for i in range(n):
        docs.append(Document(doc_id=f"bench-{i}", text=articles[i % len(articles)], pub_date=None))
    return docs


def spacy_seconds(nlp, texts: list[str], batch_size: int) -> float:
    """Seconds plain ``nlp.pipe`` takes over ``texts``: the reference every coding figure is a ratio to."""
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    docs = corpus(args.articles)
    texts = [d.text for d in docs]
    nlp = load_nlp()
    get_coder()
    list(code_documents(docs[:10]))  # warm-up: model, knowledge base, lexicon

    spacy_s = spacy_seconds(nlp, texts, args.batch_size)

    t0 = time.perf_counter()
    n_events = sum(len(ev) for _, ev in code_documents(docs))
    kronika_s = time.perf_counter() - t0

    n_chars = sum(len(t) for t in texts)
    result = {
        "articles": len(docs),
        "characters": n_chars,
        "events": n_events,
        "spacy_articles_per_s": round(len(docs) / spacy_s, 1),
        "kronika_articles_per_s": round(len(docs) / kronika_s, 1),
        "ratio_kronika_to_spacy_time": round(kronika_s / spacy_s, 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
