"""Ingest against coding: what storing adds to ``kronika code`` on the same generated articles.

The store's requirement is that ingesting 10,000 articles takes at most 10 % longer than coding them.
This benchmark writes ``--articles`` generated news articles (default 10,000) to a temporary JSON Lines
file, then, in one process after a warm-up:

* **code** — ``code_documents(read_inputs(...))``, as ``kronika code`` runs it, each record written as a
  JSON line to a file;
* **ingest** — ``ingest`` of the same file into a fresh DuckDB file (read + code + store);
* **store only** — ``store_coded`` of the documents and events kept from the coding run into another
  fresh DuckDB file: the store's own cost, free of the noise of two coding runs.

It prints articles per second for each and the ratio ingest / code time (the requirement: ≤ 1.10).
``--order ingest-first`` swaps the two timed runs, to see how much the order matters on a busy machine.

    python bench/bench_ingest.py                       # 10,000 articles (several minutes of coding)
    python bench/bench_ingest.py --articles 500 --json
    python bench/bench_ingest.py --articles 2000 --profile ingest.prof   # cProfile of the store only

The articles are built from the templates below: leaders, ministers, armed forces and organisations of
a dozen countries; consultations, meetings, accusations, demands, agreements, aid, sanctions, threats,
protests and air strikes; day, weekday, month and relative dates; datelines, quotes and background
paragraphs. About a fifth of the articles report an event already reported by an earlier one, as
outlets covering the same story do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Actor:
    full: str  # first reference: "Russian President Vladimir Putin"
    short: str  # later references: "Putin"
    country: str  # the country's name, for background sentences
    capital: str


LEADERS = [
    Actor("Russian President Vladimir Putin", "Putin", "Russia", "Moscow"),
    Actor("Russian Foreign Minister Sergei Lavrov", "Lavrov", "Russia", "Moscow"),
    Actor("Syrian President Bashar al-Assad", "Assad", "Syria", "Damascus"),
    Actor("Turkish President Recep Tayyip Erdogan", "Erdogan", "Turkey", "Ankara"),
    Actor("Iranian President Hassan Rouhani", "Rouhani", "Iran", "Tehran"),
    Actor("Iranian Foreign Minister Mohammad Javad Zarif", "Zarif", "Iran", "Tehran"),
    Actor("U.S. Secretary of State John Kerry", "Kerry", "the United States", "Washington"),
    Actor("U.S. President Barack Obama", "Obama", "the United States", "Washington"),
    Actor("German Chancellor Angela Merkel", "Merkel", "Germany", "Berlin"),
    Actor("French President Francois Hollande", "Hollande", "France", "Paris"),
    Actor("British Prime Minister David Cameron", "Cameron", "Britain", "London"),
    Actor("Israeli Prime Minister Benjamin Netanyahu", "Netanyahu", "Israel", "Jerusalem"),
    Actor("Saudi Foreign Minister Adel al-Jubeir", "Jubeir", "Saudi Arabia", "Riyadh"),
    Actor("Egyptian President Abdel Fattah al-Sisi", "Sisi", "Egypt", "Cairo"),
    Actor("Jordan's King Abdullah", "Abdullah", "Jordan", "Amman"),
    Actor("Chinese President Xi Jinping", "Xi", "China", "Beijing"),
]
GROUPS = [
    Actor("Russian warplanes", "the Russian jets", "Russia", "Moscow"),
    Actor("the Syrian army", "government troops", "Syria", "Damascus"),
    Actor("Turkish troops", "the Turkish forces", "Turkey", "Ankara"),
    Actor("the U.S.-led coalition", "coalition aircraft", "the United States", "Washington"),
    Actor("Syrian rebels", "the rebels", "Syria", "Damascus"),
    Actor("Islamic State militants", "the militants", "Syria", "Raqqa"),
    Actor("Kurdish fighters", "the Kurdish militia", "Syria", "Qamishli"),
]
ORGANISATIONS = [
    Actor("the United Nations", "the U.N.", "", "New York"),
    Actor("the European Union", "the EU", "", "Brussels"),
    Actor("the Red Cross", "the ICRC", "", "Geneva"),
    Actor("NATO", "the alliance", "", "Brussels"),
]
PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Palmyra", "Daraa", "Latakia", "Manbij"]
VENUES = ["Geneva", "Vienna", "Sochi", "Astana", "Munich", "Lausanne", "New York", "Moscow", "Ankara"]
TOPICS = [
    "the ceasefire in Syria",
    "humanitarian access to besieged towns",
    "the fight against terrorism",
    "a political settlement of the conflict",
    "the situation in Aleppo",
    "the return of refugees",
    "energy cooperation",
    "security on the border",
]
OUTLETS = [
    "Levant Wire",
    "Eastern Courier",
    "Global Desk",
    "Capital Report",
    "Frontier Times",
    "Daily Dispatch",
]

# {a}/{b}: first references; {as_}/{bs}: short references; {day}: a date phrase; {venue}, {place}, {topic}
DIPLOMACY = [
    "{a} spoke by telephone with {b} {day} to discuss {topic}, the Kremlin said in a statement.",
    "{a} met {b} in {venue} {day}, and the two discussed {topic}.",
    "{a} held talks with {b} {day} on {topic}, officials said.",
    "{a} and {b} agreed {day} to work together on {topic}.",
    "{a} signed an agreement with {b} {day} on {topic}.",
    "{a} called on {b} {day} to respect {topic}.",
    "{a} urged {b} to halt the bombing of civilian areas, a spokesman said {day}.",
    "{a} accused {b} {day} of violating {topic}.",
    "{a} criticised {b} {day} over the support given to armed groups in the north.",
    "{a} praised {b} {day} for the progress made on {topic}.",
    "{a} threatened {day} to impose sanctions on {b} over {topic}.",
    "{a} rejected a proposal by {b} {day} on {topic}.",
    "{a} invited {b} to visit {venue}, the foreign ministry said {day}.",
    "{a} promised {day} to send humanitarian aid to {b}.",
    "{a} warned {b} {day} against any escalation in the north.",
]
FORCE = [
    "{a} bombed {b} near {place} {day}, killing at least {n} people, a monitoring group said.",
    "{a} launched air strikes on positions held by {b} around {place} {day}.",
    "{a} attacked {b} in {place} {day}, a military source said.",
    "{a} shelled areas held by {b} on the outskirts of {place} {day}.",
    "{a} clashed with {b} east of {place} {day}.",
    "{a} seized several villages from {b} near {place} {day}.",
]
PROTEST = [
    "Thousands of people protested in {capital} {day} against the war in Syria.",
    "Demonstrators gathered outside the embassy in {capital} {day} to denounce the air strikes.",
]
FORCE_FOLLOW_UP = [
    "A spokesman for {bs} said the attack had targeted civilians.",
    "{As_} said the operation would continue until the area was secured.",
    "Residents said the fighting had forced hundreds of families to flee.",
    "The Syrian Observatory for Human Rights said the death toll was likely to rise.",
    "{Bs} said they had repelled the assault.",
]
FOLLOW_UP = [
    "{as_} said the talks had been constructive.",
    "According to the statement, {as_} and {bs} also discussed {topic}.",
    "{bs} told reporters that {country} would not accept any foreign interference.",
    '"We expect concrete steps, not words," {as_} said.',
    "{bs} did not comment on the remarks.",
    "Officials in {capital} said further contacts were planned.",
    "{as_} later thanked {bs} for the support.",
]
BACKGROUND = [
    "The war in Syria has killed more than 250,000 people since 2011 and displaced millions.",
    "Aid agencies said thousands of civilians had fled the fighting in recent days.",
    "Diplomats cautioned that any agreement would be fragile.",
    "A ceasefire brokered in February has largely held, despite reported violations.",
    "The talks came as fighting continued near the Turkish border.",
    "The United Nations has repeatedly called for unhindered humanitarian access.",
    "Russia began its air campaign in Syria in September 2015.",
    "The opposition says government forces are besieging several towns.",
    "Prices of basic goods have risen sharply in the besieged areas, residents said.",
    "Several rounds of negotiations in Geneva have failed to produce a breakthrough.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _day_phrase(rng: random.Random, event_day: dt.date, pub: dt.date) -> str:
    """A date phrase for ``event_day`` as a reporter on ``pub`` would write it."""
    gap = (pub - event_day).days
    choice = rng.random()
    if gap == 0 and choice < 0.5:
        return "on " + WEEKDAYS[event_day.weekday()]
    if gap == 1 and choice < 0.4:
        return "yesterday" if choice < 0.1 else "on " + WEEKDAYS[event_day.weekday()]
    if choice < 0.55:
        return "on " + WEEKDAYS[event_day.weekday()]
    if choice < 0.85:
        return f"on {event_day.strftime('%B')} {event_day.day}"
    if choice < 0.95:
        return f"on {event_day.day} {event_day.strftime('%B')} {event_day.year}"
    return "last week" if gap >= 7 else "this week"


@dataclass
class Story:
    """An event that can be reported by several articles."""

    kind: str
    a: Actor
    b: Actor
    day: dt.date
    place: str
    venue: str
    topic: str
    sentence: str  # the template


def _story(rng: random.Random, start: dt.date, span_days: int) -> Story:
    day = start + dt.timedelta(days=rng.randrange(span_days))
    if rng.random() < 0.3:
        a, b = rng.sample(GROUPS, 2)
        kind, template = "force", rng.choice(FORCE)
    else:
        pool = LEADERS + ORGANISATIONS if rng.random() < 0.15 else LEADERS
        a, b = rng.sample(pool, 2)
        kind, template = "diplomacy", rng.choice(DIPLOMACY)
    return Story(kind, a, b, day, rng.choice(PLACES), rng.choice(VENUES), rng.choice(TOPICS), template)


def _render(rng: random.Random, story: Story, pub: dt.date) -> list[str]:
    """The lead sentence of ``story`` and one or two follow-up sentences."""
    fields = {
        "a": story.a.full,
        "b": story.b.full,
        "as_": story.a.short,
        "bs": story.b.short,
        "As_": story.a.short[0].upper() + story.a.short[1:],
        "Bs": story.b.short[0].upper() + story.b.short[1:],
        "day": _day_phrase(rng, story.day, pub),
        "venue": story.venue,
        "place": story.place,
        "topic": story.topic,
        "n": rng.randint(3, 40),
        "country": story.b.country or "the organisation",
        "capital": story.a.capital,
    }
    out = [story.sentence.format(**fields)]
    follow = FORCE_FOLLOW_UP if story.kind == "force" else FOLLOW_UP
    for template in rng.sample(follow, rng.randint(1, 2)):
        text = template.format(**fields)
        out.append(text[0].upper() + text[1:])
    return out


def generate(n: int, seed: int = 11) -> list[dict[str, object]]:
    """``n`` article records (id, title, date, publisher, text), deterministic for a seed."""
    rng = random.Random(seed)
    start, span = dt.date(2015, 9, 1), 540
    told: list[Story] = []
    records = []
    for i in range(n):
        if told and rng.random() < 0.2:  # another outlet's report of a known story
            lead = rng.choice(told[-200:])
        else:
            lead = _story(rng, start, span)
            told.append(lead)
        pub = lead.day + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2]))
        outlet = rng.choice(OUTLETS)
        paragraphs = [f"{lead.a.capital.upper()}, {pub.strftime('%b')} {pub.day} ({outlet}) - "]
        paragraphs[0] += " ".join(_render(rng, lead, pub))
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.15:
                actor = rng.choice(LEADERS)
                day = _day_phrase(rng, pub - dt.timedelta(days=rng.randint(0, 3)), pub)
                paragraphs.append(rng.choice(PROTEST).format(capital=actor.capital, day=day))
                continue
            other = _story(rng, pub - dt.timedelta(days=6), 7)
            paragraphs.append(" ".join(_render(rng, other, pub)))
        paragraphs.append(" ".join(rng.sample(BACKGROUND, rng.randint(2, 4))))
        if rng.random() < 0.3:
            paragraphs.insert(
                -1, f'"The situation remains very difficult," an official in {lead.venue} said.'
            )
        verb = "talks on " + lead.topic if lead.kind == "diplomacy" else "fighting near " + lead.place
        records.append(
            {
                "id": f"bench-{i:06d}",
                "title": f"{lead.a.short[0].upper() + lead.a.short[1:]} and {lead.b.short}: {verb}",
                "date": pub.isoformat(),
                "publisher": outlet,
                "text": "\n\n".join(paragraphs),
            }
        )
    return records


def write_jsonl(records: list[dict[str, object]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------- timings


def time_code(inputs: list[Path], out: Path, keep: list | None = None) -> tuple[float, int]:
    """``kronika code INPUT -o OUT``: read, code, one JSON line per event; returns (seconds, events)."""
    from kronika.config import Settings
    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    settings = Settings()
    n = 0
    t = time.perf_counter()
    with out.open("w", encoding="utf-8") as sink:
        for doc, events in code_documents(read_inputs(inputs, settings), settings):
            for e in events:
                sink.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
            n += len(events)
            if keep is not None:
                keep.append((doc, events))
    return time.perf_counter() - t, n


def time_ingest(inputs: list[Path], db: Path, commit_every: int) -> tuple[float, dict]:
    from kronika.store.ingest import ingest

    t = time.perf_counter()
    report = ingest(inputs, db, commit_every=commit_every)
    return time.perf_counter() - t, report.to_dict()


def time_store(pairs: list, db: Path, commit_every: int, profile: Path | None) -> tuple[float, dict]:
    from kronika.store.ingest import store_coded

    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t = time.perf_counter()
    report = store_coded(pairs, db, commit_every=commit_every)
    seconds = time.perf_counter() - t
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    return seconds, report.to_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--order", choices=("code-first", "ingest-first"), default="code-first")
    parser.add_argument("--profile", type=Path, help="Write a cProfile of the store-only run here.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()

    from kronika.store.ingest import DEFAULT_COMMIT_EVERY

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        records = generate(args.articles, args.seed)
        source = write_jsonl(records, tmp_path / "articles.jsonl")
        n_chars = sum(len(str(r["text"])) for r in records)
        warm = write_jsonl(generate(30, args.seed + 1), tmp_path / "warm.jsonl")
        time_code([warm], tmp_path / "warm.out.jsonl")  # model, knowledge base, lexicon

        pairs: list = []
        runs: dict[str, tuple[float, object]] = {}
        order = ["code", "ingest"] if args.order == "code-first" else ["ingest", "code"]
        for name in order:
            if name == "code":
                runs["code"] = time_code([source], tmp_path / "events.jsonl", keep=pairs)
            else:
                runs["ingest"] = time_ingest([source], tmp_path / "ingest.duckdb", DEFAULT_COMMIT_EVERY)
        store_s, store_report = time_store(
            pairs, tmp_path / "store.duckdb", DEFAULT_COMMIT_EVERY, args.profile
        )

    code_s, n_events = runs["code"]
    ingest_s, report = runs["ingest"]
    assert isinstance(report, dict)
    n = args.articles
    result = {
        "articles": n,
        "characters": n_chars,
        "events_coded": n_events,
        "mentions_stored": report["mentions_added"],
        "events_linked": report["events_total"],
        "near_duplicates": report["near_duplicates"],
        "code_s": round(code_s, 2),
        "ingest_s": round(ingest_s, 2),
        "store_only_s": round(store_s, 2),
        "code_articles_per_s": round(n / code_s, 1),
        "ingest_articles_per_s": round(n / ingest_s, 1),
        "store_only_articles_per_s": round(n / store_s, 1),
        "ratio_ingest_to_code": round(ingest_s / code_s, 3),
        "store_only_share_of_code": round(store_s / code_s, 3),
        "order": args.order,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"articles: {n} ({n_chars:,} characters); {n_events} events coded")
    print(f"code   (read + code + JSONL):     {code_s:8.1f} s  {n / code_s:7.1f} articles/s")
    print(f"ingest (read + code + store):     {ingest_s:8.1f} s  {n / ingest_s:7.1f} articles/s")
    print(f"store only (coded pairs):         {store_s:8.1f} s  {n / store_s:7.1f} articles/s")
    print(f"ratio ingest / code: {ingest_s / code_s:.3f} (requirement ≤ 1.10)")
    print(
        f"store: {report['mentions_added']} mentions, {report['events_total']} events, "
        f"{report['near_duplicates']} near-duplicates; store only = {100 * store_s / code_s:.1f} % of coding"
    )


if __name__ == "__main__":
    main()
