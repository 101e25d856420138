"""The word lists behind date finding and resolution, read from ``data/dates/expressions.yaml``."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kronika.config import DEFAULT_SETTINGS, Settings

log = logging.getLogger(__name__)

LEXICON_FILE = Path("dates") / "expressions.yaml"


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

    def month_number(self, word: str) -> int | None:
        """Month number of a month name or abbreviation ("Nov." → 11)."""
        return self.months.get(word.lower().rstrip("."))

    def weekday_number(self, word: str) -> int | None:
        """Monday = 0 … Sunday = 6, as ``datetime.date.weekday``."""
        return self.weekdays.get(word.lower().rstrip("."))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


def _read(dirs: tuple[Path, ...]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for folder in dirs:
        path = folder / LEXICON_FILE
        if path.is_file():
            log.debug("reading date lexicon %s", path)
            with path.open(encoding="utf-8") as fh:
                raw = _merge(raw, yaml.safe_load(fh) or {})
    return raw


def _lower_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in mapping.items()}


def _lower_set(items: list[Any]) -> frozenset[str]:
    return frozenset(str(i).lower() for i in items)


@functools.lru_cache(maxsize=8)
def _load(dirs: tuple[Path, ...]) -> DateLexicon:
    raw = _read(dirs)
    return DateLexicon(
        weekdays={k: int(v) for k, v in _lower_keys(raw.get("weekdays", {})).items()},
        months={k: int(v) for k, v in _lower_keys(raw.get("months", {})).items()},
        named_days={k: int(v) for k, v in _lower_keys(raw.get("named_days", {})).items()},
        day_parts=_lower_set(raw.get("day_parts", [])),
        units={k: str(v) for k, v in _lower_keys(raw.get("units", {})).items()},
        anchors={k: str(v) for k, v in _lower_keys(raw.get("anchors", {})).items()},
        softeners=_lower_set(raw.get("softeners", [])),
        # Longest first, so "the end of" is removed before "end of".
        fuzzy_prefixes=tuple(
            sorted((str(p).lower() for p in raw.get("fuzzy_prefixes", [])), key=len, reverse=True)
        ),
        ago_words=_lower_set(raw.get("ago_words", [])),
        duration_prepositions=_lower_set(raw.get("duration_prepositions", [])),
        duration_words=_lower_set(raw.get("duration_words", [])),
        frequency_words=_lower_set(raw.get("frequency_words", [])),
        age_words=_lower_set(raw.get("age_words", [])),
        future_heads=_lower_set(raw.get("future_heads", [])),
        future_auxiliaries=_lower_set(raw.get("future_auxiliaries", [])),
    )


def load_lexicon(settings: Settings | None = None) -> DateLexicon:
    """The packaged date lexicon extended by the settings' extra knowledge folders (cached)."""
    settings = settings or DEFAULT_SETTINGS
    return _load(tuple(settings.knowledge_dirs()))
