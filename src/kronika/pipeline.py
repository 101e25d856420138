"""The coding pipeline: documents → spaCy (``nlp.pipe``) → actors → events → records.

One parsed ``Doc`` flows through the stages; ``code_documents`` is the entry point every front end
(library, CLI, store) uses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kronika.actors.kb import KnowledgeBase
from kronika.actors.recognize import ActorMatcher, ActorResolver
from kronika.config import Settings, get_settings
from kronika.dates import resolve_event_date
from kronika.document import Document
from kronika.events.extract import EventBuilder, EventDraft
from kronika.events.lexicon import Lexicon
from kronika.knowledge import Knowledge, load_knowledge
from kronika.nlp import load_nlp
from kronika.places import Place, find_places
from kronika.records import Event

log = logging.getLogger(__name__)


@dataclass
class Coder:
    """Everything loaded once per process: the spaCy pipeline and the knowledge (bundle, base, lexicon)."""

    nlp: Language
    kb: KnowledgeBase
    lexicon: Lexicon
    matcher: ActorMatcher
    settings: Settings
    knowledge: Knowledge | None = None  # the bundle ``kb`` and ``lexicon`` come from

    def code_doc(self, doc: Doc, document: Document) -> list[Event]:
        """Code one parsed document."""
        pub = document.pub_date
        index = self.matcher.index(doc)
        named = bool(index.matches) or any(t.ent_type_ == "PERSON" for t in doc)
        # Without a named actor only sector words ("rebels", "a government convoy") can be coded, and
        # only when a place gives them a country.
        places: list[Place] = find_places(doc, self.settings) if named or index.titles else []
        if not named and not places:
            return []  # no actor can be coded: nothing to do
        resolver = ActorResolver(self.kb, index, pub)
        builder = EventBuilder(self.lexicon, resolver, pub, places)
        events: list[Event] = []
        for s_idx, sent in enumerate(doc.sents):
            resolver.observe(sent)
            for draft in builder.drafts(sent):
                events.append(self._record(draft, sent, s_idx, document))
        return events

    def _record(self, d: EventDraft, sent, s_idx: int, document: Document) -> Event:
        trig = d.trigger
        first, last = trig.tokens[0], trig.tokens[-1]
        info = self.lexicon.type_info(d.event)
        mode = d.mode if info is None or d.mode is None or d.mode in info.modes else None
        scale = None
        if info is not None:
            scale = info.modes.get(mode) if mode and info.modes.get(mode) is not None else info.scale
        date = resolve_event_date(sent, trig.token, document.pub_date)
        modality = d.modality
        if (
            modality == "asserted"
            and date.date
            and document.pub_date
            and date.source == "text"
            and int(date.date[:4]) < document.pub_date.year - 1
        ):
            modality = "historical"
        confidence = 0.45 + (0.2 if d.actor_from_grammar else 0.0) + (0.15 if d.recipients else 0.0)
        confidence += 0.1 if trig.entry.with_ or len(trig.entry.lemma) > 1 else 0.0
        confidence += 0.05 if date.source == "text" else 0.0
        return Event(
            doc_id=document.doc_id,
            event=[d.event],
            actor=[a.entity() for a in d.actors],
            recipient=[r.entity() for r in d.recipients],
            cameo=d.cameo or (info.default_cameo if info else None),
            quad_code=info.quad_code if info else None,
            event_scale=scale,
            text=sent.text,
            sentence_index=s_idx,
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            trigger_start=first.idx,
            trigger_end=last.idx + len(last.text),
            event_text=document.text[first.idx : last.idx + len(last.text)],
            mode=[mode] if mode else [],
            context=list(trig.entry.context),
            date=date.date,
            date_precision=date.precision,
            date_text=date.text,
            date_source=date.source,
            modality=modality,
            attribution=d.attribution.entity() if d.attribution else None,
            attribution_text=d.attribution_text,
            confidence=min(1.0, confidence),
            pub_date=document.pub_date.isoformat() if document.pub_date else None,
            rule=d.rule,
            place=d.place,
        )


_CODERS: dict[tuple, Coder] = {}


def get_coder(settings: Settings | None = None) -> Coder:
    """The process-wide coder for these settings (built once per model and set of knowledge folders).

    Without settings, they are read from the environment now. A bad knowledge file raises
    ``KnowledgeErrors`` before the spaCy model is loaded.
    """
    settings = settings or get_settings()
    knowledge = load_knowledge(settings)
    key = (settings.spacy_model, knowledge.dirs)
    if key not in _CODERS:
        kb, lexicon = knowledge.kb, knowledge.lexicon
        nlp = load_nlp(settings.spacy_model)
        _CODERS[key] = Coder(nlp, kb, lexicon, ActorMatcher(nlp, kb), settings, knowledge)
    return _CODERS[key]


def code_documents(
    docs: Iterable[Document], settings: Settings | None = None
) -> Iterator[tuple[Document, list[Event]]]:
    """Code documents in input order; documents that are not ``ok`` pass through with no events."""
    coder = get_coder(settings)
    settings = settings or coder.settings
    limit = min(settings.max_chars, coder.nlp.max_length)

    def texts() -> Iterator[tuple[str, Document]]:
        for d in docs:
            yield (_within_limit(d, limit) if d.ok else ""), d

    for doc, document in coder.nlp.pipe(texts(), as_tuples=True, batch_size=settings.batch_size):
        if not document.ok:
            yield document, []
            continue
        try:
            events = coder.code_doc(doc, document)
        except Exception as exc:  # one bad document never sinks the batch
            log.exception("coding failed for %s", document.doc_id)
            document.status, document.reason = "failed", f"coding error: {exc}"
            events = []
        yield document, events


def _within_limit(document: Document, limit: int) -> str:
    """The text to parse: the whole text, or its first ``limit`` characters (ending on a line when
    one ends in the second half) with a warning on the document."""
    text = document.text
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    cut = cut if cut > limit // 2 else limit
    document.warnings.append(f"too long to code whole: coded the first {cut} of {len(text)} characters")
    return text[:cut]


def code_texts(
    texts: Iterable[str],
    pub_date: dt.date | str | None = None,
    doc_ids: Iterable[str] | None = None,
    settings: Settings | None = None,
) -> list[Event]:
    """Code plain texts (already clean) and return their event records."""
    if isinstance(pub_date, str):
        pub_date = dt.date.fromisoformat(pub_date)
    ids = list(doc_ids) if doc_ids is not None else None
    docs = [
        Document(doc_id=ids[i] if ids else f"text-{i}", text=t, pub_date=pub_date)
        for i, t in enumerate(texts)
    ]
    out: list[Event] = []
    for _, events in code_documents(docs, settings):
        out.extend(events)
    return out
