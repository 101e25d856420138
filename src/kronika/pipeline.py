"""The coding pipeline: documents → spaCy (``nlp.pipe``) → actors → events → records.

One parsed ``Doc`` flows through the stages; ``code_documents`` is the entry point every front end
(library, CLI, store) uses.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
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
from kronika.heap import keep_for_good, paused_collector
from kronika.knowledge import Knowledge, load_knowledge
from kronika.nlp import (
    ENTITY_STAGE,
    MAX_SENTENCE_TOKENS,
    ParseHooks,
    entity_stage,
    load_nlp,
    parse_in_batches,
)
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

    def code_doc(
        self, doc: Doc, document: Document, check: Callable[[str], None] | None = None
    ) -> list[Event]:
        """Code one parsed document; ``check(where)``, when given, is called between its steps and
        before each sentence (it raises to stop a document that has run too long)."""
        check = check or _no_check
        pub = document.pub_date
        check("indexing its actors")
        index = self.matcher.index(doc)
        named = bool(index.matches) or any(t.ent_type_ == "PERSON" for t in doc)
        # Without a named actor only sector words ("rebels", "a government convoy") can be coded, and
        # only when a place gives them a country.
        check("finding its places")
        places: list[Place] = find_places(doc, knowledge=self.knowledge) if named or index.titles else []
        if not named and not places:
            return []  # no actor can be coded: nothing to do
        check("locating its places")
        places = locate(doc, places, self.knowledge, document.url)
        resolver = ActorResolver(self.kb, index, pub)
        builder = EventBuilder(self.knowledge, resolver, pub, places)
        events: list[Event] = []
        story_year: int | None = None  # an undated text's events are told in the year it first names
        for s_idx, sent in enumerate(doc.sents):
            check(f"coding sentence {s_idx + 1}")
            resolver.observe(sent)
            drafts = builder.drafts(sent)
            if pub is None and story_year is None:
                story_year = narrative_year(sent, self.knowledge.dates)
            for draft in drafts:
                events.append(build_event(draft, sent, s_idx, document, self.knowledge, story_year))
        return events


def _no_check(where: str) -> None:
    return None


class BudgetExceeded(Exception):
    """A document ran over its time budget (``Settings.time_budget``)."""


class TimeBudget:
    """The seconds each document may take, counted from when its batch goes to the parser (before,
    its text was tokenised, in time linear in its length, which ``max_chars`` bounds).

    The seconds are CPU time of the thread that codes (``time.thread_time``), not time on the clock:
    a document's fate does not depend on how busy the machine is, and the same input gives the same
    statuses on a loaded machine as on an idle one.

    Nothing is interrupted: the stages ask between their steps (the pieces of a long text, its
    sentences), and each step is bounded (pieces of at most ``batch_tokens`` tokens, sentences of at
    most ``MAX_SENTENCE_TOKENS``), so a document ends soon after its budget runs out.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._started: dict[int, float] = {}

    def start(self, document: Document) -> None:
        self._started[id(document)] = time.thread_time()

    def over(self, document: Document) -> bool:
        started = self._started.get(id(document))
        return bool(self.seconds) and started is not None and time.thread_time() - started > self.seconds

    def check(self, document: Document, where: str) -> None:
        """Raise ``BudgetExceeded`` (its message the failed document's reason) when over budget."""
        if self.over(document):
            raise BudgetExceeded(f"time budget of {self.seconds:g} s (CPU) exceeded while {where}")

    def stop(self, document: Document) -> None:
        self._started.pop(id(document), None)


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
        with paused_collector():  # the model and what the warm-up loads live as long as the process
            nlp = load_nlp(settings.spacy_model, knowledge)
            actors = entity_stage(nlp.get_pipe(ENTITY_STAGE)).actors
            assert actors is not None  # set up by load_nlp
            coder = Coder(nlp, knowledge, actors)
            _warm_up(coder)
        _CODERS[key] = coder
        keep_for_good()
    return _CODERS[key]


# Coded once when a coder is made, so that what loads on first use (the gazetteer's index and
# matcher, the date lexicon) is loaded then, not within the first document's time budget.
WARM_UP = "Russian President Vladimir Putin met Syrian President Bashar al-Assad in Moscow on 20 October."


def _warm_up(coder: Coder) -> None:
    document = Document("warm-up", WARM_UP)
    ((doc, _),) = list(parse_in_batches(coder.nlp, [(WARM_UP, document)], 1000, 1))
    coder.code_doc(doc, document)


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
    budget = TimeBudget(settings.time_budget)
    hooks = ParseHooks(_cut_warning, _long_warning, budget.start, budget.over)
    texts = (((_within_limit(d, limit) if d.ok else ""), d) for d in docs)
    batches = parse_in_batches(
        coder.nlp, texts, settings.batch_tokens, settings.batch_size, settings.max_tokens, hooks
    )
    for doc, document in batches:
        if not document.ok:
            budget.stop(document)
            yield document, []
            continue
        try:
            budget.check(document, "parsing")
            events = [
                e
                for e in coder.code_doc(doc, document, functools.partial(budget.check, document))
                if e.confidence >= settings.min_confidence
            ]
        except BudgetExceeded as exc:
            log.warning("%s: %s", document.doc_id, exc)
            document.status, document.reason = "failed", str(exc)
            events = []
        except Exception as exc:  # one bad document never sinks the batch
            log.exception("coding failed for %s", document.doc_id)
            document.status, document.reason = "failed", f"coding error: {exc}"
            events = []
        finally:
            budget.stop(document)
        yield document, events


def _cut_warning(document: Document, tokens: int, characters: int) -> None:
    document.warnings.append(
        f"too long to code whole: coded the first {tokens} tokens "
        f"({characters} of {len(document.text)} characters)"
    )


def _long_warning(document: Document, cuts: int) -> None:
    document.warnings.append(
        f"sentences over {MAX_SENTENCE_TOKENS} tokens without a full stop: cut {cuts} times "
        "to code them in bounded time"
    )


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
