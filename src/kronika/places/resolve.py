"""Toponym resolution: every place a document names, resolved to a gazetteer entry.

Toponyms are spaCy's GPE and LOC entities (FAC ones when the gazetteer knows them) and the matches of
the hand-written gazetteer (``places/*.yaml``, which also overrides: a form it lists is resolved in
the country it gives). Each toponym is resolved once per document (one sense per document) by
ranking its candidates on population, feature class (countries and continents before towns of the
same name, a town before the province it names), the countries the document already names (the one
it names most above all), the towns, counties and subdivisions it names (a town near them, a county
in them), the publication's country (its web domain), containment ("Aleppo province", "Deir ez-Zor,
Syria", "London, Ontario") and the hand gazetteer's country and kind; the context is read from each
name's best sense alone, then again from the senses chosen. A toponym that cannot be resolved keeps its text
and offsets with no coordinates; it never stops the rest of the document.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from kronika.places.gazetteer import REGION_FEATURES, GeoIndex, GeoPlace, distance_km, fold, open_index
from kronika.places.mentions import find_places

if TYPE_CHECKING:
    from kronika.config import Settings
    from kronika.dates.lexicon import DateLexicon
    from kronika.document import Document
    from kronika.knowledge.bundle import Knowledge
    from kronika.places.mentions import Place, PlaceEntry

log = logging.getLogger(__name__)

__all__ = ["Toponym", "find_toponyms", "recognize", "resolve_spans"]

ENTITY_LABELS = ("GPE", "LOC")
_TRIM_START = re.compile(r"^(?:the|The)\s+")
_TRIM_END = re.compile(r"(?:'s|’s|')$")

FEATURE_BONUS = {
    "country": 6.0,
    "continent": 6.0,
    "admin1": -0.5,
    "admin2": -1.5,
    "city": 0.0,
    **{kind: 6.0 for kind in REGION_FEATURES},  # an ocean or a region before a town called after it
}
CONTEXT_BONUS = 2.5
CONTAINMENT_BONUS = 10.0
ADMIN_CONTEXT_BONUS = 2.0
SIBLING_BONUS = 4.0
KIND_BONUS = 5.0
HAND_COUNTRY_BONUS = 2.0
HOME_BONUS = 3.5
OWN_NAME_BONUS = 1.5  # the place's own name, not one of its other names ("Missouri" names Bozeman too)
LONE_ADMIN_BONUS = 1.0  # a subdivision no town of the same name lies in: "Oregon" the state
NEARBY_BONUS = 2.0  # a town or county near the other places the document names
NEARBY_KM = 120.0
CONTEXT_ROUNDS = 2  # readings of the document's context: from the names alone, then from the senses chosen
MAIN_COUNTRY_BONUS = 1.5  # the country the document names most


@dataclass
class Toponym:
    """A place named in a text, resolved to a gazetteer entry when one fits."""

    text: str
    start: int
    end: int
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    # continent | country | admin1 | admin2 | city | ocean | sea | lake | region | place (hand gazetteer only)
    feature: str | None = None
    doc_id: str | None = None
    kind: str | None = field(default=None, repr=False)  # hand gazetteer kind, when it named the place

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("kind")
        return {"doc_id": d.pop("doc_id"), **d}


# -- recognition ---------------------------------------------------------------------------------


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Character offsets of an entity without a leading "the" and a trailing possessive."""
    m = _TRIM_START.match(text[start:end])
    if m:
        start += m.end()
    tail = _TRIM_END.search(text[start:end])
    if tail and end - tail.start() - start > 0:
        end = start + tail.start()
    return start, end


def _entity_spans(doc: Doc, index: GeoIndex | None, text: str | None = None) -> list[tuple[int, int]]:
    """spaCy's GPE/LOC entities and the FAC ones the gazetteer knows, trimmed (``text`` is
    ``doc.text``, which spaCy builds anew on each access)."""
    spans = []
    text = doc.text if text is None else text
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS or (
            ent.label_ == "FAC" and index is not None and index.candidates(ent.text)
        ):
            s, e = _trim(text, ent.start_char, ent.end_char)
            if e > s:
                spans.append((s, e))
    return spans


