"""Scale-out speed: articles per second coded in one process and on a local Dask cluster, same articles.

The articles are those of ``bench_code.py`` (seed articles and gold-standard sentences from ../shared).
In the same run, after a warm-up of each: plain ``nlp.pipe`` (the reference of the README's coding
speed), ``code_documents`` in this process, and ``code_documents_distributed`` on a local cluster of
``--workers`` single-threaded processes. The cluster's records are checked against the single-process
ones. On a machine shared with other work the figures move from run to run: report them as measured.

    python bench/bench_scale.py --articles 200 --workers 2
"""

from __future__ import annotations

import argparse
import json
import logging
import time

import spacy
from bench_code import corpus, spacy_seconds
from distributed import Client, LocalCluster

from kronika.config import get_settings
from kronika.document import Document
from kronika.pipeline import code_documents, get_coder
from kronika.scale import DEFAULT_PARTITION_SIZE, code_documents_distributed


def _warm(docs: list[Document]) -> None:
    """Run on each worker before timing: the model, knowledge base, lexicons and gazetteer get loaded."""
    list(code_documents(docs))


def _records(pairs) -> list[list[dict]]:
    return [[e.to_dict() for e in events] for _, events in pairs]


def _fresh(docs: list[Document]) -> list[Document]:
    return [Document(d.doc_id, d.text, pub_date=d.pub_date) for d in docs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    docs = corpus(args.articles)
    texts = [d.text for d in docs]
    nlp = spacy.load(get_settings().spacy_model)  # plain spaCy, every component: the reference
    get_coder()
    list(code_documents(_fresh(docs[:10])))  # warm-up

    spacy_s = spacy_seconds(nlp, texts, args.batch_size)

    t0 = time.perf_counter()
    plain = _records(code_documents(_fresh(docs)))
    plain_s = time.perf_counter() - t0

    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm, _fresh(docs[:10]))
        t0 = time.perf_counter()
        scaled = _records(
            code_documents_distributed(
                _fresh(docs), scheduler=cluster.scheduler_address, partition_size=args.partition_size
            )
        )
        dask_s = time.perf_counter() - t0

    n = len(docs)
    result = {
        "articles": n,
        "characters": sum(len(t) for t in texts),
        "events": sum(len(r) for r in plain),
        "workers": args.workers,
        "partition_size": args.partition_size,
        "same_records": scaled == plain,
        "spacy_articles_per_s": round(n / spacy_s, 1),
        "kronika_1_process_articles_per_s": round(n / plain_s, 1),
        f"kronika_dask_{args.workers}_workers_articles_per_s": round(n / dask_s, 1),
        "speedup_dask_to_1_process": round(plain_s / dask_s, 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
