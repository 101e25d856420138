"""Hand-built documents and event mentions for the store tests (no coder needed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kronika.document import Document
from kronika.records import Entity, Event

# name -> (code, sector, canonical name)
ACTORS: dict[str, tuple[str, str, str | None]] = {
    "Putin": ("RUS", "GOV", "Vladimir Putin"),
    "Lavrov": ("RUS", "GOV", "Sergey Lavrov"),
    "Assad": ("SYR", "GOV", "Bashar al-Assad"),
    "Obama": ("USA", "GOV", "Barack Obama"),
    "Kerry": ("USA", "GOV", "John Kerry"),
    "Erdogan": ("TUR", "GOV", "Recep Tayyip Erdogan"),
    "Rouhani": ("IRN", "GOV", "Hassan Rouhani"),
    "Netanyahu": ("ISR", "GOV", "Benjamin Netanyahu"),
    "Russian warplanes": ("RUS", "MIL", None),
    "rebels": ("SYR", "REB", None),
    "Syrian opposition": ("SYR", "OPP", None),
    "Merkel": ("DEU", "GOV", "Angela Merkel"),
    "Moscow": ("RUS", "GOV", None),
    "Kremlin": ("RUS", "GOV", None),
    "United States": ("USA", "GOV", None),
}

CAMEO = {
    "CONSULT": ("040", 1, 1.0),
    "ASSAULT": ("195", 4, -10.0),
    "COOPERATE": ("050", 1, 3.5),
    "AGREE": ("057", 1, 8.0),
    "REQUEST": ("102", 2, -0.5),
    "ACCUSE": ("112", 3, -2.0),
}


def entity(name: str, start: int = 0) -> Entity:
    code, sector, canonical = ACTORS[name]
    return Entity(code, sector, name, canonical, start, start + len(name), rule=f"test:{name}")


def precision_of(date: str | None) -> str | None:
    if date is None:
        return None
    return {10: "day", 7: "month", 4: "year"}[len(date)]


def make_event(
    doc_id: str,
    event_type: str,
    actor: str | list[str],
    recipient: str | list[str] | None,
    date: str | None,
    *,
    trigger: int = 0,
    sentence: int = 0,
    pub_date: str | None = None,
    text: str = "",
    confidence: float = 0.7,
) -> Event:
    """A realistic event mention: actors coded with code, sector and name; CAMEO, quad and scale."""
    actors = [actor] if isinstance(actor, str) else actor
    recipients = [] if recipient is None else ([recipient] if isinstance(recipient, str) else recipient)
    cameo, quad, scale = CAMEO.get(event_type, (None, None, None))
    sent = text or f"{' and '.join(actors)} {event_type.lower()} {' and '.join(recipients)}."
    return Event(
        doc_id=doc_id,
        event=[event_type],
        actor=[entity(a, 0) for a in actors],
        recipient=[entity(r, 20) for r in recipients],
        cameo=cameo,
        quad_code=quad,
        event_scale=scale,
        text=sent,
        sentence_index=sentence,
        sentence_start=trigger,
        sentence_end=trigger + len(sent),
        trigger_start=trigger,
        trigger_end=trigger + 5,
        event_text=event_type.lower(),
        date=date,
        date_precision=precision_of(date),
        date_text=date,
        date_source="text" if date else None,
        pub_date=pub_date,
        confidence=confidence,
        rule="test",
    )


@dataclass
class Article:
    doc_id: str
    text: str
    pub_date: str | None = None
    publisher: str | None = None
    title: str | None = None

    def document(self) -> Document:
        return Document(
            doc_id=self.doc_id,
            text=self.text,
            pub_date=dt.date.fromisoformat(self.pub_date) if self.pub_date else None,
            title=self.title or self.text.split(".")[0][:80],
            publisher=self.publisher,
            url=f"https://example.org/{self.doc_id}",
        )


def filler(seed: int, n: int = 40) -> str:
    """Distinct article-like text, so that unrelated articles are not near-duplicates."""
    words = [
        "officials",
        "said",
        "talks",
        "would",
        "continue",
        "next",
        "week",
        "ministers",
        "capital",
        "statement",
        "press",
        "conference",
        "region",
        "security",
        "council",
        "spokesman",
        "agency",
        "reported",
        "government",
        "forces",
        "border",
        "crisis",
        "humanitarian",
        "aid",
        "convoy",
    ]
    out = []
    x = seed * 7919 + 13
    for _ in range(n):
        x = (x * 1103515245 + 12345) % (2**31)
        out.append(words[x % len(words)])
    return " ".join(out) + "."


COREF_SET = __import__("pathlib").Path(__file__).parent / "coref_set"


def load_coref_gold() -> dict:
    import json

    return json.loads((COREF_SET / "gold.json").read_text(encoding="utf-8"))


def coref_set_documents() -> list[Document]:
    """The labelled articles as documents (text from the files, dates and outlets from gold.json)."""
    gold = load_coref_gold()
    docs = []
    for doc_id, meta in sorted(gold["articles"].items()):
        text = (COREF_SET / f"{doc_id}.txt").read_text(encoding="utf-8")
        docs.append(
            Article(doc_id, text, meta["pub_date"], meta["publisher"], text.splitlines()[0]).document()
        )
    return docs


def coref_set_hand_coded() -> tuple[list[tuple[Document, list[Event]]], dict[str, str]]:
    """The labelled articles with their gold mentions built by hand, and mention id → gold event."""
    gold = load_coref_gold()
    docs = {d.doc_id: d for d in coref_set_documents()}
    events: dict[str, list[Event]] = {k: [] for k in docs}
    labels: dict[str, str] = {}
    for m in gold["mentions"]:
        doc = docs[m["doc"]]
        start = doc.text.index(m["fragment"])
        sent_start = doc.text.rfind("\n", 0, start) + 1
        sent_end = doc.text.find("\n", start)
        ev = make_event(
            doc.doc_id,
            m["type"],
            m["actor"],
            m["recipient"],
            m["date"],
            trigger=start,
            sentence=doc.text.count("\n", 0, start),
            pub_date=gold["articles"][m["doc"]]["pub_date"],
            text=doc.text[sent_start : sent_end if sent_end > 0 else None],
        )
        events[doc.doc_id].append(ev)
        labels[ev.id] = m["event"]
    return [(docs[k], events[k]) for k in sorted(docs)], labels


def generated_corpus(n: int, seed: int = 0) -> list[tuple[Document, list[Event]]]:
    """``n`` hand-coded documents over a few dyads and dates, with repeated events across documents."""
    dyads = [
        ("Putin", "Assad", "CONSULT"),
        ("Obama", "Putin", "REQUEST"),
        ("Erdogan", "Rouhani", "COOPERATE"),
        ("Russian warplanes", "rebels", "ASSAULT"),
        ("Kerry", "Lavrov", "CONSULT"),
        ("Merkel", "Obama", "AGREE"),
    ]
    out = []
    for i in range(n):
        k = (i * 7 + seed) % len(dyads)
        a, r, t = dyads[k]
        day = dt.date(2016, 1, 1) + dt.timedelta(days=(i * 3 + seed) % 40)
        doc_id = f"gen{seed}-{i:05d}"
        text = f"{a} and {r}: report {i}. " + filler(i + 1000 * seed)
        pub = day + dt.timedelta(days=1)
        events = [
            make_event(doc_id, t, a, r, day.isoformat(), trigger=0, pub_date=pub.isoformat()),
            make_event(doc_id, "CONSULT", "Lavrov", "Kerry", day.strftime("%Y-%m"), trigger=30),
        ]
        out.append((Article(doc_id, text, pub.isoformat(), f"Outlet {i % 5}").document(), events))
    return out

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"
