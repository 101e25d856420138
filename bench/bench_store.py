"""Event store speed: what ingest adds over coding, and query time over a million mentions.

    python bench/bench_store.py                 # 10,000 generated articles, 1,000,000 mentions
    python bench/bench_store.py --articles 500 --mentions 1000000

Articles come from a template generator (leaders, verbs, places, dates); coding is timed as
``kronika code`` does it (read + code), ingest as ``kronika ingest`` (read + code + store) on the same
files into a fresh database. Mentions for the query test are generated straight into DuckDB with SQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

LEADERS = [
    ("Russian President Vladimir Putin", "Putin"),
    ("Syrian President Bashar al-Assad", "Assad"),
    ("Turkish President Recep Tayyip Erdogan", "Erdogan"),
    ("Iranian President Hassan Rouhani", "Rouhani"),
    ("U.S. Secretary of State John Kerry", "Kerry"),
    ("German Chancellor Angela Merkel", "Merkel"),
    ("French President Emmanuel Macron", "Macron"),
    ("Israeli Prime Minister Benjamin Netanyahu", "Netanyahu"),
]
TEMPLATES = [
    "{a} spoke by telephone with {b} on {day}, officials said.",
    "{a} met {b} in {place} on {day} to discuss the conflict.",
    "{a} accused {b} of undermining the ceasefire on {day}.",
    "{a} urged {b} to halt air strikes, the statement said on {day}.",
    "{a} and {b} agreed on {day} to expand humanitarian access.",
    "{a} criticised {b} over the bombing of hospitals on {day}.",
]
PLACES = ["Moscow", "Ankara", "Tehran", "Geneva", "Sochi", "Paris", "Berlin", "Damascus"]
FILLER = [
    "The talks came as fighting continued near the northern border.",
    "Aid agencies said thousands of civilians had fled the area in recent days.",
    "Diplomats cautioned that any agreement would be fragile.",
    "Officials gave no further details of the conversation.",
]


def generate_articles(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write ``n`` template articles (3–5 event sentences and filler each) to ``folder``."""
    rng = random.Random(seed)
    paths = []
    start = dt.date(2016, 1, 1)
    for i in range(n):
        day = start + dt.timedelta(days=rng.randrange(365))
        lines = [f"Report {i}: diplomacy and conflict", "", day.strftime("%B %d, %Y"), ""]
        for _ in range(rng.randint(3, 5)):
            (a, _), (b, _) = rng.sample(LEADERS, 2)
            lines.append(
                rng.choice(TEMPLATES).format(a=a, b=b, place=rng.choice(PLACES), day=day.strftime("%A"))
            )
            lines.append(rng.choice(FILLER))
        path = folder / f"bench_{i:06d}.txt"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def time_coding(folder: Path) -> tuple[float, int]:
    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    t = time.perf_counter()
    n = sum(len(events) for _, events in code_documents(read_inputs([folder])))
    return time.perf_counter() - t, n


def time_ingest(folder: Path, db: Path) -> tuple[float, int]:
    from kronika.store.ingest import ingest

    t = time.perf_counter()
    report = ingest([folder], db, commit_every=200)
    return time.perf_counter() - t, report.mentions_added


