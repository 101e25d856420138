"""The event lexicon (triggers, modality cues) and the PLOVER type table, built from validated data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kronika.config import Settings
from kronika.knowledge.bundle import load_knowledge
from kronika.knowledge.models import PLOVER_TYPES, Cues, EventTypeEntry, TriggerEntry

__all__ = ["PLOVER_TYPES", "Lexicon", "Trigger", "TypeInfo", "build_lexicon", "load_lexicon"]

COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}


@dataclass(frozen=True)
class Trigger:
    lemma: tuple[str, ...]
    pos: frozenset[str]
    event: str
    cameo: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    with_: frozenset[str] = frozenset()
    without: frozenset[str] = frozenset()
    reciprocal: bool = False
    recipient_preps: tuple[str, ...] | None = None
    priority: int = 1
    domestic: bool = False  # aimed at the actor's own country when the text names no recipient
    keeps_future: bool = False  # "will resign" announces the act, it is not folded into AGREE/THREATEN

    @property
    def rule(self) -> str:
        w = f"+{'|'.join(sorted(self.with_))}" if self.with_ else ""
        return f"triggers:{' '.join(self.lemma)}{w}:{self.event}"


@dataclass(frozen=True)
class TypeInfo:
    name: str
    quad_code: int | None
    scale: float | None
    modes: dict[str, float | None]  # None: the mode has no score of its own
    default_cameo: str | None
    requires_recipient: bool
    recipient_preps: tuple[str, ...]
    # When the text names no participant on a side: "domestic" (the actor's own country) for the
    # recipient, "place" (an unidentified actor in the country where it happened) for the actor.
    implied_recipient: str | None = None
    implied_actor: str | None = None


@dataclass
class Lexicon:
    triggers: dict[str, list[Trigger]] = field(default_factory=dict)  # keyed by the first lemma
    types: dict[str, TypeInfo] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    state_act_sectors: dict[str, str] = field(default_factory=dict)  # mode → sector of an unnamed state
    mode_hints: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def candidates(self, lemma: str) -> list[Trigger]:
        return self.triggers.get(lemma, [])

    def type_info(self, event: str) -> TypeInfo | None:
        return self.types.get(event)


def _words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(str(w).lower() for w in words)


def _type_info(e: EventTypeEntry) -> TypeInfo:
    return TypeInfo(
        e.name,
        e.quad_code,
        e.scale,
        dict(e.modes),
        e.default_cameo,
        e.requires_recipient,
        tuple(e.default_recipient_preps),
        e.implied_recipient,
        e.implied_actor,
    )


def _trigger(e: TriggerEntry) -> Trigger:
    lemma = tuple(e.lemma.lower().split())
    with_ = frozenset(w.lower() for w in e.with_)
    return Trigger(
        lemma=lemma,
        pos=frozenset(e.pos),
        event=e.event,
        cameo=e.cameo,
        mode=e.mode or None,
        context=tuple(e.context),
        with_=with_,
        without=frozenset(w.lower() for w in e.without),
        reciprocal=e.reciprocal,
        recipient_preps=tuple(e.recipient_preps) if e.recipient_preps else None,
        priority=e.priority + (1 if with_ else 0) + (len(lemma) - 1),
        domestic=e.domestic,
        keeps_future=e.keeps_future,
    )


def build_lexicon(types: Iterable[EventTypeEntry], triggers: Iterable[TriggerEntry], cues: Cues) -> Lexicon:
    """The lexicon of validated type, trigger and cue entries (triggers keyed by their first lemma)."""
    lex = Lexicon()
    for e in types:
        lex.types[e.name] = _type_info(e)
    for t in triggers:
        trig = _trigger(t)
        lex.triggers.setdefault(trig.lemma[0], []).append(trig)
    lex.state_act_sectors = dict(cues.state_act_sectors)
    for name, words in cues.model_dump(exclude={"modes", "state_act_sectors"}).items():
        if words:
            lex.cues[name] = _words(words)
    for etype, modes in cues.modes.items():
        lex.mode_hints[etype] = {mode: _words(lemmas) for mode, lemmas in modes.items()}
    return lex


def load_lexicon(settings: Settings | None = None) -> Lexicon:
    """The event lexicon for these settings (the one on their ``Knowledge`` bundle)."""
    return load_knowledge(settings).lexicon
