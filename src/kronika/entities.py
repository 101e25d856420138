"""Kronika's own entities of a document: people and dates, found without a statistical recogniser.

The coder reads two kinds of entity: people (PERSON) and date expressions (DATE). Both come from
what the tagger, the parser and the knowledge already give, once per document:

- people: the names of the knowledge base's people, and runs of proper nouns on one line that are
  no country, organisation, seat, place or title ("Major General Vyacheslav Gladkikh" → "Vyacheslav
  Gladkikh"); a single proper noun counts when the knowledge base knows it as a person's name, when
  a title stands before it ("Foreign Minister Lavrov") or when it is a word of a person named earlier
  in the document;
- dates: token patterns over the date words of ``dates/expressions.yaml`` for what a date
  expression can be beyond the patterns of ``kronika.dates.expressions`` (a bare year or month, "the
  end of 1972", "in the coming months").

``recognize`` sets ``doc.ents`` and indexes the entities by token, so that every later stage looks
an entity up by offset (``entity_at``, ``entities_in``) instead of rebuilding the list per sentence.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

if TYPE_CHECKING:
    from kronika.dates.lexicon import DateLexicon

PERSON = "PERSON"
DATE = "DATE"
# Labels of the date matcher besides DATE: matches checked after matching, and weekday names.
YEAR, DECADE, WEEKDAY_WORD = "DATE_YEAR", "DATE_DECADE", "WEEKDAY_WORD"
# Joiners inside a name written without spaces: "al-Assad", "Abdel-Fattah".
NAME_JOINERS = frozenset({"-", "‐", "'", "’"})
_INDEX_KEY = "kronika_entities"


@dataclass
class EntityIndex:
    """A document's entities in text order, with the entity of each token."""

    spans: list[Span] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    by_token: dict[int, Span] = field(default_factory=dict)

    @classmethod
    def of(cls, spans: Iterable[Span]) -> EntityIndex:
        ordered = sorted(spans, key=lambda s: s.start)
        index = cls(ordered, [s.start for s in ordered])
        for span in ordered:
            for i in range(span.start, span.end):
                index.by_token[i] = span
        return index

    def within(self, start: int, end: int, labels: Sequence[str] | None = None) -> list[Span]:
        """The entities inside tokens ``start`` … ``end`` (exclusive), of ``labels`` when given."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [s for s in self.spans[lo:hi] if s.end <= end and (labels is None or s.label_ in labels)]


def entity_index(doc: Doc) -> EntityIndex:
    """The index of ``doc.ents``, built once per document (``recognize`` builds it as it sets them)."""
    index = doc.user_data.get(_INDEX_KEY)
    if not isinstance(index, EntityIndex):
        index = EntityIndex.of(doc.ents)
        doc.user_data[_INDEX_KEY] = index
    return index


def entity_at(token: Token) -> Span | None:
    """The entity a token is part of."""
    return entity_index(token.doc).by_token.get(token.i)


def entities_in(span: Span, labels: Sequence[str] | None = None) -> list[Span]:
    """The entities inside ``span`` (a sentence), without walking the whole document's list."""
    return entity_index(span.doc).within(span.start, span.end, labels)


def set_entities(doc: Doc, spans: Iterable[Span]) -> EntityIndex:
    """Set ``doc.ents`` (overlaps keep the longest) and the index that goes with them."""
    kept = filter_spans(list(spans))
    doc.set_ents(kept, default="outside")
    index = EntityIndex.of(kept)
    doc.user_data[_INDEX_KEY] = index
    return index


# -- dates ---------------------------------------------------------------------------------------


