"""What every event stage of one document reads: the knowledge (lexicon, cues, code tables), the
actor resolver, the publication date and the places found in the text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from kronika.actors.recognize import ActorResolver, CodedActor
from kronika.events.lexicon import Lexicon
from kronika.knowledge import Knowledge
from kronika.places import Place

_EMPTY: frozenset[str] = frozenset()


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
        return objs[0] if objs else None

    def code(self, tok: Token | None) -> list[CodedActor]:
        """The actors of the phrase headed by ``tok``, or of the first coded phrase inside it."""
        if tok is None:
            return []
        found = self.resolver.code_phrase(tok)
        if found:
            return found
        # Nothing coded on the head phrase: look deeper ("the Red Cross operating in Iraq" stays as is,
        # but "a group of Chechen refugees" or "warships of the French navy" descend).
        for t in tok.subtree:
            if t.i == tok.i or t.dep_ in ("relcl", "acl", "advcl"):
                continue
            if self.known(t) or t.ent_type_ == "PERSON":
                inner = self.resolver.code_phrase(t)
                if inner and all(a.kind == "capital" for a in inner) and self.locative_pobj(t):
                    continue  # "talks in Ankara": where, not who
                if inner:
                    return inner
        return []
