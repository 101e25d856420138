"""What every event stage of one document reads: the knowledge (lexicon, cues, code tables), the
actor resolver, the publication date and the places found in the text."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from kronika.actors.recognize import PERSON_PRONOUNS, ActorResolver, CodedActor
from kronika.events.lexicon import Lexicon
from kronika.events.vocab import CIVILIAN_SECTOR
from kronika.knowledge import Knowledge
from kronika.places import Place

_EMPTY: frozenset[str] = frozenset()
UNKNOWN_PERSON_RULE = "unknown-person"
HOME_PREP = "from"  # "Luke Rutter, 22, from Birkenhead", "a dairy farmer from Reading"
GROUP_PREPS = ("from", "of")  # "ministers from the three countries", "leaders of both countries"


@dataclass
class EventContext:
    """The document's resolver, lexicon, date and places, and the lexicon's cue words by job."""

    knowledge: Knowledge
    resolver: ActorResolver
    pub_date: dt.date | None
    places: Sequence[Place] = ()
    intent: frozenset[str] = _EMPTY  # "offered to", "plans to"
    threat: frozenset[str] = _EMPTY
    refusal: frozenset[str] = _EMPTY
    request: frozenset[str] = _EMPTY
    report: frozenset[str] = _EMPTY  # "said", "announced": attribution
    future_aux: frozenset[str] = _EMPTY
    future_verbs: frozenset[str] = _EMPTY
    hyp_marks: frozenset[str] = _EMPTY
    hyp_aux: frozenset[str] = _EMPTY
    preparation: frozenset[str] = _EMPTY
    acceptance: frozenset[str] = _EMPTY
    negation: frozenset[str] = _EMPTY  # "not", "never", "no talks"
    locative: frozenset[str] = _EMPTY  # "in", "near": where, not who
    conversation: frozenset[str] = _EMPTY  # "told", "assured": one party addresses the other
    own_possessives: frozenset[str] = _EMPTY  # "its", "their"
    occurrence: frozenset[str] = _EMPTY  # "talks took place", "clashes erupted"
    relations: frozenset[str] = _EMPTY  # "militias backed by the coalition": a standing relation
    questions: frozenset[str] = _EMPTY  # "'Why?' he asked": a question, not a request
    fighting: frozenset[str] = _EMPTY  # "killed fighting Isis": the enemy fought
    depictions: frozenset[str] = _EMPTY  # "filming the battle": an event shown, not done
    failure: frozenset[str] = _EMPTY  # "failed to reach an agreement": the act did not happen
    undergoing: frozenset[str] = _EMPTY  # "faces a trial": the subject is what the act is done to
    harmed: frozenset[str] = _EMPTY  # "died in an explosion": the subject is whom it is done to
    harm_preps: frozenset[str] = _EMPTY  # ... "in", "during" the act
    harm_marks: frozenset[str] = _EMPTY  # ... "when", "as" it happened
    under_verbs: frozenset[str] = _EMPTY  # "came under fire": the subject is the target
    rescue_verbs: frozenset[str] = _EMPTY  # "came to Baghdad's aid": the possessor is helped
    stative: frozenset[str] = _EMPTY  # "was committed to": the subject holds the stance
    wish_nouns: frozenset[str] = _EMPTY  # "hope that he will back down": a wish, not an act
    ending: frozenset[str] = _EMPTY  # "lifted the curfew", "suspended talks"
    ending_adverbs: frozenset[str] = _EMPTY  # "no longer supply"
    option_frames: frozenset[str] = _EMPTY  # "preferable to arrest", "want to kill"
    private_travel_modes: frozenset[str] = _EMPTY  # a visit is no event when private ...
    private_sectors: frozenset[str] = _EMPTY  # ... the sectors of private people (lower case)
    police_operations: frozenset[str] = _EMPTY  # "police launched raids": a coercion ...
    police_sectors: frozenset[str] = _EMPTY  # ... by these sectors (lower case)
    statement_nouns: frozenset[str] = _EMPTY  # "issued a statement denying": the participle is the act
    state_act_contexts: frozenset[str] = _EMPTY  # acts only a state performs: by context ...
    state_act_modes: frozenset[str] = _EMPTY  # ... or by mode
    focus: str | None = None  # the country the document is about, when one stands out
    _home_towns: dict[str, str] | None = None  # a person's name word -> the country of their home town

    @property
    def lex(self) -> Lexicon:
        return self.knowledge.lexicon

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        resolver: ActorResolver,
        pub_date: dt.date | None,
        places: Sequence[Place] = (),
    ) -> EventContext:
        cue = knowledge.lexicon.cues.get
        return cls(
            knowledge,
            resolver,
            pub_date,
            places,
            intent=cue("intent", _EMPTY),
            threat=cue("threat", _EMPTY),
            refusal=cue("refusal", _EMPTY),
            request=cue("request", _EMPTY),
            report=cue("report", _EMPTY),
            future_aux=cue("future_aux", _EMPTY),
            future_verbs=cue("future_verbs", _EMPTY),
            hyp_marks=cue("hypothetical_marks", _EMPTY),
            hyp_aux=cue("hypothetical_aux", _EMPTY),
            preparation=cue("preparation", _EMPTY),
            acceptance=cue("acceptance", _EMPTY),
            negation=cue("negation", _EMPTY),
            locative=cue("locative", _EMPTY),
            conversation=cue("conversation", _EMPTY),
            own_possessives=cue("own_possessives", _EMPTY),
            occurrence=cue("occurrence", _EMPTY),
            relations=cue("relation_participles", _EMPTY),
            questions=cue("question_verbs", _EMPTY),
            fighting=cue("fighting", _EMPTY),
            depictions=cue("depictions", _EMPTY),
            failure=cue("failure", _EMPTY),
            undergoing=cue("undergoing", _EMPTY),
            harmed=cue("harmed", _EMPTY),
            harm_preps=cue("harm_prepositions", _EMPTY),
            harm_marks=cue("harm_marks", _EMPTY),
            under_verbs=cue("under_verbs", _EMPTY),
            rescue_verbs=cue("rescue_verbs", _EMPTY),
            stative=cue("stative_participles", _EMPTY),
            wish_nouns=cue("wish_nouns", _EMPTY),
            ending=cue("ending", _EMPTY),
            ending_adverbs=cue("ending_adverbs", _EMPTY),
            option_frames=cue("hypothetical_frames", _EMPTY),
            private_travel_modes=cue("private_travel_modes", _EMPTY),
            private_sectors=cue("private_sectors", _EMPTY),
            police_operations=cue("police_operations", _EMPTY),
            police_sectors=cue("police_sectors", _EMPTY),
            statement_nouns=cue("statement_nouns", _EMPTY),
            state_act_contexts=cue("state_act_contexts", _EMPTY),
            state_act_modes=cue("state_act_modes", _EMPTY),
            focus=focus_country(knowledge, resolver, places),
        )

    def cameo(self, event: str) -> str:
        """The root CAMEO code of an event type ("THREATEN" → "130")."""
        return self.knowledge.default_cameo[event]

    def locative_pobj(self, t: Token) -> bool:
        """Is ``t`` the object of a locative preposition ("in Ankara")?"""
        return t.dep_ == "pobj" and t.head.lower_ in self.locative

    def known(self, tok: Token) -> bool:
        """Is the token part of a knowledge-base form?"""
        return tok.i in self.resolver.index.by_token

    def pobj(self, prep: Token) -> Token | None:
        """The object of a preposition; when the parser splits a name into several objects ("to Bashar
        al - Assad"), the one the knowledge base knows."""
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        if len(objs) > 1:
            known = [o for o in objs if self.known(o)]
            return known[-1] if known else objs[-1]
        if not objs:
            # "objections to Russia inviting the Kurds": the subject of a gerund clause is the party
            gerund = next((c for c in prep.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
            if gerund is not None:
                return next((c for c in gerund.children if c.dep_ in ("nsubj", "poss")), None)
        return objs[0] if objs else None

    def code(self, tok: Token | None) -> list[CodedActor]:
        """The actors of the phrase headed by ``tok``, or of the first coded phrase inside it."""
        if tok is None:
            return []
        found = self.resolver.code_phrase(tok)
        if found and all(a.code is None for a in found):
            group = self._group_of(tok, found[0].sector)
            if group:
                return group
        if found:
            return found
        # Nothing coded on the head phrase: look deeper ("the Red Cross operating in Iraq" stays as is,
        # but "a group of Chechen refugees" or "warships of the French navy" descend).
        clauses = {x.i for t in tok.subtree if t.dep_ == "relcl" for x in t.subtree}
        for t in tok.subtree:
            if t.i == tok.i or t.i in clauses or t.dep_ in ("acl", "advcl"):
                continue  # "those who travelled to Egypt" are not Egypt
            if self.known(t) or t.ent_type_ == "PERSON" or self.resolver.group_size(t):
                inner = self.resolver.code_phrase(t)
                if inner and all(a.kind == "capital" for a in inner) and self.locative_pobj(t):
                    continue  # "talks in Ankara": where, not who
                if inner:
                    return inner
        return self.unknown_person(tok)

    def _group_of(self, tok: Token, sector: str | None) -> list[CodedActor]:
        """ "foreign ministers from the three countries": the members of the group, in the sector the
        title gives."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in GROUP_PREPS:
                pobj = self.pobj(c)
                if pobj is not None and self.resolver.group_size(pobj):
                    members = self.resolver.code_phrase(pobj)
                    return [replace(m, sector=sector or m.sector) for m in members]
        return []

    def unknown_person(self, tok: Token) -> list[CodedActor]:
        """A person the knowledge base does not know ("Lisbeth Añez", "she" with no known antecedent): a
        civilian whose country only the event's place or the document's focus can give."""
        if tok.ent_type_ != "PERSON" and tok.lower_ not in PERSON_PRONOUNS:
            return []
        phrase = [t for t in tok.subtree if t.ent_type_ == "PERSON"] or [tok]
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
        text = tok.doc[phrase[0].i : phrase[-1].i + 1].text  # not doc.text: spaCy joins the whole text
        rule = UNKNOWN_PERSON_RULE
        homes = self.home_towns(tok.doc)
        home = next((homes[t.text] for t in phrase if t.text in homes), None)
        if home is not None:  # "Oliver Hall, 24, from Portsmouth" ... "Hall was killed"
            rule += ":home-town"
        return [CodedActor(home, CIVILIAN_SECTOR, None, start, end, text, rule, "person", tok.i)]

    def home_country(self, head: Token) -> str | None:
        """The country of the place a person or group is said to come from ("Dean Evans, a dairy farmer
        from Reading"; "fighters from Chechnya"), when the gazetteer resolved that place."""
        if not self.places:
            return None
        for t in head.subtree:
            if t.dep_ != "prep" or t.lower_ != HOME_PREP or t.head.dep_ in ("ROOT",):
                continue
            pobj = self.pobj(t)
            if pobj is None:
                continue
            for p in self.places:
                if p.country and p.start <= pobj.idx < p.end:
                    return p.country
            home = town_country(pobj)
            if home is not None:
                return home
        return None

    def home_towns(self, doc: Doc) -> dict[str, str]:
        """The home countries of the people the document introduces with a home town, by the words of
        their names, so that a later "Hall" is from where "Oliver Hall, 24, from Portsmouth" is."""
        if self._home_towns is None:
            self._home_towns = {}
            if self.places:
                for tok in doc:
                    if tok.ent_type_ == "PERSON" and tok.head.ent_type_ != "PERSON":
                        home = self.home_country(tok)
                        if home is not None:
                            names = [t for t in tok.subtree if t.ent_type_ == "PERSON" and t.is_title]
                            for t in names:
                                self._home_towns.setdefault(t.text, home)
        return self._home_towns


HOME_MIN_POPULATION = 15_000  # a home town the gazetteer knows well enough to give a person a country
HOME_DOMINANCE = 3  # ... and so much larger than any namesake in another country


def town_country(tok: Token) -> str | None:
    """ "from Barnsley": the country of the town a proper name after "from" names, when the gazetteer's
    largest place of that name is a town of some size and no namesake abroad comes near it."""
    if tok.pos_ != "PROPN" or not tok.is_title:
        return None
    words = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and c.pos_ == "PROPN"]
    return _town_country(tok.doc[(words[0].i if words else tok.i) : tok.i + 1].text)


@functools.lru_cache(maxsize=4096)
def _town_country(name: str) -> str | None:
    """``town_country`` by name, asked of the gazetteer once per name and process."""
    try:
        from kronika.places.gazetteer import open_index

        found = [c for c in open_index().candidates(name) if c.feature in ("city", "admin2")]
    except Exception:  # the gazetteer cannot be opened: no home town
        return None
    if not found or found[0].population < HOME_MIN_POPULATION:
        return None
    top = found[0]
    abroad = [c for c in found[1:] if c.country != top.country]
    if abroad and abroad[0].population * HOME_DOMINANCE > top.population:
        return None
    return top.country


FOCUS_KINDS = ("country", "capital", "demonym", "person", "seat")  # mentions that name a state
FOCUS_MIN_MENTIONS = 3
FOCUS_MIN_SHARE = 0.4


def focus_country(knowledge: Knowledge, resolver: ActorResolver, places: Sequence[Place]) -> str | None:
    """The country a document is about: the state named most often (its name, capital, people,
    leaders, seats of government and the places in it), when it has at least three mentions and
    two fifths of them. "Police", "the courts", "the opposition" with no other country are its own."""
    counts: Counter[str] = Counter()
    non_state = knowledge.non_state_codes
    for m in resolver.index.matches:
        ref = m.refs[0]
        if ref.kind in FOCUS_KINDS and ref.code and ref.code not in non_state:
            counts[ref.code] += 1
    for p in places:
        if p.country and p.country not in non_state:
            counts[p.country] += 1
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    return code if n >= FOCUS_MIN_MENTIONS and n >= FOCUS_MIN_SHARE * sum(counts.values()) else None
