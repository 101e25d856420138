"""The event lexicon (triggers, modality cues) and the PLOVER type table, read from data files."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kronika.config import DEFAULT_SETTINGS, Settings

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
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
    modes: dict[str, float]
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
    mode_hints: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def candidates(self, lemma: str) -> list[Trigger]:
        return self.triggers.get(lemma, [])

    def type_info(self, event: str) -> TypeInfo | None:
        return self.types.get(event)


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def build_lexicon(dirs: list[Path]) -> Lexicon:
    lex = Lexicon()
    for d in dirs:
        path = d / "events" / "types.yaml"
        if not path.is_file():
            continue
        data = _load(path) or {}
        items = data.items() if isinstance(data, dict) else ((e["name"], e) for e in data)
        for name, e in items:
            modes = e.get("modes") or {}
            if isinstance(modes, list):
                modes = {str(m): None for m in modes}
            lex.types[name] = TypeInfo(
                name,
                e.get("quad_code"),
                e.get("scale"),
                {k: v for k, v in modes.items()},
                str(e["default_cameo"]) if e.get("default_cameo") is not None else None,
                bool(e.get("requires_recipient", False)),
                tuple(_as_list(e.get("default_recipient_preps"))),
                e.get("implied_recipient"),
                e.get("implied_actor"),
            )
    for d in dirs:
        path = d / "events" / "triggers.yaml"
        if not path.is_file():
            continue
        for e in _load(path) or []:
            lemma = tuple(str(e["lemma"]).lower().split())
            with_ = frozenset(w.lower() for w in _as_list(e.get("with")))
            t = Trigger(
                lemma=lemma,
                pos=frozenset(_as_list(e.get("pos")) or ["VERB", "NOUN"]),
                event=str(e["event"]).upper(),
                cameo=str(e.get("cameo") or ""),
                mode=e.get("mode") or None,
                context=tuple(_as_list(e.get("context"))),
                with_=with_,
                without=frozenset(w.lower() for w in _as_list(e.get("without"))),
                reciprocal=bool(e.get("reciprocal", False)),
                recipient_preps=tuple(_as_list(e["recipient_preps"])) if e.get("recipient_preps") else None,
                priority=int(e.get("priority", 1)) + (1 if with_ else 0) + (len(lemma) - 1),
                domestic=bool(e.get("domestic", False)),
                keeps_future=bool(e.get("keeps_future", False)),
            )
            lex.triggers.setdefault(lemma[0], []).append(t)
    for d in dirs:
        path = d / "events" / "cues.yaml"
        if path.is_file():
            for name, words in (_load(path) or {}).items():
                if name == "modes":
                    for etype, modes in words.items():
                        slot = lex.mode_hints.setdefault(etype, {})
                        for mode, lemmas in modes.items():
                            slot[mode] = slot.get(mode, frozenset()) | frozenset(
                                str(w).lower() for w in lemmas
                            )
                    continue
                lex.cues[name] = lex.cues.get(name, frozenset()) | frozenset(str(w).lower() for w in words)
    return lex


@functools.lru_cache(maxsize=8)
def _cached(dirs: tuple[Path, ...]) -> Lexicon:
    return build_lexicon(list(dirs))


def load_lexicon(settings: Settings | None = None) -> Lexicon:
    settings = settings or DEFAULT_SETTINGS
    return _cached(tuple(settings.knowledge_dirs()))
