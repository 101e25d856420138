"""Find actors in a parsed document and code them (country or organisation code, sector, name).

Stages, all on one spaCy ``Doc``:
1. ``ActorIndex`` marks every knowledge-base surface form (names, aliases, demonyms, capitals, seats,
   people) and every title or agent noun ("foreign minister", "rebels").
2. ``ActorResolver.code_phrase(token)`` codes the noun phrase headed by ``token``: the strongest
   knowledge-base form inside the phrase gives the code, a person's office or the title gives the
   sector; pronouns, bare surnames and definite descriptions ("the Russian leader") resolve through the
   document's memory of who was mentioned before.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kronika.actors.kb import ActorRef, KnowledgeBase, SectorTitle, likeliest_day
from kronika.entities import PERSON, entities_in, entity_at
from kronika.places.gazetteer import fold
from kronika.records import Entity

PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"it", "they", "them"}
STANCE_PREFIXES = {"anti", "pro"}
DASHES = {"-", "–", "—", "--"}
# Brackets and quotes inside a phrase: "Daesh [Isis] fighters", 'the so-called "Islamic State" group'.
ENCLOSING = {"[", "]", "(", ")", '"', "“", "”", "'", "‘", "’"}
WHERE_PREP = "in"  # "an advantage in Syria": a state named as a place, not as a party


def _where(tok: Token) -> bool:
    return tok.dep_ == "pobj" and tok.head.lower_ == WHERE_PREP


GROUP_DETS = ("nummod", "det", "predet")  # how "two", "both", "three" hang on a group's head
STATE_KINDS = ("country", "capital", "demonym", "person", "seat")  # mentions that name a state
# Dependents that belong to the actor's noun phrase (to the right of the head).
RIGHT_DEPS = {"appos", "compound", "flat", "nmod", "npadvmod"}
_INDEX_KEY = "kronika_actors"


@dataclass
class KBMatch:
    span: Span
    refs: list[ActorRef]


class _Tokenizer(Protocol):
    """The part of spaCy's ``Tokenizer`` used here (``Language.tokenizer`` is typed as a plain callable)."""

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]: ...


@dataclass
class ActorIndex:
    """Knowledge-base forms and titles found in a document, by token index."""

    matches: list[KBMatch] = field(default_factory=list)
    by_token: dict[int, KBMatch] = field(default_factory=dict)
    titles: dict[int, SectorTitle] = field(default_factory=dict)

    def matches_in(self, start: int, end: int) -> list[KBMatch]:
        """The matches inside tokens ``start`` … ``end`` (exclusive); ``matches`` is in text order."""
        starts = [m.span.start for m in self.matches] if self._starts is None else self._starts
        self._starts = starts
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return [m for m in self.matches[lo:hi] if m.span.end <= end]

    _starts: list[int] | None = field(default=None, repr=False)


LOWER_MIN_WORDS = 3  # organisation names this long are matched whatever their case


def _lower_forms(kb: KnowledgeBase) -> dict[str, str]:
    """Organisation names of at least LOWER_MIN_WORDS words, by their lower case."""
    return {
        form.lower(): form
        for form, refs in kb.surface.items()
        if len(form.split()) >= LOWER_MIN_WORDS and any(r.kind == "org" for r in refs)
    }


def actor_patterns(nlp: Language, kb: KnowledgeBase) -> list[tuple[int, ...]]:
    """Every surface form of the knowledge base as the token hashes the phrase matcher matches (the
    ``ORTH`` of each token of the form as ``nlp`` tokenises it), in the order of the sorted forms."""
    tokenizer = cast(_Tokenizer, nlp.tokenizer)
    return [tuple(t.orth for t in doc) for doc in tokenizer.pipe(sorted(kb.surface))]