def date_matcher(vocab: Vocab, lex: DateLexicon) -> Matcher:
    """Patterns for the date expressions the token patterns of ``kronika.dates`` leave to an entity
    recogniser: bare years and months, year ranges, seasons and edges of a period, "the coming days"."""
    from kronika.dates.expressions import QUANTIFIERS  # the date stage reads this module's index

    months = sorted({*lex.months, *(m + "." for m in lex.months)})
    month = {"LOWER": {"IN": months}, "IS_TITLE": True, "TAG": {"NOT_IN": ["MD"]}}
    # A month on its own only by its full name ("June", not "Jan" nor the ambiguous "May").
    full_month = {"LOWER": {"IN": sorted(m for m in lex.months if len(m) > 3)}, "IS_TITLE": True}
    # Four digits (checked against ``YEAR_RE`` after matching: a regular expression per token is slow).
    year = {"SHAPE": "dddd"}
    units = sorted(lex.units)
    unit = {"LOWER": {"IN": sorted({*units, *(u + "s" for u in units)})}}
    # Durations also count in the longer and shorter units of the duration words ("three decades").
    span_unit = {"LEMMA": {"IN": sorted({*units, *lex.span_units})}}
    more: list[dict[str, Any]] = [
        {"LOWER": {"IN": sorted(lex.comparatives)}, "OP": "?"},
        {"LOWER": "than", "OP": "?"},
    ]
    which = {"LOWER": {"IN": sorted(lex.period_deictics)}}
    anchor = {"LOWER": {"IN": sorted({*lex.anchors, *lex.relative_anchors})}}
    weekdays = sorted(w for w in lex.weekdays if len(w) > 3)
    edges = {"LOWER": {"IN": sorted(lex.period_parts)}}
    matcher = Matcher(vocab)
    matcher.add(WEEKDAY_WORD, [[{"LOWER": {"IN": weekdays}}]])
    matcher.add(DECADE, [[{"LOWER": "the"}, {"SHAPE": {"IN": ["ddddx", "dddd'x"]}}]])
    matcher.add(
        YEAR,
        [
            [year],
            [year, {"ORTH": {"IN": ["-", "–", "/"]}}, year],
            [month, {"ORTH": ",", "OP": "?"}, year],
            [{"LOWER": "the"}, edges, {"LOWER": "of"}, {**which, "OP": "?"}, year],
            [{"LOWER": "the"}, edges, {"LOWER": "of"}, month, {**year, "OP": "?"}],
        ],
    )
    matcher.add(
        DATE,
        [
            [month, {"LOWER": "of", "OP": "?"}, which, {"LOWER": "year"}],
            [full_month],
            [{"LOWER": "the"}, anchor, {"LIKE_NUM": True, "OP": "?"}, {"LOWER": {"IN": units}}],
            [{"LOWER": {"IN": sorted(lex.weekday_edges)}}, {"LOWER": {"IN": weekdays}}],
            # Durations, ages, frequencies and decades: not points in time, but told apart from them.
            [*more, {"LIKE_NUM": True}, span_unit],
            [*more, {"LOWER": {"IN": sorted(QUANTIFIERS)}}, span_unit],
            [{"LIKE_NUM": True}, {"ORTH": "-"}, unit, {"ORTH": "-", "OP": "?"}, {"LOWER": "old", "OP": "?"}],
            [{"LOWER": {"IN": sorted(lex.each_words)}}, unit],
        ],
    )
    return matcher


def _a_count(span: Span) -> bool:
    """A number that counts a plural noun ("1500 troops") is no year."""
    tok = span[0]
    return len(span) == 1 and tok.dep_ == "nummod" and tok.head.tag_ in ("NNS", "NNPS")


# -- people --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameWords:
    """What a run of proper nouns is checked against: knowledge-base forms by kind, titles, places."""

    person_forms: frozenset[str]
    other_forms: frozenset[str]
    title_words: frozenset[str]  # any word of a title: skipped where a run opens with it
    title_heads: frozenset[str]  # a title's last word: a run holding one names an office or body
    place_forms: frozenset[tuple[str, ...]]
    place_nouns: frozenset[str] = frozenset()  # "Oxford Street", "Junction City": a place's name
    first_names: frozenset[str] = frozenset()  # first words of the knowledge base's people
    honorifics: frozenset[str] = frozenset()  # "Mr", "Dr": before a name, not part of it


