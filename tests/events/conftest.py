"""Fixtures for the event stages: a sentence parsed by the loaded pipeline, with the stages' context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from spacy.tokens import Doc, Span, Token

from kronika.actors.recognize import ActorResolver
from kronika.events.context import EventContext
from kronika.events.draft import EventDraft
from kronika.events.extract import candidates, main_line
from kronika.places import find_places

PUB = dt.date(2016, 2, 24)


@dataclass
class Parsed:
    """One parsed text: its first sentence and the context the event stages read."""

    doc: Doc
    sent: Span
    ctx: EventContext

    def token(self, text: str, nth: int = 0) -> Token:
        """The ``nth`` token whose text is ``text``."""
        return [t for t in self.doc if t.text == text][nth]

    def drafts(self) -> list[EventDraft]:
        """The sentence's drafts before roles: triggers folded by their frames, main line only."""
        return main_line(candidates(self.ctx, self.sent))


@pytest.fixture(scope="session")
def coder(nlp):
    from kronika.pipeline import get_coder

    return get_coder()


@pytest.fixture(scope="session")
def parse(coder) -> Callable[..., Parsed]:
    def _parse(text: str, pub: dt.date | None = PUB) -> Parsed:
        doc = coder.nlp(text)
        index = coder.matcher.index(doc)
        resolver = ActorResolver(coder.kb, index, pub)
        places = find_places(doc, knowledge=coder.knowledge)
        ctx = EventContext.build(coder.knowledge, resolver, pub, places)
        sent = next(iter(doc.sents))
        resolver.observe(sent)
        return Parsed(doc, sent, ctx)

    return _parse