class ActorMatcher:
    """Builds the phrase matcher for a knowledge base once per process."""

    def __init__(
        self, nlp: Language, kb: KnowledgeBase, patterns: list[tuple[int, ...]] | None = None
    ) -> None:
        """``patterns``: what ``actor_patterns(nlp, kb)`` gives (built now without them)."""
        self.kb = kb
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        # The matcher takes a pattern as its tokens' hashes as well as a Doc (so it is unpickled).
        self.matcher.add("ACTOR", cast(Any, actor_patterns(nlp, kb) if patterns is None else patterns))
        self.max_title = kb.max_title_len
        # Long organisation names also match in lower case ("the European court of human rights")
        self.lower_forms = _lower_forms(kb)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer = cast(_Tokenizer, nlp.tokenizer)
        lowered = [tuple(t.lower for t in d) for d in tokenizer.pipe(sorted(self.lower_forms))]
        if lowered:
            self.lower.add("ACTOR_LOWER", cast(Any, lowered))
        # words before a surname that are no given name: titles, forms of address, name particles
        self.skipped_words = {w for key in kb.titles for w in key} | kb.honorifics | kb.name_particles

    def _names_the_person(self, m: KBMatch) -> bool:
        """A one-word person alias counts where it reads as that person's name (``_plausible_surname``)
        and the given names before it, if any, are that person's: "Hernández Da Costa" is not
        António Costa."""
        tok = m.span[0]
        if not _plausible_surname(tok):
            return False
        given: list[str] = []
        cur = tok.i - 1
        while cur >= 0 and tok.doc[cur].pos_ == "PROPN" and "\n" not in tok.doc[cur].text:
            word, lemma = fold(tok.doc[cur].text), tok.doc[cur].lemma_.lower()  # a hyphen folds to ""
            if word and word not in self.skipped_words and lemma not in self.skipped_words:
                given.append(word)
            cur -= 1
        if not given:
            return True
        names = {w for r in m.refs for w in fold(r.name).split()}
        return bool(names.intersection(given))

    def kb_matches(self, doc: Doc) -> list[KBMatch]:
        """Every knowledge-base form in the document (overlaps keep the longest)."""
        found = []
        spans = [doc[s:e] for _, s, e in self.matcher(doc)]
        spans += [doc[s:e] for _, s, e in self.lower(doc)]
        for span in filter_spans(spans):
            refs = self.kb.lookup(span.text) or self.kb.lookup(self.lower_forms.get(span.text.lower(), ""))
            if refs:
                found.append(KBMatch(span, refs))
        return found

    def index(self, doc: Doc, matches: list[KBMatch] | None = None) -> ActorIndex:
        """The document's actor index: the one the entity stage left on it, else built now."""
        stored = doc.user_data.get(_INDEX_KEY)
        if matches is None and isinstance(stored, ActorIndex):
            return stored
        idx = ActorIndex()
        for m in self.kb_matches(doc) if matches is None else matches:
            if len(m.span) == 1 and is_person_form(m) and not self._names_the_person(m):
                continue
            idx.matches.append(m)
            for t in m.span:
                idx.by_token[t.i] = m
        lemmas = [t.lemma_.lower() for t in doc]
        for i in range(len(doc)):
            for n in range(self.max_title, 0, -1):
                key = tuple(lemmas[i : i + n])
                if len(key) == n and key in self.kb.titles:
                    # The title is recorded on its last token (the phrase head: "foreign *minister*");
                    # a longer title already recorded there ("opposition leader") is kept.
                    idx.titles.setdefault(i + n - 1, self.kb.titles[key])
                    break
        doc.user_data[_INDEX_KEY] = idx
        return idx


def is_person_form(match: KBMatch) -> bool:
    """Every reading of the form is a person's name."""
    return all(r.kind == "person" for r in match.refs)


def np_head(tok: Token) -> Token:
    """The head of the noun phrase a modifier belongs to: "Israeli" → "soldiers"."""
    while tok.dep_ in ("amod", "compound", "nmod", "poss", "flat") and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head
    return tok


def _plausible_surname(tok: Token) -> bool:
    """A one-word person alias ("Putin", "Major") counts only where it reads as that person's name.

    Inside a longer person name it must be the last word ("Abdel Fattah al-Sisi"), never the first
    ("Major General Igor Konashenkov"); outside any entity it must not open the sentence.
    """
    ent = entity_at(tok)
    if ent is not None and len(ent) > 1:
        return ent.label_ == "PERSON" and tok.i == ent.end - 1
    if ent is None and tok.is_sent_start:
        return False
    return tok.pos_ == "PROPN" or ent is not None


