"""The data the event stages pass along: a trigger match and the event draft built around it."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kronika.actors.recognize import CodedActor
from kronika.events.lexicon import Trigger
from kronika.events.vocab import VERB_POS
from kronika.places import Place


@dataclass
class TriggerMatch:
    """A lexicon entry found in a sentence: its first token, all its tokens and the entry."""

    token: Token
    tokens: list[Token]
    entry: Trigger

    @property
    def pos(self) -> str:
        return "VERB" if self.token.pos_ in VERB_POS else "NOUN"

    @property
    def head(self) -> Token:
        """The syntactic head of a multi-word trigger ("phone call" → call)."""
        return phrase_head(self.tokens)

    @property
    def named_contact(self) -> bool:
        """A contact noun owned by its parties ("their phone call", "Putin's talks") reports a contact
        that happened, wherever it stands: "During their phone call on Tuesday, Putin told Trump ..."."""
        return self.entry.reciprocal and any(c.dep_ == "poss" for c in self.head.children)


def phrase_head(tokens: list[Token]) -> Token:
    """The syntactic head of a multi-word phrase."""
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head == t), tokens[0])


@dataclass
class EventDraft:
    """An event being assembled; ``events.build.build_event`` turns a draft into a record."""

    trigger: TriggerMatch
    event: str
    cameo: str
    mode: str | None
    verb: Token  # where the actor is looked for
    content: Token  # where the recipient is looked for
    actors: list[CodedActor] = field(default_factory=list)
    recipients: list[CodedActor] = field(default_factory=list)
    attribution: CodedActor | None = None
    attribution_text: str | None = None
    modality: str = "asserted"
    actor_from_grammar: bool = True
    rule: str = ""
    place: Place | None = None

    @classmethod
    def from_match(cls, m: TriggerMatch) -> EventDraft:
        """The draft of a trigger as the lexicon codes it, before any frame re-types it."""
        e = m.entry
        return cls(m, e.event, e.cameo, e.mode, m.token, m.token, rule=e.rule)

    def retype(self, event: str, cameo: str) -> None:
        """Give the draft a frame's type and its CAMEO root code ("threatened to ..." → THREATEN 130)."""
        self.event, self.cameo = event, cameo