def fill_mentions(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """``n`` synthetic mentions and their events, generated in SQL (about 3 mentions per event)."""
    con.execute(
        f"""
        CREATE TEMP TABLE gen AS
        SELECT i,
               ['RUS','SYR','USA','TUR','IRN','DEU','FRA','ISR','GBR','CHN']
                   [1 + CAST(hash(i // 3, 1) % 10 AS BIGINT)] AS a,
               ['SYR','RUS','TUR','USA','IRN','ISR','DEU','FRA','CHN','GBR']
                   [1 + CAST(hash(i // 3, 2) % 10 AS BIGINT)] AS b,
               ['CONSULT','ASSAULT','ACCUSE','REQUEST','AGREE','COOPERATE']
                   [1 + CAST(hash(i // 3, 3) % 6 AS BIGINT)] AS t,
               DATE '2010-01-01' + CAST(hash(i // 3, 4) % 5000 AS INTEGER) AS d
        FROM range({n}) r(i)
        """
    )
    con.execute(
        """
        INSERT INTO mentions (mention_id, doc_key, doc_id, block_key, event_type, cameo, quad_code,
            event_scale, actor_code, actor_sector, actor_codes, actor_cs, actor_names,
            recipient_code, recipient_sector, recipient_codes, recipient_cs, recipient_names,
            date, date_precision, date_lo, date_hi, pub_date, confidence, text)
        SELECT 'KR-' || i, 'doc' || (i // 4), 'doc' || (i // 4), t || '|' || a || ' GOV|' || b || ' GOV', t,
               '040', 1, 1.0, a, 'GOV', [a], [a || ' GOV'], [], b, 'GOV', [b], [b || ' GOV'], [],
               strftime(d, '%Y-%m-%d'), 'day', d, d, d + 1, 0.7, 'generated mention ' || i
        FROM gen
        """
    )
    con.execute(
        """
        INSERT INTO events (event_id, block_key, event_type, cameo, quad_code, event_scale, actor_label,
            actor_codes, actor_cs, actor_names, recipient_label, recipient_codes, recipient_cs,
            recipient_names, date, date_precision, date_lo, date_hi, place, first_report, last_report,
            n_mentions, n_sources, n_documents, sources, representative, text, modality, confidence, mode)
        SELECT 'KE-' || md5(block_key || date)[:16], block_key, any_value(event_type), '040', 1, 1.0,
               any_value(actor_cs[1]), any_value(actor_codes), any_value(actor_cs), [],
               any_value(recipient_cs[1]), any_value(recipient_codes), any_value(recipient_cs), [],
               date, 'day', min(date_lo), max(date_hi), NULL, min(pub_date), max(pub_date),
               count(*), count(DISTINCT doc_key), count(DISTINCT doc_key), list(DISTINCT doc_id),
               min(mention_id), min(text), 'asserted', 0.7, []
        FROM mentions GROUP BY block_key, date
        """
    )
    con.execute(
        """
        INSERT INTO event_mentions
        SELECT 'KE-' || md5(block_key || date)[:16], mention_id, block_key FROM mentions
        """
    )


def time_queries(n_mentions: int, repeat: int = 5) -> dict[str, float]:
    from kronika.store.counts import counts
    from kronika.store.filters import EventFilter
    from kronika.store.query import events, timeline
    from kronika.store.schema import connect

    con = connect(":memory:")
    t = time.perf_counter()
    fill_mentions(con, n_mentions)
    build = time.perf_counter() - t
    out = {"build_s": build, "events": con.execute("SELECT count(*) FROM events").fetchone()[0]}
    cases = {
        "events(actor=RUS, type=CONSULT, 2015)": lambda: events(
            con, actor="RUS", type="CONSULT", date_from="2015-01-01", date_to="2015-12-31"
        ),
        "timeline('RUS GOV', 'SYR GOV')": lambda: timeline(con, "RUS GOV", "SYR GOV"),
        "events(place=Geneva) over mention text": lambda: events(con, place="Geneva", limit=100),
        "events(asserted, confidence >= 0.2, limit 100)": lambda: events(
            con, limit=100, filters=EventFilter(modality="asserted", min_confidence=0.2)
        ),
        "counts(by=month, dyad)": lambda: counts(con, by="month", dyad=True, all_events=True),
    }
    for name, fn in cases.items():
        fn()
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            rows = fn()
            times.append(time.perf_counter() - t)
        out[name] = statistics.median(times)
        out[name + " rows"] = len(rows)
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--skip-coding", action="store_true", help="Only the query benchmark.")
    args = parser.parse_args()

    if not args.skip_coding:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "articles"
            folder.mkdir()
            generate_articles(args.articles, folder)
            from kronika.nlp import load_nlp

            load_nlp()  # load the model and warm the pipeline before timing either side
            warm = Path(tmp) / "warm"
            warm.mkdir()
            generate_articles(20, warm, seed=1)
            time_coding(warm)
            code_s, n_code = time_coding(folder)
            ingest_s, n_ingest = time_ingest(folder, Path(tmp) / "bench.duckdb")
            print(f"articles: {args.articles}")
            rate = args.articles / code_s
            print(f"coding (read + code): {code_s:.2f} s, {n_code} mentions, {rate:.1f} docs/s")
            print(f"ingest (read + code + store): {ingest_s:.2f} s, {n_ingest} mentions")
            print(f"ingest overhead over coding: {100 * (ingest_s / code_s - 1):+.1f} %")

    q = time_queries(args.mentions)
    print(f"query store: {args.mentions} mentions, {q['events']} events, built in {q['build_s']:.1f} s")
    for name, value in q.items():
        if name in ("build_s", "events") or name.endswith(" rows"):
            continue
        print(f"  {name}: {1000 * value:.1f} ms ({q[name + ' rows']} rows)")


if __name__ == "__main__":
    main()
