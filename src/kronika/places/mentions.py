"""Place gazetteer and place finder: where an event happened, and which country a place is in.

The gazetteer is built from the validated ``places/*.yaml`` entries of the ``Knowledge`` bundle (the
packaged ``data/`` first, then ``Settings.data_dirs`` / ``$KRONIKA_DATA``), plus the country names and
capitals of ``actors/countries.yaml``; the prepositions and nouns the rules read are in
``places/words.yaml``. ``find_places`` lists the place mentions of a parsed Doc;
``event_place`` picks the one where an event happened. The rules are described in ``docs/places.md``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kronika.config import Settings
from kronika.knowledge.bundle import load_knowledge
from kronika.knowledge.models import PLACE_KINDS, Country, PlaceEntryModel, PlaceWords
from kronika.records import EventPlace as Place  # a place mention is what an event record carries

if TYPE_CHECKING:
    from kronika.knowledge.bundle import Knowledge

log = logging.getLogger(__name__)

__all__ = ["PLACE_KINDS", "Gazetteer", "Place", "PlaceEntry", "event_place", "find_places", "load_gazetteer"]

KINDS = PLACE_KINDS | {"country", "capital"}


@dataclass(frozen=True)
class PlaceWordSets:
    """The word lists of ``places/words.yaml`` as sets (what each one does is said in the file)."""

    locative: frozenset[str]
    non_country: frozenset[str]
    ambiguous_ok: frozenset[str]  # the locative prepositions and the extra ones of the file
    location_nouns: frozenset[str]
    newspaper_words: frozenset[str]
    motion: frozenset[str]
    not_locative_to: frozenset[str]

    @classmethod
    def from_model(cls, words: PlaceWords) -> PlaceWordSets:
        locative = frozenset(words.locative)
        return cls(
            locative=locative,
            non_country=frozenset(words.non_country),
            ambiguous_ok=locative | frozenset(words.ambiguous_ok),
            location_nouns=frozenset(words.location_nouns),
            newspaper_words=frozenset(words.newspaper_words),
            motion=frozenset(words.motion),
            not_locative_to=frozenset(words.not_locative_to),
        )


# Dependencies that open a new clause: prepositional phrases below them belong to another event.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "parataxis", "csubj", "csubjpass", "xcomp", "pcomp"})
# Positions where a capital stands for its government ("Moscow accused Kyiv"), not for a place.
CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative", "poss", "attr", "appos"})

# Letters that NFKD does not decompose, for the ASCII spelling of a form.
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss"})


@dataclass(frozen=True)
class PlaceEntry:
    """One gazetteer entry: a canonical name and what it stands for."""

    name: str
    country: str
    kind: str
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()
    ambiguous: frozenset[str] = frozenset()  # forms accepted only after a locative preposition
    source: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Gazetteer:
    """All entries, and every written form (token tuple) mapped to the entry it names."""

    entries: list[PlaceEntry] = field(default_factory=list)
    # token tuple -> (entry, ambiguous)
    forms: dict[tuple[str, ...], tuple[PlaceEntry, bool]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> PlaceEntry | None:
        """The entry a form names, if any (the form as tokenised by spaCy's English tokenizer)."""
        found = self.forms.get(tuple(tokenize(text)))
        return found[0] if found else None

    @property
    def countries(self) -> set[str]:
        return {e.country for e in self.entries}


# -- loading -------------------------------------------------------------------------------------


COUNTRIES = "actors/countries.yaml"


def _country_entries(countries: Iterable[Country]) -> list[PlaceEntry]:
    out: list[PlaceEntry] = []
    for e in countries:
        out.append(PlaceEntry(e.name, e.code, "country", aliases=tuple(e.aliases), source=COUNTRIES))
        out.extend(PlaceEntry(cap, e.code, "capital", source=COUNTRIES) for cap in e.capitals)
    return out


def _place_entry(raw: PlaceEntryModel) -> PlaceEntry:
    name = raw.name.strip()
    aliases = tuple(a.strip() for a in raw.aliases if a.strip())
    if raw.ambiguous is True:
        ambiguous = frozenset((name, *aliases))
    elif isinstance(raw.ambiguous, list):
        ambiguous = frozenset(raw.ambiguous)
    else:
        ambiguous = frozenset()
    return PlaceEntry(
        name=name,
        country=raw.country,
        kind=raw.kind,
        lat=None if raw.lat is None else round(raw.lat, 4),
        lon=None if raw.lon is None else round(raw.lon, 4),
        aliases=aliases,
        ambiguous=ambiguous,
        source="places",
    )


def form_variants(form: str) -> list[str]:
    """The spellings matched for one written form.

    "The Hague" also as "the Hague" and "Hague"; curly and straight apostrophes; "St" and "St.";
    "Al-Bab" also as "al-Bab"; accented letters also without accents ("Goražde" → "Gorazde").
    """
    out = [form]
    low = form[:4].lower()
    if low == "the ":
        rest = form[4:]
        out += [rest, "the " + rest, "The " + rest]
    for v in list(out):
        out += _apostrophe_variants(v)
    for v in list(out):
        out += _prefix_variants(v)
    for v in list(out):
        folded = unicodedata.normalize("NFKD", v.translate(_FOLD))
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        out.append(folded)
    seen: dict[str, None] = {}
    for v in out:
        v = v.strip()
        if v:
            seen.setdefault(v, None)
    return list(seen)


def _apostrophe_variants(v: str) -> list[str]:
    """The form with curly apostrophes straightened and straight ones curled."""
    out = []
    if "'" in v:
        out.append(v.replace("'", "’"))
    if "’" in v:
        out.append(v.replace("’", "'"))
    return out


def _prefix_variants(v: str) -> list[str]:
    """ "St" for "St." and back; a lower-case Arabic article ("al-Bab" for "Al-Bab")."""
    out = []
    if v.startswith("St. "):
        out.append("St " + v[4:])
    elif v.startswith("St "):
        out.append("St. " + v[3:])
    for a, b in (("Al-", "al-"), ("Al ", "al "), ("El-", "el-"), ("Ad-", "ad-"), ("Ar-", "ar-")):
        if v.startswith(a):
            out.append(b + v[len(a) :])
    return out


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def tokenize(text: str) -> list[str]:
    """A form's tokens, as the gazetteer keys it (spaCy's English tokenizer)."""
    return [t.text for t in _tokenizer()(text)]


def build_gazetteer(knowledge: Knowledge) -> Gazetteer:
    """The gazetteer of the country names and capitals, then the places files, of a bundle.

    Each written form names one entry: a later non-ambiguous entry takes the form from an earlier one
    (places files after countries.yaml, user folders after the packaged one); an ambiguous form never
    takes a form that a non-ambiguous entry already has.
    """
    gaz = Gazetteer()
    places = [_place_entry(e) for e in knowledge.entries("places")]
    gaz.entries = _country_entries(knowledge.entries("countries")) + places
    for entry in gaz.entries:
        for form in entry.forms:
            amb = form in entry.ambiguous
            for variant in form_variants(form):
                key = tuple(tokenize(variant))
                old = gaz.forms.get(key)
                if old is not None and amb and not old[1]:
                    continue
                gaz.forms[key] = (entry, amb)
    log.debug("gazetteer: %d entries, %d forms", len(gaz.entries), len(gaz.forms))
    return gaz


def load_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer for these settings (the one on their ``Knowledge`` bundle)."""
    return load_knowledge(settings).gazetteer


# -- finding places ------------------------------------------------------------------------------


def build_matcher(gaz: Gazetteer, vocab: Vocab) -> PhraseMatcher:
    """A phrase matcher of every written form of the gazetteer, on token text."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    # Each form as the hashes of its words (what the matcher keeps of a pattern ``Doc``), without
    # making a lexeme for every word of the gazetteer.
    patterns = [tuple(vocab.strings.add(w) for w in k) for k in gaz.forms]
    matcher.add("PLACE", cast(Any, patterns))
    return matcher


def _after_preposition(doc: Doc | Span, start: int, preps: frozenset[str]) -> bool:
    """Whether one of ``preps`` stands right before ``start`` (a "the" may come between)."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in preps


def _after_place_noun(doc: Doc, start: int, nouns: frozenset[str]) -> bool:
    """Whether the form follows "the town of", "the city of" ... ("seized the town of Hit")."""
    return start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lemma_.lower() in nouns


def _inside_person(doc: Doc, start: int, end: int) -> bool:
    """Whether the match is part of a longer PERSON entity ("Michael Jordan", "Chad Wolf")."""
    if not any(doc[i].ent_type_ == "PERSON" for i in range(start, end)):
        return False
    if doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == "PERSON":
        return True
    return end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == "PERSON"


def find_places(
    doc: Doc, settings: Settings | None = None, knowledge: Knowledge | None = None
) -> list[Place]:
    """Every place mention in ``doc``, in text order.

    Forms are matched case-sensitively on token text; where matches overlap the longest wins
    ("Eastern Ghouta" over "Ghouta", "Jordan Valley" over "Jordan"). An ambiguous form counts only
    right after a locative preposition ("in Nice"). A match inside a longer PERSON entity is skipped
    ("Michael Jordan"), and so is a place name that begins a newspaper's name ("the Jerusalem Post");
    one inside another proper name is kept ("Aleppo University").
    """
    knowledge = knowledge or load_knowledge(settings)
    gaz, matcher, words = knowledge.gazetteer, knowledge.place_matcher(doc.vocab), knowledge.place_words
    found: list[tuple[int, int, PlaceEntry]] = []
    for _, start, end in matcher(doc):
        entry, amb = gaz.forms[tuple(t.text for t in doc[start:end])]
        after = _after_preposition(doc, start, words.ambiguous_ok)
        if amb and not (after or _after_place_noun(doc, start, words.location_nouns)):
            continue
        if _inside_person(doc, start, end):
            continue
        if end < len(doc) and doc[end].text in words.newspaper_words:
            continue
        found.append((start, end, entry))
    # Longest first; a leading "the" does not count ("the Golan Heights" is "Golan Heights", not "the Golan").
    found.sort(key=lambda m: (m[0] - m[1] + (doc[m[0]].lower_ == "the"), m[0]))
    taken: set[int] = set()
    kept: list[tuple[int, int, PlaceEntry]] = []
    for start, end, entry in found:
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        kept.append((start, end, entry))
    kept.sort(key=lambda m: m[0])
    out = []
    for start, end, entry in kept:
        last = doc[end - 1]
        out.append(
            Place(
                text=doc[start:end].text,
                name=entry.name,
                country=entry.country,
                kind=entry.kind,
                start=doc[start].idx,
                end=last.idx + len(last.text),
                lat=entry.lat,
                lon=entry.lon,
            )
        )
    return out


# -- the place of an event -----------------------------------------------------------------------


def _holder(root: Token, nouns: frozenset[str]) -> Token:
    """The noun phrase head that holds a place: "Basra" in "the Iraqi city of Basra" → "city"."""
    node = root
    for _ in range(5):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in ("conj", "appos"):
            node = head
        elif node.dep_ in ("compound", "amod", "nmod", "nn") and head.pos_ in ("NOUN", "PROPN"):
            node = head
        elif node.dep_ == "poss" and head.lemma_.lower() in nouns:
            node = head
        elif (
            node.dep_ == "pobj"
            and head.lower_ == "of"
            and head.head.pos_ in ("NOUN", "PROPN")
            and head.head.lemma_.lower() in nouns
        ):
            node = head.head
        else:
            break
    return node


def _clause_head(trigger: Token) -> Token:
    """The verb whose clause a trigger belongs to (a nominal trigger climbs to its verb)."""
    tok = trigger
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ in CLAUSE_DEPS or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _domain(trigger: Token) -> set[int]:
    """Tokens of the trigger's clause, without the clauses that hang below it."""
    head = _clause_head(trigger)
    ancestors_of_trigger = {a.i for a in trigger.ancestors} | {trigger.i}
    out: set[int] = set()
    stack = [head]
    while stack:
        tok = stack.pop()
        out.add(tok.i)
        for child in tok.children:
            clausal = child.dep_ in CLAUSE_DEPS or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
            if clausal and child.i not in ancestors_of_trigger:
                continue
            stack.append(child)
    return out


def _tree_distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    depth = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in depth:
            return n + depth[t.i]
    return 99


def _pp_choice(
    place: Place, span: Span, trigger: Token, domain: set[int], words: PlaceWordSets
) -> int | None:
    """Tree distance from the trigger to the phrase that puts the event in ``place``, or None."""
    node = _holder(span.root, words.location_nouns)
    head = node.head
    if node.dep_ == "dobj" and head == trigger and place.kind not in ("country", "capital"):
        return 1  # "rebels captured Palmyra"
    if node.dep_ != "pobj":
        return None
    prep = head.lower_
    anchor = head.head
    if anchor.i not in domain:
        return None
    if not _prep_admits(place, prep, anchor, trigger, words):
        return None
    return _tree_distance(trigger, anchor)


def _prep_admits(place: Place, prep: str, anchor: Token, trigger: Token, words: PlaceWordSets) -> bool:
    """Whether "``anchor`` ``prep`` ``place``" can put the trigger's event in the place."""
    country = place.kind == "country"
    if prep in words.locative:
        return True
    if prep in words.non_country:
        return _non_country_admits(place, prep, anchor, trigger, words)
    if prep == "from":
        return not (anchor != trigger and anchor != _clause_head(trigger))
    if prep == "of":
        return not (anchor != trigger or trigger.pos_ not in ("NOUN", "PROPN") or country)
    return False


def _non_country_admits(place: Place, prep: str, anchor: Token, trigger: Token, words: PlaceWordSets) -> bool:
    """A preposition that places an event in a city or region but not in a country ("on", "to")."""
    if place.kind == "country" or (prep == "to" and anchor.lower_ in words.not_locative_to):
        return False
    if place.kind == "capital":
        # "strikes on Kyiv", "flew to Moscow" -- but not "imposed sanctions on Moscow"
        nominal = anchor == trigger and trigger.pos_ in ("NOUN", "PROPN")
        if prep in ("to", "toward", "towards", "via"):
            if anchor.lemma_.lower() not in words.motion:
                return False
        elif not nominal:
            return False
    return True


def _fallback_ok(place: Place, span: Span, words: PlaceWordSets) -> bool:
    """Whether a mention outside the trigger's phrases may still be the event's place."""
    locative = words.locative
    node = _holder(span.root, words.location_nouns)
    if place.kind == "country":
        doc = span.doc
        return _after_preposition(doc, span.start, locative) or (
            node.dep_ == "pobj" and node.head.lower_ in locative
        )
    if place.kind == "capital":
        if node.dep_ == "pobj":
            return node.head.lower_ in locative
        return node.dep_ not in CORE_DEPS
    return True


def _home_town(span: Span) -> bool:
    """ "Dean Evans, a dairy farmer from Reading", "an ex-Royal Marine from Barnsley, South Yorkshire":
    the place a person comes from, not where the event happens."""
    tok = span.root
    for _ in range(3):
        if tok.dep_ == "pobj" and tok.head.lower_ == "from" and tok.head.head.pos_ in ("NOUN", "PROPN"):
            return True
        if tok.dep_ not in ("appos", "conj", "compound") or tok.head is tok:
            return False
        tok = tok.head
    return False


def event_place(
    sent_span: Span, trigger_token: Token, places: Sequence[Place], words: PlaceWordSets | None = None
) -> Place | None:
    """The place where the event of ``trigger_token`` happened, or None.

    1. A place in a locative prepositional phrase attached to the trigger, to its clause or to the
       nouns of that clause ("fighting in Syria", "air strikes on Aleppo", "a bomb exploded in the
       Iraqi city of Basra", "withdrew from Syria"), or a city/region that is the trigger's direct
       object ("captured Palmyra"); the one nearest to the trigger in the dependency tree first.
    2. Otherwise the one place mentioned in the sentence, if there is exactly one. Countries count
       here only after a locative preposition; capitals, which often stand for their governments,
       only after a locative preposition or outside subject and object positions ("Moscow accused
       Kyiv" has no place).

    A country or capital that is an argument of the event ("Russia attacked Turkey", "imposed
    sanctions on Moscow") is not its place. ``words`` are the place words of the coder's knowledge
    (those of the current settings when None).
    """
    words = words or load_knowledge().place_words
    doc = sent_span.doc
    lo, hi = sent_span.start_char, sent_span.end_char
    mentions: list[tuple[Place, Span]] = []
    # ``places`` is in text order (``find_places``): only the sentence's stretch is looked at.
    first = bisect.bisect_left(places, lo, key=lambda p: p.start)
    for p in itertools.takewhile(lambda p: p.start < hi, places[first:]):
        if p.end <= hi:
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None and not _home_town(span):
                mentions.append((p, span))
    if not mentions:
        return None
    trigger = trigger_token
    domain = _domain(trigger)
    ranked = []
    for p, span in mentions:
        dist = _pp_choice(p, span, trigger, domain, words)
        if dist is not None:
            ranked.append((dist, p.kind == "country", abs(span.root.i - trigger.i), p))
    if ranked:
        ranked.sort(key=lambda r: r[:3])
        return ranked[0][3]
    rest = [(p, span) for p, span in mentions if _fallback_ok(p, span, words)]
    if len({(p.name, p.country) for p, _ in rest}) == 1:
        return min(rest, key=lambda m: abs(m[1].root.i - trigger.i))[0]
    return None
