"""Place gazetteer and place finder: where an event happened, and which country a place is in.

The gazetteer is read from YAML files: every ``places/*.yaml`` in each knowledge folder (the packaged
``data/`` first, then ``Settings.data_dirs`` / ``$KRONIKA_DATA``), plus the country names and capitals
of ``actors/countries.yaml`` (read only). ``find_places`` lists the place mentions of a parsed Doc;
``event_place`` picks the one where an event happened. The rules are described in ``docs/places.md``.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kronika.config import DEFAULT_SETTINGS, Settings
from kronika.records import EventPlace as Place  # a place mention is what an event record carries

log = logging.getLogger(__name__)

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Kinds a places file may use; "country" and "capital" come from actors/countries.yaml.
PLACE_KINDS = frozenset({"city", "town", "region", "province", "territory", "area"})
KINDS = PLACE_KINDS | {"country", "capital"}

# Prepositions that put the event inside or next to the place; a country after them is a place too.
LOCATIVE = frozenset(
    "in at near outside around inside across into throughout within along off through".split()
)
# Prepositions that name a place only for some triggers or only for places below the country level:
# "air strikes on Aleppo", "jets flew over Idlib", "travelled to Sochi", "withdrew from Syria",
# "the siege of Aleppo". "Talks on Syria" or "sold arms to Iran" do not make a country the place.
NON_COUNTRY = frozenset({"on", "over", "to", "toward", "towards", "via"})
# Prepositions after which an ambiguous form ("Nice", "Split", "Reading") is accepted as a place.
AMBIGUOUS_OK = LOCATIVE | {"to", "from", "via", "toward", "towards"}

# Nouns through which a place is lifted to the phrase that holds it: "in the Iraqi city of Basra",
# "on the outskirts of Aleppo", "in Syria's north".
LOCATION_NOUNS = frozenset(
    (
        "area base border camp capital center centre coast countryside county desert district "
        "east edge enclave environs governorate heart heartland highland hometown island mountain "
        "municipality neighborhood neighbourhood north northeast northwest oblast outskirt "
        "outskirts part peninsula port province region settlement south southeast southwest state "
        "street stronghold strip suburb suburbs territory town city valley vicinity village west"
    ).split()
)
# Dependencies that open a new clause: prepositional phrases below them belong to another event.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "parataxis", "csubj", "csubjpass", "xcomp", "pcomp"})
# Positions where a capital stands for its government ("Moscow accused Kyiv"), not for a place.
CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative", "poss", "attr", "appos"})

# Title words of newspapers named after a place ("the Jerusalem Post", "Tehran Times"): a place
# name followed by one of them is part of the paper's name, not a place mention.
NEWSPAPER_WORDS = frozenset(
    (
        "Chronicle Courier Daily Evening Gazette Globe Herald Independent Journal Mail Morning "
        "Observer Post Star Telegraph Times Tribune"
    ).split()
)
# Words after which "to" leads to where something happened even for a capital ("flew to Moscow"),
# where a capital would otherwise stand for its government ("sent a letter to Moscow").
MOTION = frozenset(
    (
        "arrive come deploy deployment drive flee flight fly go head journey march move relocate "
        "retreat return sail travel trip visit"
    ).split()
)
# Heads of "to" that make it no locative: "according to", "due to", "next to" ...
NOT_LOCATIVE_TO = frozenset({"according", "due", "thanks", "next", "close", "compared", "addition", "prior"})

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


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_LOADER) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of entries")
    return data


def _coord(value: Any, path: Path, name: str) -> float | None:
    if value is None:
        return None
    try:
        return round(float(value), 4)
    except (TypeError, ValueError):
        raise ValueError(f"{path}: {name}: coordinates must be numbers") from None


def _entry(raw: dict[str, Any], path: Path) -> PlaceEntry:
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: each entry must be a mapping, got {raw!r}")
    missing = [k for k in ("name", "country", "kind") if not raw.get(k)]
    if missing:
        raise ValueError(f"{path}: entry {raw!r} lacks {', '.join(missing)}")
    name = str(raw["name"]).strip()
    kind = str(raw["kind"]).strip()
    if kind not in PLACE_KINDS:
        raise ValueError(f"{path}: {name}: kind must be one of {sorted(PLACE_KINDS)}, got {kind!r}")
    aliases = tuple(str(a).strip() for a in raw.get("aliases") or [] if str(a).strip())
    amb = raw.get("ambiguous", False)
    if amb is True:
        ambiguous = frozenset((name, *aliases))
    elif amb in (False, None):
        ambiguous = frozenset()
    elif isinstance(amb, list):
        ambiguous = frozenset(str(a) for a in amb)
        unknown = ambiguous - {name, *aliases}
        if unknown:
            raise ValueError(f"{path}: {name}: ambiguous forms {sorted(unknown)} are not its forms")
    else:
        raise ValueError(f"{path}: {name}: ambiguous must be true, false or a list of forms")
    return PlaceEntry(
        name=name,
        country=str(raw["country"]).strip().upper(),
        kind=kind,
        lat=_coord(raw.get("lat"), path, name),
        lon=_coord(raw.get("lon"), path, name),
        aliases=aliases,
        ambiguous=ambiguous,
        source=str(path),
    )


def _country_entries(dirs: Sequence[Path]) -> list[PlaceEntry]:
    out: list[PlaceEntry] = []
    for d in dirs:
        path = d / "actors" / "countries.yaml"
        if not path.is_file():
            continue
        for e in _read_yaml(path):
            code = str(e["code"])
            names = [str(a) for a in e.get("aliases") or []]
            out.append(PlaceEntry(str(e["name"]), code, "country", aliases=tuple(names), source=str(path)))
            for cap in e.get("capitals") or []:
                out.append(PlaceEntry(str(cap), code, "capital", source=str(path)))
    return out


def _place_entries(dirs: Sequence[Path]) -> list[PlaceEntry]:
    """Entries of every places/*.yaml; a later entry with the same name replaces the earlier one."""
    by_name: dict[str, PlaceEntry] = {}
    for d in dirs:
        folder = d / "places"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            for raw in _read_yaml(path):
                entry = _entry(raw, path)
                by_name.pop(entry.name, None)
                by_name[entry.name] = entry
    return list(by_name.values())


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
        if "'" in v:
            out.append(v.replace("'", "’"))
        if "’" in v:
            out.append(v.replace("’", "'"))
    for v in list(out):
        if v.startswith("St. "):
            out.append("St " + v[4:])
        elif v.startswith("St "):
            out.append("St. " + v[3:])
        for a, b in (("Al-", "al-"), ("Al ", "al "), ("El-", "el-"), ("Ad-", "ad-"), ("Ar-", "ar-")):
            if v.startswith(a):
                out.append(b + v[len(a) :])
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


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def tokenize(text: str) -> list[str]:
    """A form's tokens, as the gazetteer keys it (spaCy's English tokenizer)."""
    return [t.text for t in _tokenizer()(text)]


def build_gazetteer(dirs: Sequence[Path]) -> Gazetteer:
    """Read the country names and capitals, then the places files, from these folders (in order).

    Each written form names one entry: a later non-ambiguous entry takes the form from an earlier one
    (places files after countries.yaml, user folders after the packaged one); an ambiguous form never
    takes a form that a non-ambiguous entry already has.
    """
    gaz = Gazetteer()
    gaz.entries = _country_entries(dirs) + _place_entries(dirs)
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


@functools.lru_cache(maxsize=8)
def _cached(dirs: tuple[Path, ...]) -> Gazetteer:
    return build_gazetteer(list(dirs))


def load_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer for these settings (built once per set of knowledge folders)."""
    settings = settings or DEFAULT_SETTINGS
    return _cached(tuple(settings.knowledge_dirs()))


# -- finding places ------------------------------------------------------------------------------

_MATCHERS: dict[tuple[int, tuple[Path, ...]], tuple[Vocab, Gazetteer, PhraseMatcher]] = {}


def _matcher(vocab: Vocab, settings: Settings | None) -> tuple[Gazetteer, PhraseMatcher]:
    settings = settings or DEFAULT_SETTINGS
    dirs = tuple(settings.knowledge_dirs())
    key = (id(vocab), dirs)
    hit = _MATCHERS.get(key)
    if hit is not None and hit[0] is vocab:
        return hit[1], hit[2]
    gaz = _cached(dirs)
    matcher = PhraseMatcher(vocab, attr="ORTH")
    matcher.add("PLACE", [Doc(vocab, words=list(k)) for k in gaz.forms])
    if len(_MATCHERS) >= 8:
        _MATCHERS.clear()
    _MATCHERS[key] = (vocab, gaz, matcher)
    return gaz, matcher


def _after_preposition(doc: Doc | Span, start: int, preps: frozenset[str]) -> bool:
    """Whether one of ``preps`` stands right before ``start`` (a "the" may come between)."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in preps


def _after_place_noun(doc: Doc, start: int) -> bool:
    """Whether the form follows "the town of", "the city of" ... ("seized the town of Hit")."""
    return start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lemma_.lower() in LOCATION_NOUNS


def _inside_person(doc: Doc, start: int, end: int) -> bool:
    """Whether the match is part of a longer PERSON entity ("Michael Jordan", "Chad Wolf")."""
    if not any(doc[i].ent_type_ == "PERSON" for i in range(start, end)):
        return False
    if doc[start].ent_iob_ == "I" and doc[start - 1].ent_type_ == "PERSON":
        return True
    return end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == "PERSON"


def find_places(doc: Doc, settings: Settings | None = None) -> list[Place]:
    """Every place mention in ``doc``, in text order.

    Forms are matched case-sensitively on token text; where matches overlap the longest wins
    ("Eastern Ghouta" over "Ghouta", "Jordan Valley" over "Jordan"). An ambiguous form counts only
    right after a locative preposition ("in Nice"). A match inside a longer PERSON entity is skipped
    ("Michael Jordan"), and so is a place name that begins a newspaper's name ("the Jerusalem Post");
    one inside another proper name is kept ("Aleppo University").
    """
    gaz, matcher = _matcher(doc.vocab, settings)
    found: list[tuple[int, int, PlaceEntry]] = []
    for _, start, end in matcher(doc):
        entry, amb = gaz.forms[tuple(t.text for t in doc[start:end])]
        if amb and not (_after_preposition(doc, start, AMBIGUOUS_OK) or _after_place_noun(doc, start)):
            continue
        if _inside_person(doc, start, end):
            continue
        if end < len(doc) and doc[end].text in NEWSPAPER_WORDS:
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


def _holder(root: Token) -> Token:
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
        elif node.dep_ == "poss" and head.lemma_.lower() in LOCATION_NOUNS:
            node = head
        elif (
            node.dep_ == "pobj"
            and head.lower_ == "of"
            and head.head.pos_ in ("NOUN", "PROPN")
            and head.head.lemma_.lower() in LOCATION_NOUNS
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


def _pp_choice(place: Place, span: Span, trigger: Token, domain: set[int]) -> int | None:
    """Tree distance from the trigger to the phrase that puts the event in ``place``, or None."""
    node = _holder(span.root)
    head = node.head
    country = place.kind == "country"
    if node.dep_ == "dobj" and head == trigger and place.kind not in ("country", "capital"):
        return 1  # "rebels captured Palmyra"
    if node.dep_ != "pobj":
        return None
    prep = head.lower_
    anchor = head.head
    if anchor.i not in domain:
        return None
    if prep in LOCATIVE:
        pass
    elif prep in NON_COUNTRY:
        if country or (prep == "to" and anchor.lower_ in NOT_LOCATIVE_TO):
            return None
        if place.kind == "capital":
            # "strikes on Kyiv", "flew to Moscow" -- but not "imposed sanctions on Moscow"
            nominal = anchor == trigger and trigger.pos_ in ("NOUN", "PROPN")
            if prep in ("to", "toward", "towards", "via"):
                if anchor.lemma_.lower() not in MOTION:
                    return None
            elif not nominal:
                return None
    elif prep == "from":
        if anchor != trigger and anchor != _clause_head(trigger):
            return None
    elif prep == "of":
        if anchor != trigger or trigger.pos_ not in ("NOUN", "PROPN") or country:
            return None
    else:
        return None
    return _tree_distance(trigger, anchor)


def _fallback_ok(place: Place, span: Span) -> bool:
    """Whether a mention outside the trigger's phrases may still be the event's place."""
    node = _holder(span.root)
    if place.kind == "country":
        doc = span.doc
        return _after_preposition(doc, span.start, LOCATIVE) or (
            node.dep_ == "pobj" and node.head.lower_ in LOCATIVE
        )
    if place.kind == "capital":
        if node.dep_ == "pobj":
            return node.head.lower_ in LOCATIVE
        return node.dep_ not in CORE_DEPS
    return True


def event_place(sent_span: Span, trigger_token: Token, places: Iterable[Place]) -> Place | None:
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
    sanctions on Moscow") is not its place.
    """
    doc = sent_span.doc
    lo, hi = sent_span.start_char, sent_span.end_char
    mentions: list[tuple[Place, Span]] = []
    for p in places:
        if lo <= p.start and p.end <= hi:
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None:
                mentions.append((p, span))
    if not mentions:
        return None
    trigger = trigger_token
    domain = _domain(trigger)
    ranked = []
    for p, span in mentions:
        dist = _pp_choice(p, span, trigger, domain)
        if dist is not None:
            ranked.append((dist, p.kind == "country", abs(span.root.i - trigger.i), p))
    if ranked:
        ranked.sort(key=lambda r: r[:3])
        return ranked[0][3]
    rest = [(p, span) for p, span in mentions if _fallback_ok(p, span)]
    if len({(p.name, p.country) for p, _ in rest}) == 1:
        return min(rest, key=lambda m: abs(m[1].root.i - trigger.i))[0]
    return None