APPOSITIVE_CLAUSES = ("acl", "relcl", "advcl", "prep", "punct", "cc", "conj")


def _clause_subjects(tok: Token) -> set[int]:
    """The subjects of the verbs above ``tok`` up to its clause's finite verb ("The army continues to
    hunt them": the army)."""
    out: set[int] = set()
    cur = tok.head
    for _ in range(4):
        out.update(c.i for c in cur.children if c.dep_ in ("nsubj", "nsubjpass"))
        if cur.dep_ not in ("xcomp", "prep", "pcomp") or cur.head == cur:
            break
        cur = cur.head
    return out


def _without_clauses(tok: Token) -> list[Token]:
    """The subtree of ``tok`` without the clauses inside it: "of Jack Letts, a Briton held by Kurds in
    Syria" names Letts, not Syria."""
    clauses = {x.i for t in tok.subtree if t.dep_ in ("acl", "relcl") and t.i != tok.i for x in t.subtree}
    return [t for t in tok.subtree if t.i not in clauses]


def _appositive(head: Token, appos: Token) -> dict[int, Token]:
    """The core of an appositive, with the comma before it: "Jack Letts, a Briton held by Kurds in
    Syria" gives ", a Briton" (who he is), not the clause about where he is held; "a member of Isis"
    keeps its "of"."""
    toks = {appos.i: appos}
    for c in appos.children:
        if c.dep_ not in APPOSITIVE_CLAUSES or (c.dep_ == "prep" and c.lower_ == "of"):
            toks.update((t.i, t) for t in c.subtree)
    comma = head.doc[min(toks) - 1] if min(toks) > head.i + 1 else None
    if comma is not None and comma.text == "," and comma.head == head:
        toks[comma.i] = comma
    return toks


def _stance_prefixed(span: Span) -> bool:
    """ "anti-Syria", "pro-Western": the country word names a stance."""
    doc = span.doc
    i = span.start
    return i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in STANCE_PREFIXES


def _names_a_people(match: KBMatch, ref: ActorRef, head: Token) -> bool:
    """A plural demonym ("Albanians") or a demonym on a people's name ("Iraqi Kurds") names a people,
    not a state; "Saudi air strikes" does not."""
    if ref.kind != "demonym":
        return False
    return head.tag_ == "NNPS" or (head.tag_ == "NNS" and match.span.root.i == head.i)


@dataclass
class CodedActor:
    """An actor found in the text, before it becomes an ``Entity`` of a record."""

    code: str | None
    sector: str | None
    name: str | None
    start: int | None  # None for a participant the text implies without naming it
    end: int | None
    text: str
    rule: str
    kind: str
    head: int  # token index of the phrase head (-1 when implied)

    def entity(self) -> Entity:
        return Entity(self.code, self.sector, self.text, self.name, self.start, self.end, self.rule)


@dataclass
class DocMemory:
    """Who the document has mentioned so far, for pronouns, surnames and definite descriptions."""

    last_person: CodedActor | None = None
    last_group: CodedActor | None = None
    names: dict[str, CodedActor] = field(default_factory=dict)
    heads: dict[str, CodedActor] = field(default_factory=dict)
    history: list[CodedActor] = field(default_factory=list)