def _is_name_token(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and not tok.is_space and "\n" not in tok.text and tok.text[:1].isalpha()


def proper_noun_runs(doc: Doc) -> list[tuple[int, int]]:
    """Maximal runs of proper nouns inside one sentence and one line, joined by hyphens written without
    spaces ("Bashar al-Assad")."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        if not _is_name_token(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not doc[j].is_sent_start:
            if _is_name_token(doc[j]) and doc[j - 1].whitespace_ != "\n":
                j += 1
            elif _joined(doc, j):
                j += 2
            else:
                break
        while j > i and not doc[j - 1].text[:1].isupper():
            j -= 1  # a name ends on a capitalised word
        if j > i and doc[i].text[:1].isupper():
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


def _joined(doc: Doc, j: int) -> bool:
    """Token ``j`` joins the name before it to the next one without spaces ("al" "-" "Assad")."""
    tok = doc[j]
    return (
        tok.text in NAME_JOINERS
        and not doc[j - 1].whitespace_
        and not tok.whitespace_
        and j + 1 < len(doc)
        and _is_name_token(doc[j + 1])
        and not doc[j + 1].is_sent_start
    )


class EntityRecognizer:
    """Sets a parsed document's PERSON and DATE entities from the knowledge, the tagger and the parser."""

    def __init__(self, vocab: Vocab, words: NameWords, lex: DateLexicon) -> None:
        self.words = words
        self.dates = date_matcher(vocab, lex)
        self.labels = {vocab.strings[k]: k for k in (DATE, YEAR, DECADE, WEEKDAY_WORD)}

    @staticmethod
    def _date_ok(kind: str, span: Span) -> bool:
        """Token patterns match a shape; the year and decade patterns are checked on the text here."""
        from kronika.dates.expressions import YEAR_RE

        if kind == YEAR:
            return all(t.shape_ != "dddd" or YEAR_RE.match(t.text) for t in span) and not _a_count(span)
        if kind == DECADE:
            return YEAR_RE.match(span[-1].text[:4]) is not None
        return True

    def recognize(self, doc: Doc, known: Iterable[tuple[int, int, bool]]) -> EntityIndex:
        """Set ``doc.ents``. ``known`` are the knowledge-base matches as (start, end, is a person)."""
        known = list(known)
        dates: list[Span] = []
        blocked = {i for s, e, person in known if not person for i in range(s, e)}
        for label, s, e in self.dates(doc):
            kind = self.labels[label]
            if kind == WEEKDAY_WORD:
                blocked.add(s)  # "Bloody Sunday" is no person
            elif self._date_ok(kind, doc[s:e]):
                dates.append(Span(doc, s, e, label=DATE))
                blocked.update(range(s, e))
        people = [Span(doc, s, e, label=PERSON) for s, e, person in known if person and e - s > 1]
        people += self._people_in_runs(doc, blocked)
        return set_entities(doc, [*filter_spans(people), *dates])

    def _people_in_runs(self, doc: Doc, blocked: set[int]) -> list[Span]:
        found: list[Span] = []
        seen: set[str] = set()  # words of the people named so far
        for start, end in proper_noun_runs(doc):
            for s, e in self._split(doc, start, end, blocked):
                s, titled = self._after_titles(doc, s, e)
                if s >= e or self._not_a_name(doc, s, e, blocked):
                    continue
                single = doc[s].text
                if e - s == 1 and not (titled or single in seen or single in self.words.person_forms):
                    continue
                found.append(Span(doc, s, e, label=PERSON))
                seen.update(t.text for t in doc[s:e] if t.is_alpha)
        return found

    def _split(self, doc: Doc, start: int, end: int, blocked: set[int]) -> list[tuple[int, int]]:
        """The parts of a run outside the knowledge base's other forms ("Russian Defense Ministry")."""
        parts: list[tuple[int, int]] = []
        titles_end, _ = self._after_titles(doc, start, end)
        if self._surname_like(doc, titles_end, end, blocked):
            return [(titles_end, end)]  # "Michael Jordan", "Chad Wolf": a person named like a country
        s = start
        for i in range(start, end + 1):
            if i == end or i in blocked:
                if i > s:
                    parts.append((s, i))
                s = i + 1
        return parts

    def _surname_like(self, doc: Doc, start: int, end: int, blocked: set[int]) -> bool:
        """Two names, one of them a word the knowledge base knows as something else: after a first name
        of its people ("Michael Jordan"), or before an unknown name with no article ("Chad Wolf", not
        "the Syria Crisis")."""
        if end - start != 2 or doc[start].text in NAME_JOINERS or doc[start + 1].text in NAME_JOINERS:
            return False
        first, last = start in blocked, start + 1 in blocked
        if last and not first:
            return doc[start].text in self.words.first_names
        after_article = start > 0 and doc[start - 1].dep_ in ("det", "poss")
        return first and not last and not after_article and not self._place(doc[start + 1])

    def _place(self, tok: Token) -> bool:
        return (tok.text,) in self.words.place_forms

    def _after_titles(self, doc: Doc, s: int, e: int) -> tuple[int, bool]:
        """Skip the titles opening a run ("President", "Major General"); and whether one stood before."""
        skipped = self.words.title_words | self.words.honorifics
        titled = s > 0 and doc[s - 1].lemma_.lower() in skipped
        while s < e and doc[s].lemma_.lower() in skipped:
            s, titled = s + 1, True
        while s < e and doc[s].text in NAME_JOINERS:
            s += 1
        return s, titled

    def _not_a_name(self, doc: Doc, s: int, e: int, blocked: set[int]) -> bool:
        """A place, a title word inside ("Defense Ministry"), or knowledge of something else."""
        words = tuple(t.text for t in doc[s:e])
        if words in self.words.place_forms or " ".join(words) in self.words.other_forms:
            return True
        if any(self._place(doc[i]) and i not in blocked for i in (s, e - 1)):
            return True  # "Boston Marathon", "Aleppo University": named after a place
        if doc[e - 1].tag_ == "NNPS":
            return True  # "Protection Units", "Forces": a body, not a person
        heads = self.words.title_heads | self.words.place_nouns
        return any(t.lemma_.lower() in heads for t in doc[s:e])


def name_words(
    person_forms: Iterable[str],
    other_forms: Iterable[str],
    titles: Iterable[tuple[str, ...]],
    place_forms: Iterable[tuple[str, ...]],
    place_nouns: Iterable[str] = (),
    honorifics: Iterable[str] = (),
    title_joiners: Iterable[str] = (),
) -> NameWords:
    """The ``NameWords`` of a knowledge base and gazetteer; ``title_joiners`` join the words of a title
    and are no title words themselves (``actors/groups.yaml``)."""
    titles = [t for t in titles if t]
    joiners = {w.lower() for w in title_joiners}
    person_forms = set(person_forms)
    first_names = {f.split()[0] for f in person_forms if " " in f and f[:1].isupper()}
    return NameWords(
        frozenset(person_forms),
        frozenset(other_forms),
        frozenset(w for t in titles for w in t if w.isalpha() and len(w) > 2 and w not in joiners),
        frozenset(t[-1] for t in titles if t[-1].isalpha()),
        frozenset(place_forms),
        frozenset(w.lower() for w in place_nouns),
        frozenset(first_names),
        frozenset(w.lower() for w in honorifics),
    )