def _gazetteer_spans(
    doc: Doc, index: GeoIndex | None, text: str, dates: DateLexicon
) -> list[tuple[int, int]]:
    """Runs of proper nouns that are no person and no date and that the gazetteer knows as a place
    ("Raqqa", "Rue Victor Hugo" stays out, "Lyon"): the toponyms when no NER component tags places."""
    if index is None:
        return []
    from kronika.entities import proper_noun_runs

    spans = []
    for start, end in proper_noun_runs(doc):
        s, e = _trim(text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        run = doc.char_span(s, e, alignment_mode="expand") if e > s else None
        if run is None or any(t.ent_type_ in ("PERSON", "DATE") for t in run):
            continue
        if _a_place_name(run, index.candidates(text[s:e]), dates):
            spans.append((s, e))
    return spans


SINGLE_WORD_POPULATION = 5000  # a one-word name is a place only if a place of that name is this big


def _a_place_name(run: Span, candidates: Sequence[GeoPlace], dates: DateLexicon) -> bool:
    """Whether a run of proper nouns names a place: the gazetteer knows it, and a single word is no
    acronym ("BA", "CIA"), no day or month, and names a country, a region or a town of some size (not
    the hamlets called "Law" or "Central")."""
    if not candidates:
        return False
    if len(run) > 1:
        return True
    word = run[0]
    calendar = dates.month_number(word.text) is not None or dates.weekday_number(word.text) is not None
    if (word.is_upper and len(word.text) <= 5) or word.like_num or calendar:
        return False
    return any(c.feature != "city" or c.population >= SINGLE_WORD_POPULATION for c in candidates)


def _merge(first: Iterable[tuple[int, int]], then: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``first``, and those of ``then`` that overlap none of them, in text order."""
    spans = list(first)
    kept = list(spans)
    for s, e in then:
        if not any(a < e and s < b for a, b in spans):
            kept.append((s, e))
    return sorted(set(kept))


def recognize(doc: Doc, knowledge: Knowledge, index: GeoIndex | None = None) -> list[tuple[int, int]]:
    """Character spans of the toponyms of ``doc``, in text order.

    spaCy's GPE/LOC entities, its FAC entities the gazetteer knows, the hand gazetteer's matches
    that no entity overlaps, and the runs of proper nouns the gazetteer knows that none of those
    overlaps (the pipeline tags people and dates, not places).
    """
    text = doc.text
    hand = [(p.start, p.end) for p in find_places(doc, knowledge=knowledge)]
    tagged = _merge(_entity_spans(doc, index, text), hand + dateline_spans(text))
    return _merge(tagged, _gazetteer_spans(doc, index, text, knowledge.dates))


# -- resolution ----------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    key: str
    hand: PlaceEntry | None
    kind_word: str | None  # "admin" or "city": what a kind word with the name says ("Idlib province")
    within: str | None  # the name after a comma ("Deir ez-Zor, Syria" → "Syria")
    query: str = ""  # the name looked up, when it is not the text ("Kentucky" for "Ky.")
    holds: str | None = None  # the name before it and a comma ("Atlanta, Georgia" → "Atlanta" for Georgia)


def _next_words(text: str, end: int, kinds: dict[str, str]) -> tuple[str | None, str | None]:
    """The kind ("admin" or "city") of a kind word right after a name, and the name after a comma."""
    rest = text[end : end + 60]
    m = re.match(r"\s+([A-Za-z]+)", rest)
    kind = kinds.get(m.group(1).lower()) if m else None
    c = re.match(r",\s+((?:[A-Z][\w.'’-]*)(?:\s+[A-Z][\w.'’-]*){0,3})", rest)
    within = c.group(1) if c else None
    if within and within.endswith(".") and within.count(".") == 1:
        within = within if len(within) <= 6 else within[:-1]  # "Ky." keeps its dot; a sentence's goes
    return kind, within


def _strip_kind(text: str, kinds: dict[str, str]) -> tuple[str, str | None]:
    """ "Aleppo province" → ("Aleppo", "admin"); "the city of Homs" → ("Homs", "city")."""
    words = text.split()
    if len(words) > 1 and words[-1].lower() in kinds:
        return " ".join(words[:-1]), kinds[words[-1].lower()]
    if len(words) > 2 and words[0].lower() in kinds and words[1].lower() == "of":
        return " ".join(words[2:]), kinds[words[0].lower()]
    return text, None


def kind_words(knowledge: Knowledge) -> dict[str, str]:
    """The kind words of ``places/words.yaml``: word → "admin" or "city"."""
    words = knowledge.document("place_words")
    return {
        **{w.lower(): "admin" for w in words.admin_words},
        **{w.lower(): "city" for w in words.city_words},
    }


@dataclass
class _Context:
    index: GeoIndex
    gazetteer: Any
    countries: dict[str, GeoPlace]
    demonyms: dict[str, str]
    abbreviations: dict[str, str]
    kinds: dict[str, str]
    continents: dict[str, str]
    weights: Counter[str] = field(default_factory=Counter)
    admins: Counter[str] = field(default_factory=Counter)
    home: str | None = None  # the publication's country
    mains: dict[str, str | None] = field(default_factory=dict)  # the main country without each name
    admin_countries: Counter[str] = field(default_factory=Counter)  # countries of the subdivisions named
    own: dict[str, Counter[str]] = field(default_factory=dict)  # each name's share of ``weights``
    admins_own: Counter[tuple[str, str]] = field(default_factory=Counter)  # (subdivision, name naming it)
    anchors: list[tuple[str, GeoPlace]] = field(default_factory=list)  # towns and counties as first read
    parts: AbstractSet[str] = frozenset()  # "North", "Greater": a part of the place named after them
    sites: AbstractSet[str] = frozenset()  # "Airport", "Gallery": a site named after the place before them
    regions: dict[str, GeoPlace] = field(default_factory=dict)  # oceans, seas, regions by folded name


def _hand_entry(ctx: _Context, text: str) -> PlaceEntry | None:
    try:
        return ctx.gazetteer.lookup(text)  # type: ignore[no-any-return]
    except Exception:  # a form the tokenizer cannot key: no hand entry
        return None


def _country_candidates(ctx: _Context, m: _Mention, code: str) -> list[GeoPlace]:
    """A country's entry; or, for a name the actor knowledge counts as the country but that names a
    part of it ("England", "Gibraltar"), that part, when the gazetteer knows it."""
    country = ctx.countries.get(code)
    found = ctx.index.candidates(m.text)
    named = [c for c in found if c.country == code]
    if country is not None and (not named or any(c.feature == "country" for c in named)):
        # a state of another country may share the name ("Georgia"): the document decides
        return [country, *(c for c in found if c.feature == "admin1" and c.country != code)]
    return named


def _candidates(ctx: _Context, m: _Mention) -> list[GeoPlace]:
    continent = ctx.continents.get(m.text)
    if continent:
        return [c for c in ctx.index.candidates(continent) if c.feature == "continent"][:1]
    if m.text in ctx.demonyms:
        country = ctx.countries.get(ctx.demonyms[m.text])
        return [country] if country else []
    region = ctx.regions.get(m.key) if m.hand is None else None
    if region is not None:  # "Pacific" the ocean; a country or a subdivision of the name keeps its sense
        areas = ctx.index.candidates(m.query or m.text)
        return [region, *(c for c in areas if c.feature in ("continent", "country", "admin1"))]
    if m.hand is not None and m.hand.kind == "country":
        return _country_candidates(ctx, m, m.hand.country)
    cands = list(ctx.index.candidates(m.query or m.text))
    if not cands and m.key != fold(m.query or m.text):
        cands = list(ctx.index.candidates(m.key))
    hand = m.hand
    if hand is not None and hand.lat is not None and not any(c.country == hand.country for c in cands):
        return []  # "Siberia" is the hand gazetteer's region of Russia, not a namesake village elsewhere
    return cands or (_part_candidates(ctx, m.text) if hand is None else [])


def _known(ctx: _Context, name: str) -> list[GeoPlace]:
    """The places whose own name is ``name``, when one is an area or a town of some size (not a
    hamlet or a place that has it only as another name)."""
    key = fold(name)
    cands = [c for c in ctx.index.candidates(name) if fold(c.name) == key]
    if any(c.feature != "city" or c.population >= SINGLE_WORD_POPULATION for c in cands):
        return cands
    return []


def _part_candidates(ctx: _Context, text: str) -> list[GeoPlace]:
    """The places a name the gazetteer does not know lies in: the place whose part it names ("North
    London", "Greater Toronto Area") or the place a site is named after ("Vancouver Art Gallery",
    "Da Nang International Airport", "Salinas Valley")."""
    words = text.split()
    if len(words) > 1 and words[0] in ctx.parts:
        rest = " ".join(words[1:])
        return _known(ctx, rest) or _part_candidates(ctx, rest)
    words = re.split(r"[\s-]+", text)
    if len(words) > 1 and words[-1] in ctx.sites:
        for n in range(len(words) - 1, 0, -1):
            found = _known(ctx, " ".join(words[:n]))
            if found:
                return found
    return []


def _score(
    c: GeoPlace, m: _Mention, ctx: _Context, within: set[str], capitals: AbstractSet[str] = frozenset()
) -> float:
    """How likely ``c`` is the place ``m`` names: prior, document context, containment, the text.

    ``capitals`` are the subdivisions that hold a town of the same name ("Aleppo" in Aleppo)."""
    s = _prior(c, m, capitals)
    return s + _context_score(c, m, ctx) + _containment_score(c, m, ctx, within) + _text_score(c, m)


def _prior(c: GeoPlace, m: _Mention, capitals: AbstractSet[str]) -> float:
    """Population, feature class and whether the name is the place's own."""
    s = math.log10(c.population + 10) + FEATURE_BONUS[c.feature] + OWN_NAME_BONUS * (fold(c.name) == m.key)
    if c.feature == "admin1" and fold(c.name) not in capitals:
        s += LONE_ADMIN_BONUS
    return s


def _context_score(c: GeoPlace, m: _Mention, ctx: _Context) -> float:
    """The countries and subdivisions the rest of the document names, and the publication's country."""
    s = 0.0
    own = ctx.own.get(m.key)
    weight = ctx.weights[c.country] - (own[c.country] if own else 0) if c.country else 0
    if weight > 0:
        s += CONTEXT_BONUS * min(1.0, weight / 2)
    if c.country and weight > 0 and c.country == _main_country(ctx, m.key):
        s += MAIN_COUNTRY_BONUS
    if ctx.home and c.country == ctx.home:
        s += HOME_BONUS
    if c.feature in ("city", "admin2") and c.admin1 and _admin_named(ctx, fold(c.admin1), m.key):
        s += ADMIN_CONTEXT_BONUS
    if _nearby(c, m, ctx):
        s += NEARBY_BONUS
    siblings = ctx.admin_countries[c.country or ""] - ctx.admins[fold(c.name)]
    if c.feature == "admin1" and siblings > 0 and m.hand is not None and m.hand.kind == "country":
        s += SIBLING_BONUS  # "Georgia" among "Florida" and "Alabama" is the state
    return s


def _containment_score(c: GeoPlace, m: _Mention, ctx: _Context, within: set[str]) -> float:
    """ "Deir ez-Zor, Syria": the town in Syria; "Atlanta, Georgia": the state that holds Atlanta."""
    s = 0.0
    if within and ({fold(c.admin1 or ""), c.country or ""} & within):
        s += CONTAINMENT_BONUS
    if m.holds and c.feature in ("admin1", "country") and _holds(ctx, m.holds, c):
        s += CONTAINMENT_BONUS
    return s


def _text_score(c: GeoPlace, m: _Mention) -> float:
    """The kind word written with the name ("Idlib province") and the hand gazetteer's entry."""
    s = 0.0
    if (m.kind_word, c.feature) in (("admin", "admin1"), ("admin", "admin2"), ("city", "city")):
        s += KIND_BONUS
    if m.hand is not None:
        s += HAND_COUNTRY_BONUS * (c.country == m.hand.country)
        if m.hand.kind in ("capital", "city", "town") and c.feature == "city":
            s += HAND_COUNTRY_BONUS  # "Washington" the capital, not the state
        elif m.hand.kind == "province" and c.feature == "admin1":
            s += HAND_COUNTRY_BONUS  # "Quebec" the province, not its capital
    return s


def _admin_named(ctx: _Context, admin1: str, key: str) -> bool:
    """Whether the document names the subdivision ``admin1`` by another name than ``key``."""
    return ctx.admins[admin1] - ctx.admins_own[(admin1, key)] > 0


def _nearby(c: GeoPlace, m: _Mention, ctx: _Context) -> bool:
    """Whether another town or county the document names (as first read) lies near ``c`` (a town or
    county) or in it (a first-level subdivision)."""
    others = [p for key, p in ctx.anchors if key != m.key]
    if c.feature == "admin1":
        name = fold(c.name)
        return any(p.country == c.country and fold(p.admin1 or "") == name for p in others)
    if c.feature not in ("city", "admin2"):
        return False
    reach = NEARBY_KM / 111.0
    return any(
        abs(p.lat - c.lat) < reach and distance_km(p.lat, p.lon, c.lat, c.lon) <= NEARBY_KM for p in others
    )


def _holds(ctx: _Context, name: str, area: GeoPlace) -> bool:
    """Whether a place called ``name`` lies in ``area`` (a subdivision or a country)."""
    for c in ctx.index.candidates(name)[:10]:
        if c.feature == "city" and c.country == area.country:
            if area.feature == "country" or fold(c.admin1 or "") == fold(area.name):
                return True
    return False


def _within(ctx: _Context, m: _Mention, cands: Sequence[GeoPlace] = ()) -> set[str]:
    """Keys an enclosing name can match: its folded name and the country codes it may be; none in a
    list of states or countries ("Illinois, Missouri"), where the name after the comma holds nothing."""
    if not m.within:
        return set()
    if _an_area(cands, m.key) and _an_area(ctx.index.candidates(m.within), fold(m.within)):
        return set()
    name, _, country = ctx.abbreviations.get(m.within, m.within).partition(", ")
    out = {fold(name)}
    if country:
        out.update(c.country for c in ctx.index.candidates(country)[:1] if c.country)
    hand = _hand_entry(ctx, m.within)
    if hand is not None and hand.kind == "country":
        out.add(hand.country)
    out.update(c.country for c in ctx.index.candidates(name)[:3] if c.feature == "country" and c.country)
    return out


def _an_area(cands: Sequence[GeoPlace], key: str) -> bool:
    """Whether the most likely place of this name is a country or a first-level subdivision."""
    own = [c for c in cands if fold(c.name) == key] or list(cands)
    best = max(own, key=lambda c: c.population, default=None)
    return best is not None and best.feature in ("country", "admin1")


def _choose(ctx: _Context, m: _Mention) -> GeoPlace | None:
    cands = _candidates(ctx, m)
    if not cands:
        return None
    within = _within(ctx, m, cands)
    capitals = {fold(c.admin1) for c in cands if c.feature == "city" and c.admin1 and fold(c.name) == m.key}
    return max(cands, key=lambda c: _score(c, m, ctx, within, capitals))


def _nearest_admin1(ctx: _Context, country: str, lat: float, lon: float) -> str | None:
    subs = ctx.index.admin1_of(country)
    if not subs:
        return None
    return min(subs, key=lambda s: distance_km(lat, lon, s.lat, s.lon)).name


def _toponym(ctx: _Context, m: _Mention, place: GeoPlace | None, doc_id: str | None = None) -> Toponym:
    t = Toponym(text=m.text, start=m.start, end=m.end, kind=m.hand.kind if m.hand else None, doc_id=doc_id)
    if place is not None:
        t.name, t.geonameid, t.country, t.admin1 = place.name, place.geonameid, place.country, place.admin1
        t.lat, t.lon, t.feature = round(place.lat, 5), round(place.lon, 5), place.feature
    elif m.hand is not None:  # a place only the hand gazetteer knows
        h = m.hand
        t.name, t.country, t.lat, t.lon, t.feature = h.name, h.country, h.lat, h.lon, "place"
        if h.lat is not None and h.lon is not None:
            t.admin1 = _nearest_admin1(ctx, h.country, h.lat, h.lon)
    return t


def _mention(ctx: _Context, text: str, start: int, end: int) -> _Mention:
    surface = text[start:end]
    after_kind, within = _next_words(text, end, ctx.kinds)
    if surface in ctx.abbreviations:  # "Ky." is Kentucky; "Ga." Georgia in the United States
        name, _, country = ctx.abbreviations[surface].partition(", ")
        return _Mention(start, end, surface, fold(name), None, "admin", country or within, name)
    core, kind = _strip_kind(surface, ctx.kinds)
    if kind and ctx.index.candidates(surface):  # "Mexico City", "Quebec City" are names of their own
        core, kind = surface, None
    hand = _hand_entry(ctx, surface) or (_hand_entry(ctx, core) if core != surface else None)
    if hand is None and surface.isupper() and len(surface) > 3:  # a dateline's "WASHINGTON"
        hand = _hand_entry(ctx, surface.title())
    return _Mention(start, end, surface, fold(core), hand, kind or after_kind, within)


def regions(knowledge: Knowledge) -> dict[str, GeoPlace]:
    """The oceans, seas, lakes and regions of ``places/regions.yaml`` by folded name and alias."""
    cached = getattr(knowledge, "_place_regions", None)
    if cached is None:
        cached = {}
        for r in knowledge.entries("regions"):
            place = GeoPlace(-1, None, r.name, r.kind, None, None, r.lat, r.lon, 0)
            for form in (r.name, *r.aliases):
                cached[fold(form)] = place
        knowledge._place_regions = cached  # type: ignore[attr-defined]
    return cached


def demonyms(knowledge: Knowledge) -> dict[str, str]:
    """Country demonyms as written ("Syrian", "Syrians") → the country's alpha-3 code."""
    cached = getattr(knowledge, "_place_demonyms", None)
    if cached is None:
        cached = {d: c.code for c in knowledge.entries("countries") for d in c.demonyms}
        knowledge._place_demonyms = cached  # type: ignore[attr-defined]
    return cached


def _abbreviations(words: dict[str, str]) -> dict[str, str]:
    """The abbreviations of ``places/words.yaml``, and those that end with their only dot without it
    ("Ky" as "Ky.")."""
    bare = {k[:-1]: v for k, v in words.items() if k.endswith(".") and k.count(".") == 1}
    return {**bare, **words}


def _tld_country(ctx: _Context, url: str | None) -> str | None:
    """The country of a publication's web domain (".ca" → CAN), if it has a country domain."""
    m = re.match(r"(?:https?://)?([^/\s:]+)", (url or "").strip())
    if not m:
        return None
    tld = m.group(1).rsplit(".", 1)[-1].lower()
    return ctx.index.tld_country(tld)


def resolve_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    knowledge: Knowledge,
    index: GeoIndex | None = None,
    url: str | None = None,
    doc_id: str | None = None,
) -> list[Toponym]:
    """Resolve the toponyms at ``spans`` (character offsets into ``text``) together, as one document."""
    index = open_index() if index is None else index
    words = knowledge.document("place_words")
    ctx = _Context(
        index,
        knowledge.gazetteer,
        index.country_map(),
        demonyms(knowledge),
        _abbreviations(words.abbreviations),
        kind_words(knowledge),
        words.continent_adjectives,
        parts=frozenset(words.part_words),
        sites=frozenset(words.site_words),
        regions=regions(knowledge),
    )
    mentions = [_mention(ctx, text, s, e) for s, e in spans]
    for before, m in zip(mentions, mentions[1:], strict=False):
        if re.fullmatch(r",\s*", text[before.end : m.start]):
            m.holds = before.query or before.text
    _read_context(ctx, mentions, {m.key: _choose(ctx, m) for m in mentions})  # what the text is about
    ctx.home = _tld_country(ctx, url)
    senses = _senses(ctx, mentions)
    for _ in range(CONTEXT_ROUNDS - 1):  # the context of the senses chosen, read again
        read: dict[str, GeoPlace | None] = {}
        for m, p in zip(mentions, senses, strict=True):
            read.setdefault(m.key, p)
        _read_context(ctx, mentions, read)
        senses = _senses(ctx, mentions)
    return [_toponym(ctx, m, place, doc_id) for m, place in zip(mentions, senses, strict=True)]


def _read_context(ctx: _Context, mentions: list[_Mention], senses: dict[str, GeoPlace | None]) -> None:
    """The countries, subdivisions and towns the document names, read from a sense of each name."""
    ctx.weights, ctx.own, ctx.mains = Counter(), {}, {}
    ctx.admins, ctx.admins_own, ctx.admin_countries = Counter(), Counter(), Counter()
    for m in mentions:
        p = senses.get(m.key)
        if p is not None and p.country:
            w = 2 if p.feature == "country" else 1
            ctx.weights[p.country] += w
            ctx.own.setdefault(m.key, Counter())[p.country] += w
        if p is not None and p.feature == "admin1":
            ctx.admins[fold(p.name)] += 1
            ctx.admins_own[(fold(p.name), m.key)] += 1
            ctx.admin_countries[p.country or ""] += 1
    ctx.anchors = [(k, p) for k, p in senses.items() if p is not None and p.feature in ("city", "admin2")]


def _main_country(ctx: _Context, key: str) -> str | None:
    """The country the rest of the document (without the name ``key``) names most, when it names it
    at least twice and more than any other."""
    if key not in ctx.mains:
        weights = ctx.weights - ctx.own.get(key, Counter())
        top = weights.most_common(2)
        main = top[0][0] if top and top[0][1] >= 2 and (len(top) < 2 or top[1][1] < top[0][1]) else None
        ctx.mains[key] = main
    return ctx.mains[key]


def _senses(ctx: _Context, mentions: list[_Mention]) -> list[GeoPlace | None]:
    """One sense per document: a name is resolved once, and a mention that says where it lies
    ("Paris, Texas") decides for the others of the same name."""
    chosen: dict[tuple[str, str | None], GeoPlace | None] = {}
    for m in sorted(mentions, key=lambda m: m.within is None):
        sense = (m.key, m.within)
        if sense not in chosen:
            fixed = chosen.get((m.key, "*"))
            chosen[sense] = fixed if m.within is None and fixed else _choose(ctx, m)
            if m.within is not None and chosen[sense] is not None:
                chosen.setdefault((m.key, "*"), chosen[sense])
    return [chosen[(m.key, m.within)] for m in mentions]


def resolve_doc(
    doc: Doc, knowledge: Knowledge, url: str | None = None, doc_id: str | None = None
) -> list[Toponym]:
    """Every toponym of a parsed document, resolved."""
    index = open_index()
    return resolve_spans(doc.text, recognize(doc, knowledge, index), knowledge, index, url, doc_id)


def enrich(places: Iterable[Place], toponyms: Sequence[Toponym]) -> None:
    """Give the event coder's place mentions the coordinates, GeoNames id and admin-1 of their toponym."""
    by_span = {(t.start, t.end): t for t in toponyms}
    for p in places:
        t = by_span.get((p.start, p.end))
        if t is None or t.lat is None or (p.country and t.country and t.country != p.country):
            continue  # the coder's place keeps its country: a town of another country is another place
        p.geonameid, p.admin1 = t.geonameid, t.admin1
        if p.lat is None or t.feature != "place":
            p.lat, p.lon = t.lat, t.lon


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """The place names of a dateline opening the text ("ALEPPO, Syria (Reuters) -" → ALEPPO, Syria)."""
    from kronika.read.pubdate import find_dateline

    lead = len(text) - len(text.lstrip())
    dl = find_dateline(text[lead : lead + 300])
    if dl is None:
        return []
    at = text.find(dl.place, lead)
    if at < 0:
        return []
    spans = []
    for part in re.finditer(r"[^,]+", dl.place):
        name = part.group(0).strip()
        if name and not name.isdigit():
            s = at + part.start() + part.group(0).index(name)
            spans.append((s, s + len(name)))
    return spans


def locate(doc: Doc, places: Sequence[Place], knowledge: Knowledge, url: str | None = None) -> list[Place]:
    """Resolve the coder's place mentions (the document's other toponyms and its dateline as
    context) and fill them in; returns them.

    A gazetteer that cannot be opened or a toponym that fails leaves the places as they were.
    """
    try:
        index = open_index()
        text = doc.text
        extra = _entity_spans(doc, index, text) + dateline_spans(text)
        toponyms = resolve_spans(
            text, _merge([(p.start, p.end) for p in places], extra), knowledge, index, url
        )
    except Exception:  # resolution never costs the document its events
        log.exception("place resolution failed")
        return list(places)
    enrich(places, toponyms)
    return list(places)


def place_documents(
    docs: Iterable[Document], settings: Settings | None = None
) -> Iterator[tuple[Document, list[Toponym]]]:
    """Every document's toponyms, resolved, in input order (documents not ``ok`` get none).

    A document whose resolution fails is marked ``failed`` with the reason; the others go on.
    """
    from kronika.config import get_settings
    from kronika.knowledge.bundle import load_knowledge
    from kronika.nlp import load_nlp

    settings = settings or get_settings()
    knowledge = load_knowledge(settings)
    nlp = load_nlp(settings.spacy_model)
    pairs = ((d.text if d.ok else "", d) for d in docs)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=settings.batch_size):
        if not document.ok:
            yield document, []
            continue
        try:
            yield document, resolve_doc(doc, knowledge, document.url, document.doc_id)
        except Exception as exc:  # one bad document never sinks the batch
            log.exception("place resolution failed for %s", document.doc_id)
            document.status, document.reason = "failed", f"place resolution error: {exc}"
            yield document, []


def find_toponyms(
    text: str, settings: Settings | None = None, url: str | None = None
) -> list[dict[str, Any]]:
    """Every place ``text`` names, resolved: ``{doc_id, text, start, end, name, geonameid, country,
    admin1, lat, lon, feature}`` each, offsets into ``text``."""
    from kronika.document import Document

    doc = Document(doc_id="text", text=text, pub_date=None, url=url)
    return [t.to_dict() for _, found in place_documents([doc], settings) for t in found]