class ActorResolver:
    """Codes noun phrases of one document."""

    def __init__(self, kb: KnowledgeBase, index: ActorIndex, pub_date: dt.date | None) -> None:
        self.kb = kb
        self.index = index
        # Offices are read on the publication date; an undated text is read on the day most of the
        # people it names were in office together ("Obama", "Kerry" and "Medvedev": 2013-2017).
        self.day = pub_date or likeliest_day(
            [r.person for r in m.refs if r.person is not None] for m in index.matches
        )
        self.memory = DocMemory()
        self._cache: dict[int, list[CodedActor]] = {}

    # -- phrases -------------------------------------------------------------------------------
    def phrase_tokens(self, head: Token) -> list[Token]:
        """The tokens of the noun phrase headed by ``head``, kept on one line of text."""
        toks = {head.i: head}
        head_known = head.i in self.index.by_token
        for left in head.lefts:
            # brackets and quotes keep the phrase whole across an editor's gloss
            if left.dep_ not in ("cc", "prep", "punct") or left.text in ENCLOSING:
                toks.update((t.i, t) for t in left.subtree)
        for right in head.rights:
            if right.dep_ in RIGHT_DEPS or (right.dep_ == "prep" and right.lower_ == "of"):
                if head_known and right.dep_ in ("appos", "prep"):
                    continue
                if right.dep_ == "appos":
                    toks.update(_appositive(head, right))
                    continue
                toks.update((t.i, t) for t in _without_clauses(right))
        # Never cross a line break (headlines, bylines and captions are separate lines) nor a dash to the
        # left ("MOSCOW - Russian President Vladimir Putin": the dateline is not the name).
        lo = hi = head.i
        while lo - 1 in toks and "\n" not in head.doc[lo - 1].text and head.doc[lo - 1].text not in DASHES:
            lo -= 1
        while hi + 1 in toks and "\n" not in head.doc[hi + 1].text:
            hi += 1
        return [toks[i] for i in range(lo, hi + 1) if i in toks]

    def code_phrase(self, head: Token, follow_conj: bool = True) -> list[CodedActor]:
        """Code the phrase headed by ``head`` (and its conjuncts: "the US and Russia")."""
        if head.i in self._cache and follow_conj:
            return self._cache[head.i]
        found: list[CodedActor] = []
        pair = self._pair(head)
        if pair:
            self._cache[head.i] = pair
            return pair
        one = self._code_one(head)
        if one is not None:
            found.append(one)
        if follow_conj:
            self._add_coordinated(head, one, found)
            self._cache[head.i] = found
        return found

    def _add_coordinated(self, head: Token, one: CodedActor | None, found: list[CodedActor]) -> None:
        """Add to ``found`` the conjuncts, coordinated modifiers and listed appositives of ``head``."""
        for conj in head.conjuncts:
            if conj.i > head.i:
                c = self._code_one(conj)
                if c is not None and all(c.code != f.code or c.sector != f.sector for f in found):
                    found.append(c)
        if one is not None:
            found.extend(self._coordinated_modifiers(head, one, found))
        if head.conjuncts:
            self._add_listed_appositives(head, found)

    def _add_listed_appositives(self, head: Token, found: list[CodedActor]) -> None:
        """In a list, an appositive of another country is one more item, not a description:
        "Assad, the King of Saudi Arabia, Iranian President Hassan Rouhani and Netanyahu"."""
        for appos in (c for c in head.children if c.dep_ == "appos"):
            c = self._code_one(appos)
            if c is not None and c.code and all(c.code != f.code for f in found):
                found.append(c)

    def _code_one(self, head: Token) -> CodedActor | None:
        inner = self._quantity_of(head)
        if inner is not None:
            return inner
        if head.lower_ in PERSON_PRONOUNS or head.lower_ in ("his", "hers"):
            return self._from_memory(head, self._antecedent(head, person=True))
        if head.lower_ in GROUP_PRONOUNS or head.lower_ in ("its", "their"):
            return self._from_memory(head, self._antecedent(head, person=False))
        toks, matches = self._phrase_matches(head)
        title = self._title_for(head, toks)
        best = self._best(matches, head)
        people = best is not None and _names_a_people(best[0], best[1], head)
        if people and best is not None and best[0].span.root.i == head.i:
            # "Bosnian Serbs", "Albanians of southern Serbia", "ethnic Albanians": an ethnic group codes the
            # country it lives in (another country word in the phrase, else the event's place).
            other = self._country_of_people(head, matches, best[0])
            if other is not None:
                best = (other, other.refs[0])
            elif any(t.lower_ == "ethnic" for t in toks):
                return self._span_actor(head, toks, "CVL", "people:ethnic")
        if best is None:
            return self._code_unknown(head, toks, title)
        return self._code_known(head, toks, best, title, people)

    def _quantity_of(self, head: Token) -> CodedActor | None:
        """ "thousands of Iraqi Kurds", "members of the opposition": the group is the actor."""
        quantity = self.kb.quantity_heads
        if head.lower_ not in quantity and head.lemma_.lower() not in quantity:
            return None
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    inner = self._code_one(pobj)
                    if inner is not None:
                        return inner
        return None

    def _phrase_matches(self, head: Token) -> tuple[list[Token], list[KBMatch]]:
        """The phrase's tokens and the knowledge-base names in it (a stance word like "anti-Syria" is not)."""
        toks = self.phrase_tokens(head)
        tok_ids = {t.i for t in toks}
        matches: list[KBMatch] = []
        for t in toks:
            m = self.index.by_token.get(t.i)
            if m is None or m in matches:
                continue
            if all(x.i in tok_ids for x in m.span):
                matches.append(m)
            elif m.span.start <= head.i < m.span.end:
                # The parser split a name the knowledge base knows ("to Bashar al - Assad"): the whole
                # name is the phrase.
                matches.append(m)
                toks = sorted({*toks, *m.span}, key=lambda x: x.i)
                tok_ids = {x.i for x in toks}
        # "anti-Syria journalist", "pro-Russian rebels": a stance, not the phrase's country.
        return toks, [m for m in matches if not _stance_prefixed(m.span)]

    def _country_of_people(self, head: Token, matches: list[KBMatch], people: KBMatch) -> KBMatch | None:
        """Another country word in the phrase or in its "of"/"in" complement ("Albanians of Serbia")."""
        where = [t for c in head.rights if c.dep_ == "prep" and c.lower_ in ("of", "in") for t in c.subtree]
        near = matches + [m for t in where if (m := self.index.by_token.get(t.i)) is not None]
        other = [m for m in near if m is not people and m.refs[0].kind in ("country", "demonym", "capital")]
        return other[0] if other else None

    def _span_actor(self, head: Token, toks: list[Token], sector: str | None, rule: str) -> CodedActor:
        """A participant with a sector and no country, over the whole phrase."""
        start_tok, end_tok = min(t.i for t in toks), max(t.i for t in toks) + 1
        span = head.doc[start_tok:end_tok]
        return CodedActor(
            None, sector, None, span.start_char, span.end_char, span.text, rule, "title", head.i
        )

    def _code_unknown(self, head: Token, toks: list[Token], title: SectorTitle | None) -> CodedActor | None:
        """A phrase with no knowledge-base name: a name coded earlier in the document, or a bare sector."""
        remembered = self._remembered_name(toks)
        if remembered is not None:
            return self._copy(remembered, head, toks)
        if title is not None and (head.i in self.index.titles or head.pos_ in ("NOUN", "PROPN")):
            # "the government", "demonstrators": a sector without a country; the event fills it in.
            # An office only one country has by that name ("the home secretary") names that country.
            actor = self._span_actor(head, toks, title.sector, f"sectors:{title.text}")
            if title.country:
                actor.code, actor.rule = title.country, f"{actor.rule}:office-country"
            elif head.lemma_.lower() in self.kb.kin_words:
                self._kin_country(head, actor)
            else:
                self._opponents_country(toks, actor)
            return actor
        return None

    def _opponents_country(self, toks: list[Token], actor: CodedActor) -> None:
        """ "the anti-Assad opposition", "anti-Maduro protesters": opponents of a leader are of the
        leader's country (opponents of a country, "anti-American protesters", may be anywhere)."""
        doc = toks[0].doc if toks else None
        for t in toks:
            if doc is None or t.i < 2 or doc[t.i - 1].text not in DASHES or doc[t.i - 2].lower_ != "anti":
                continue
            refs = self.kb.lookup(t.text)
            codes = {r.code for r in refs if r.code}
            if refs and len(codes) == 1 and all(r.kind == "person" for r in refs):
                actor.code, actor.rule = codes.pop(), f"{actor.rule}:opponents"
                return

    def _kin_country(self, head: Token, actor: CodedActor) -> None:
        """ "His parents", "Letts's mother": a relative takes the country of whose relative they are."""
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        if poss is None:
            return
        owner = self.code_phrase(poss, follow_conj=False)
        if owner and owner[0].code and owner[0].kind == "person":
            actor.code, actor.rule = owner[0].code, f"{actor.rule}:kin"

    def _code_known(
        self,
        head: Token,
        toks: list[Token],
        best: tuple[KBMatch, ActorRef],
        title: SectorTitle | None,
        people: bool,
    ) -> CodedActor:
        """Code a phrase around its best knowledge-base name, with the sector its title or office gives."""
        match, ref = best
        if title is not None and ref.kind in ("org", "seat") and self._title_in_name(match, title):
            title = None  # the title word is part of the name: "European Union" is not a labour union
        code, sector = ref.code, ref.sector
        name: str | None = ref.name
        if ref.person is not None:
            role = ref.person.role_on(self.day)
            if role is not None:
                code, sector = role.code, role.sector
        elif title is not None:
            sector = title.sector
            if title.head and ref.kind in ("country", "demonym"):
                name = self._office_name(toks, code, title, name)
        if sector is None:
            # A country or capital named alone stands for its government; a people ("Nigerians", "Iraqi
            # Kurds") or a person of a nationality ("Jack Letts, a Briton", "a Syrian") for civilians.
            sector = "CVL" if people or self._national(head, match, ref) else "GOV"
        if ref.kind == "person" and title is not None and ref.person is None:
            sector = title.sector
        start_tok = min(t.i for t in toks)
        end_tok = max(t.i for t in toks) + 1
        span = head.doc[start_tok:end_tok]
        # "Jack Letts, a Briton": a person, whom later pronouns and surnames refer back to
        kind = "person" if ref.kind == "demonym" and head.ent_type_ == PERSON else ref.kind
        start, end = span.start_char, span.end_char
        coded = CodedActor(code, sector, name, start, end, span.text, ref.rule, kind, head.i)
        self._remember(coded, toks, title)
        return coded

    @staticmethod
    def _national(head: Token, match: KBMatch, ref: ActorRef) -> bool:
        """A person named by a nationality: a person's name ("Jack Letts, a Briton") or a singular
        demonym counted as a person ("a Briton", "one Syrian"), not a thing ("a Syrian conference")."""
        if ref.kind != "demonym":
            return False
        if head.ent_type_ == PERSON:
            return True
        if not match.span.start <= head.i < match.span.end or head.tag_ not in ("NN", "NNP"):
            return False
        return any(c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "one") for c in head.children)

    def _title_in_name(self, match: KBMatch, title: SectorTitle) -> bool:
        return any(
            i in self.index.titles and self.index.titles[i] == title
            for i in range(match.span.start, match.span.end)
        )

    def _office_name(self, toks: list[Token], code: str, title: SectorTitle, name: str | None) -> str | None:
        """ "the Russian leader", "Syrian President ..." without a known name: a person in the phrase,
        else the country's head named earlier, else the holder of the office that day."""
        person = self._person_in(toks, code)
        if person is not None:
            return person
        known = self.memory.heads.get(code)
        holder = self.kb.office_holder(code, self.day, title.text)
        if known is not None:
            return known.name
        if holder is not None:
            return holder.name
        return name

    def _coordinated_modifiers(
        self, head: Token, coded: CodedActor, found: list[CodedActor]
    ) -> list[CodedActor]:
        """ "Russian and Turkish officials": one phrase, one participant per country word."""
        out: list[CodedActor] = []
        for left in head.lefts:
            if left.dep_ not in ("amod", "compound", "nmod") or not left.conjuncts:
                continue
            for t in (left, *left.conjuncts):
                m = self.index.by_token.get(t.i)
                if m is None or m.refs[0].kind not in ("country", "demonym"):
                    continue
                code = m.refs[0].code
                if all(code != f.code for f in (*found, *out)):
                    out.append(
                        CodedActor(
                            code,
                            coded.sector,
                            m.refs[0].name,
                            coded.start,
                            coded.end,
                            coded.text,
                            m.refs[0].rule + ":coordinated",
                            coded.kind,
                            coded.head,
                        )
                    )
        return out

    def last_pair(self, before: int) -> list[CodedActor]:
        """The last two people named before token ``before``, of different countries ("their talks")."""
        return self.last_people(before, 2)

    def last_people(self, before: int, n: int) -> list[CodedActor]:
        """The last ``n`` people named before token ``before``, of different countries."""
        people: list[CodedActor] = []
        for a in self._before(before):
            if a.kind == "person" and a.code and all(p.code != a.code for p in people):
                people.append(a)
            if len(people) == n:
                return list(reversed(people))
        return []

    def last_states(self, doc: Doc, before: int, n: int) -> list[CodedActor]:
        """The last ``n`` states named before token ``before`` ("the three countries"): by the people
        who stand for them when enough are named ("Putin will host Rouhani and Erdoğan"), else by any
        mention of a state."""
        for kinds in (("person",), STATE_KINDS):
            states: list[CodedActor] = []
            for a in self._before(before):
                if a.head >= 0 and _where(doc[a.head]):
                    continue  # "an advantage in Syria": where, not who
                if a.kind in kinds and a.code and a.code in self.kb.country_names:
                    if all(p.code != a.code for p in states):
                        states.append(a)
                if len(states) == n:
                    return list(reversed(states))
        return []

    def group_size(self, head: Token) -> int | None:
        """How many a plural group head counts ("the three countries": 3), when it names a group."""
        lemma = head.lemma_.lower()
        kb = self.kb
        if head.tag_ not in ("NNS", "NNPS") or lemma not in kb.people_group_heads | kb.state_group_heads:
            return None
        for c in head.children:
            if c.dep_ in GROUP_DETS and c.lower_ in kb.group_numbers:
                return kb.group_numbers[c.lower_]
        return None

    def _pair(self, head: Token) -> list[CodedActor]:
        """ "The two leaders", "both presidents": the last people named, of different countries; "the
        three countries": the last states named."""
        n = self.group_size(head)
        if n is None:
            return []
        if head.lemma_.lower() in self.kb.people_group_heads:
            members = self.last_people(head.i, n)
        else:
            members = self.last_states(head.doc, head.i, n)
        span = head.doc[head.left_edge.i : head.i + 1]
        return [
            CodedActor(
                p.code,
                p.sector if p.kind == "person" else None,
                p.name,
                span.start_char,
                span.end_char,
                span.text,
                p.rule + ":group",
                p.kind,
                head.i,
            )
            for p in members
        ]

    # -- helpers -------------------------------------------------------------------------------
    def _title_for(self, head: Token, toks: list[Token]) -> SectorTitle | None:
        if head.i in self.index.titles:
            return self.index.titles[head.i]
        # Title before a name: "President Bashar al-Assad", "Foreign Minister Lavrov"; a title word
        # used as an adjective describes the thing, not who it is ("a general strike").
        titles = [t for t in toks if t.i in self.index.titles and t.pos_ != "ADJ"]
        for t in reversed(titles):
            if t.i <= head.i:
                return self.index.titles[t.i]
        return self.index.titles[titles[0].i] if titles else None

    def _best(self, matches: list[KBMatch], head: Token) -> tuple[KBMatch, ActorRef] | None:
        best = None
        best_key = None
        for m in matches:
            for ref in m.refs:
                on_head = head.i in range(m.span.start, m.span.end)
                key = (
                    ref.priority + (1 if on_head else 0),
                    self._currency(ref),
                    -abs(m.span.root.i - head.i),
                )
                if best_key is None or key > best_key:
                    best, best_key = (m, ref), key
        return best

    def _currency(self, ref: ActorRef) -> float:
        """For people sharing a name (Assad father and son), prefer the one in office on the date."""
        if ref.person is None or not ref.person.roles:
            return 0.0
        if self.day is None:
            last = ref.person.roles[-1].start
            return last.toordinal() / 1e7 if last else 0.0
        if any(r.holds_on(self.day) for r in ref.person.roles):
            return 1.0
        started = [r.start for r in ref.person.roles if r.start and r.start <= self.day]
        return 0.5 if started else 0.0

    def _person_in(self, toks: list[Token], code: str) -> str | None:
        for t in toks:
            ent = entity_at(t)
            if ent is not None and ent.label_ == PERSON:
                return ent.text
        return None

    def _remembered_name(self, toks: list[Token]) -> CodedActor | None:
        """A person named earlier in the document, by a word of the name ("Letts" after "Jack Letts")."""
        for t in toks:
            if (t.ent_type_ == "PERSON" or t.pos_ == "PROPN") and t.text in self.memory.names:
                return self.memory.names[t.text]
        return None

    def _copy(self, src: CodedActor, head: Token, toks: list[Token]) -> CodedActor:
        start_tok = min(t.i for t in toks)
        end_tok = max(t.i for t in toks) + 1
        span = head.doc[start_tok:end_tok]
        c = CodedActor(
            src.code,
            src.sector,
            src.name,
            span.start_char,
            span.end_char,
            span.text,
            src.rule + ":coref",
            src.kind,
            head.i,
        )
        self._remember(c, toks, None)
        return c

    def _from_memory(self, head: Token, src: CodedActor | None) -> CodedActor | None:
        if src is None:
            return None
        return CodedActor(
            src.code,
            src.sector,
            src.name,
            head.idx,
            head.idx + len(head.text),
            head.text,
            src.rule + ":pronoun",
            src.kind,
            head.i,
        )

    def _antecedent(self, pronoun: Token, person: bool) -> CodedActor | None:
        """The nearest coded person (or group) mentioned before the pronoun; for an object pronoun not
        the subject of its own clause ("the army continues to hunt them down": "them" is not the army)."""
        own = _clause_subjects(pronoun) if pronoun.dep_ in ("dobj", "dative", "pobj") else set()
        fits = (a for a in self._before(pronoun.i) if a.code and (a.kind == "person") == person)
        return next((a for a in fits if a.head not in own), None)

    def _before(self, i: int) -> Iterator[CodedActor]:
        """The actors coded on phrases before token ``i``, nearest first."""
        history = self.memory.history
        for k in range(bisect.bisect_left(history, i, key=lambda a: a.head) - 1, -1, -1):
            yield history[k]

    def _remember(self, coded: CodedActor, toks: list[Token], title: SectorTitle | None) -> None:
        bisect.insort(self.memory.history, coded, key=lambda a: a.head)
        if toks and coded.head >= 0:
            # "froze Vice President El Aissami's American assets": a possessor's name is not of the
            # phrase's nationality
            head = toks[0].doc[coded.head]
            toks = [t for t in toks if not _under_possessor(t, head)]
        is_person = coded.kind == "person" or any(t.ent_type_ == "PERSON" for t in toks)
        if is_person:
            self.memory.last_person = coded
            for t in toks:
                if t.ent_type_ == "PERSON" and t.is_alpha and t.text[0].isupper():
                    self.memory.names.setdefault(t.text, coded)
            if coded.code and (title is None or title.head):
                self.memory.heads[coded.code] = coded
        else:
            self.memory.last_group = coded

    def observe(self, sent: Span) -> None:
        """Code every known name in a sentence so later pronouns and surnames can refer back."""
        for m in self.index.matches_in(sent.start, sent.end):
            self.code_phrase(np_head(m.span.root))
        for e in entities_in(sent, (PERSON,)):
            if e.root.i not in self._cache:
                self.code_phrase(e.root)


def _under_possessor(tok: Token, head: Token) -> bool:
    """Does the token hang on a possessor inside the phrase of ``head``?"""
    cur = tok
    for _ in range(8):
        if cur.i == head.i or cur.head is cur:
            return False
        if cur.dep_ == "poss":
            return True
        cur = cur.head
    return False
