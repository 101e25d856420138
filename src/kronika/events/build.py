"""Build the ``Event`` record of a draft: type table, date, scale, mode, modality and confidence.

This is where an event's meaning is finished: the mode must be one of its type's modes and gives the
scale when the type scales it by mode; the date comes from ``kronika.dates``; an asserted event the
text dates more than a year before publication is "historical"; the confidence is the calibrated
probability that the record is right (``events.confidence``).
"""

from __future__ import annotations

from spacy.tokens import Span

from kronika.dates import resolve_event_date
from kronika.dates.resolve import DateResolution
from kronika.document import Document
from kronika.events.confidence import probability
from kronika.events.draft import EventDraft
from kronika.events.lexicon import TypeInfo
from kronika.events.vocab import HISTORICAL_YEARS
from kronika.knowledge import Knowledge
from kronika.records import Event


def build_event(
    d: EventDraft,
    sent: Span,
    s_idx: int,
    document: Document,
    knowledge: Knowledge,
    story_year: int | None = None,
) -> Event:
    """The record of draft ``d`` found in sentence ``sent`` (the ``s_idx``-th) of ``document``, with
    the probability that it is right from the confidence model (``story_year``: see
    ``resolve_event_date``)."""
    trig = d.trigger
    first, last = trig.tokens[0], trig.tokens[-1]
    info = knowledge.lexicon.type_info(d.event)
    mode = record_mode(d, info)
    date = resolve_event_date(sent, trig.token, document.pub_date, story_year)
    event = Event(
        doc_id=document.doc_id,
        event=[d.event],
        actor=[a.entity() for a in d.actors],
        recipient=[r.entity() for r in d.recipients],
        cameo=d.cameo or (info.default_cameo if info else None),
        quad_code=info.quad_code if info else None,
        event_scale=scale(info, mode),
        text=sent.text,
        sentence_index=s_idx,
        sentence_start=sent.start_char,
        sentence_end=sent.end_char,
        trigger_start=first.idx,
        trigger_end=last.idx + len(last.text),
        event_text=document.text[first.idx : last.idx + len(last.text)],
        mode=[mode] if mode else [],
        context=list(trig.entry.context),
        date=date.date,
        date_precision=date.precision,
        date_text=date.text,
        date_source=date.source,
        modality=record_modality(d.modality, date, document),
        attribution=d.attribution.entity() if d.attribution else None,
        attribution_text=d.attribution_text,
        pub_date=document.pub_date.isoformat() if document.pub_date else None,
        rule=d.rule,
        place=d.place,
    )
    event.confidence = probability(knowledge.confidence, event.to_dict())
    return event


def record_mode(d: EventDraft, info: TypeInfo | None) -> str | None:
    """The draft's mode when its type knows it (a type without modes keeps any)."""
    return d.mode if info is None or d.mode is None or d.mode in info.modes else None


def scale(info: TypeInfo | None, mode: str | None) -> float | None:
    """The event's place on the conflict-cooperation scale: by mode when the type scales its modes."""
    if info is None:
        return None
    by_mode = info.modes.get(mode) if mode else None
    return by_mode if by_mode is not None else info.scale


def record_modality(modality: str, date: DateResolution, document: Document) -> str:
    """An asserted event dated in the text well before publication is "historical"."""
    pub = document.pub_date
    if (
        modality == "asserted"
        and date.date
        and pub
        and date.source == "text"
        and int(date.date[:4]) < pub.year - HISTORICAL_YEARS
    ):
        return "historical"
    return modality
