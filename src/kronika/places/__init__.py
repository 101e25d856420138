"""Places: the gazetteer's place mentions and an event's place (``mentions``), the world gazetteer
index (``gazetteer``) and toponym resolution (``resolve``)."""

from kronika.places.mentions import (
    CLAUSE_DEPS,
    CORE_DEPS,
    KINDS,
    PLACE_KINDS,
    Gazetteer,
    Place,
    PlaceEntry,
    PlaceWordSets,
    build_gazetteer,
    build_matcher,
    event_place,
    find_places,
    form_variants,
    load_gazetteer,
    tokenize,
)

__all__ = [
    "CLAUSE_DEPS",
    "CORE_DEPS",
    "KINDS",
    "PLACE_KINDS",
    "Gazetteer",
    "Place",
    "PlaceEntry",
    "PlaceWordSets",
    "build_gazetteer",
    "build_matcher",
    "event_place",
    "find_places",
    "form_variants",
    "load_gazetteer",
    "tokenize",
]
