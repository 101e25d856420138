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
from kronika.dates.resolve import narrative_year
from kronika.document import Document
from kronika.events.build import build_event
from kronika.events.extract import EventBuilder
from kronika.events.lexicon import Lexicon
from kronika.knowledge import Knowledge, load_knowledge
from kronika.nlp import ENTITY_STAGE, entity_stage, load_nlp, parse_in_batches
from kronika.places import Place, find_places
from kronika.places.resolve import locate
from kronika.records import Event

log = logging.getLogger(__name__)


@dataclass
class Coder:
    """Everything loaded once per process: the spaCy pipeline and the knowledge bundle."""

    nlp: Language
    knowledge: Knowledge
    matcher: ActorMatcher

    @property
    def kb(self) -> KnowledgeBase:
        return self.knowledge.kb

    @property
    def lexicon(self) -> Lexicon:
        return self.knowledge.lexicon

    def code_doc(self, doc: Doc, document: Document) -> list[Event]:
        """Code one parsed document."""
        pub = document.pub_date
        index = self.matcher.index(doc)
        named = bool(index.matches) or any(t.ent_type_ == "PERSON" for t in doc)
        # Without a named actor only sector words ("rebels", "a government convoy") can be coded, and
        # only when a place gives them a country.
        places: list[Place] = find_places(doc, knowledge=self.knowledge) if named or index.titles else []
        if not named and not places:
            return []  # no actor can be coded: nothing to do
        places = locate(doc, places, self.knowledge, document.url)
        resolver = ActorResolver(self.kb, index, pub)
        builder = EventBuilder(self.knowledge, resolver, pub, places)
        events: list[Event] = []
        story_year: int | None = None  # an undated text's events are told in the year it first names
        for s_idx, sent in enumerate(doc.sents):
            resolver.observe(sent)
            drafts = builder.drafts(sent)
            if pub is None and story_year is None:
                story_year = narrative_year(sent, self.knowledge.dates)
            for draft in drafts:
                events.append(build_event(draft, sent, s_idx, document, self.knowledge, story_year))
        return events


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
        nlp = load_nlp(settings.spacy_model, knowledge)
        actors = entity_stage(nlp.get_pipe(ENTITY_STAGE)).actors
        assert actors is not None  # set up by load_nlp
        _CODERS[key] = Coder(nlp, knowledge, actors)
    return _CODERS[key]


def code_documents(
    docs: Iterable[Document], settings: Settings | None = None
) -> Iterator[tuple[Document, list[Event]]]:
    """Code documents in input order; documents that are not ``ok`` pass through with no events.

    Documents are parsed in batches of at most ``settings.batch_tokens`` tokens (counted as spaCy
    pads a batch: documents times the longest) and ``settings.batch_size`` documents, and a text
    longer than the budget is parsed in pieces cut at line ends and joined again, so memory does not
    grow with the length of the input or of its longest text.
    """
    settings = settings or get_settings()
    coder = get_coder(settings)
    limit = min(settings.max_chars, coder.nlp.max_length)
    texts = (((_within_limit(d, limit) if d.ok else ""), d) for d in docs)
    batches = parse_in_batches(
        coder.nlp, texts, settings.batch_tokens, settings.batch_size, settings.max_tokens, _cut_warning
    )
    for doc, document in batches:
        if not document.ok:
            yield document, []
            continue
        try:
            events = [e for e in coder.code_doc(doc, document) if e.confidence >= settings.min_confidence]
        except Exception as exc:  # one bad document never sinks the batch
            log.exception("coding failed for %s", document.doc_id)
            document.status, document.reason = "failed", f"coding error: {exc}"
            events = []
        yield document, events


def _cut_warning(document: Document, tokens: int, kept: int) -> None:
    document.warnings.append(f"too long to code whole: coded the first {kept} of {tokens} tokens")


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
    """Code plain texts (already clean) and return their event records.

    ``texts`` is a list (or other iterable) of texts: one text goes in a list, ``code_texts([text])``.
    """
    if isinstance(texts, str | bytes):
        raise TypeError(
            "code_texts takes a list of texts, not one string (it would code each character): "
            "write code_texts([text])"
        )
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
