"""The word lists behind date finding and resolution, from the validated ``dates/expressions.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kronika.config import Settings
from kronika.knowledge.bundle import load_knowledge
from kronika.knowledge.models import DateWords


@dataclass(frozen=True, eq=False)
class DateLexicon:
    """Lower-cased word lists; see the comments in ``expressions.yaml`` for what each one does.

    Compared and hashed by identity, so that a loaded lexicon can key caches.
    """

    weekdays: dict[str, int]
    months: dict[str, int]
    named_days: dict[str, int]
    day_parts: frozenset[str]
    units: dict[str, str]
    anchors: dict[str, str]
    softeners: frozenset[str]
    fuzzy_prefixes: tuple[str, ...]
    ago_words: frozenset[str]
    duration_prepositions: frozenset[str]
    duration_words: frozenset[str]
    frequency_words: frozenset[str]
    age_words: frozenset[str]
    future_heads: frozenset[str]
    future_auxiliaries: frozenset[str]
    period_parts: frozenset[str] = frozenset()
    span_units: frozenset[str] = frozenset()
    period_deictics: frozenset[str] = frozenset()
    relative_anchors: frozenset[str] = frozenset()
    comparatives: frozenset[str] = frozenset()
    weekday_edges: frozenset[str] = frozenset()
    each_words: frozenset[str] = frozenset()
    end_prepositions: frozenset[str] = frozenset()
    antecedent_prepositions: frozenset[str] = frozenset()
    antecedent_nouns: frozenset[str] = frozenset()
    clock_words: frozenset[str] = frozenset()

    def month_number(self, word: str) -> int | None:
        """Month number of a month name or abbreviation ("Nov." → 11)."""
        return self.months.get(word.lower().rstrip("."))

    def weekday_number(self, word: str) -> int | None:
        """Monday = 0 … Sunday = 6, as ``datetime.date.weekday``."""
        return self.weekdays.get(word.lower().rstrip("."))


def _lower_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in mapping.items()}


def _lower_set(items: list[Any]) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items)


def build_date_lexicon(words: DateWords) -> DateLexicon:
    """The lexicon of the validated ``dates/expressions.yaml`` files (lower-cased)."""
    return DateLexicon(
        weekdays={k: int(v) for k, v in _lower_keys(words.weekdays).items()},
        months={k: int(v) for k, v in _lower_keys(words.months).items()},
        named_days={k: int(v) for k, v in _lower_keys(words.named_days).items()},
        day_parts=_lower_set(words.day_parts),
        units={k: str(v) for k, v in _lower_keys(words.units).items()},
        anchors={k: str(v) for k, v in _lower_keys(words.anchors).items()},
        softeners=_lower_set(words.softeners),
        # Longest first, so "the end of" is removed before "end of".
        fuzzy_prefixes=tuple(sorted((str(p).lower() for p in words.fuzzy_prefixes), key=len, reverse=True)),
        ago_words=_lower_set(words.ago_words),
        duration_prepositions=_lower_set(words.duration_prepositions),
        end_prepositions=_lower_set(words.end_prepositions),
        antecedent_prepositions=_lower_set(words.antecedent_prepositions),
        antecedent_nouns=_lower_set(words.antecedent_nouns),
        clock_words=_lower_set(words.clock_words),
        duration_words=_lower_set(words.duration_words),
        frequency_words=_lower_set(words.frequency_words),
        age_words=_lower_set(words.age_words),
        future_heads=_lower_set(words.future_heads),
        future_auxiliaries=_lower_set(words.future_auxiliaries),
        period_parts=_lower_set(words.period_parts),
        span_units=_lower_set(words.span_units),
        period_deictics=_lower_set(words.period_deictics),
        relative_anchors=_lower_set(words.relative_anchors),
        comparatives=_lower_set(words.comparatives),
        weekday_edges=_lower_set(words.weekday_edges),
        each_words=_lower_set(words.each_words),
    )


def load_lexicon(settings: Settings | None = None) -> DateLexicon:
    """The packaged date lexicon extended by the settings' extra knowledge folders (on the bundle)."""
    return load_knowledge(settings).dates
