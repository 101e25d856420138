"""Boilerplate pattern data: the YAML files under ``data/boilerplate/`` of every knowledge folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kronika.config import Settings
from kronika.knowledge.bundle import load_knowledge
from kronika.knowledge.models import BoilerplateFile, LineRules

_BULLET = re.compile(r"^(?:[•·*▪►»>|-]+|\d{1,3}[.)])\s*")
_TRAIL_SEPARATORS = ":|»>›•·"
# Boilerplate is short: longer lines are body text and are not tried against the patterns (which keeps
# any pattern, packaged or a user's, from taking long on a long line).
MAX_PATTERN_LINE = 2000


def _strip_trailing(s: str) -> str:
    """``s`` without trailing whitespace and separators (a scan from the end: linear on any line)."""
    end = len(s)
    while end and (s[end - 1].isspace() or s[end - 1] in _TRAIL_SEPARATORS):
        end -= 1
    return s[:end]


def normalise_line(line: str) -> str:
    """Lower-case a line and strip bullets, numbering and trailing separators, for phrase lookup."""
    s = " ".join(line.split())
    s = _BULLET.sub("", s)
    s = _strip_trailing(s)
    return " ".join(s.split()).lower()


def pattern_line(stripped: str) -> str | None:
    """The form of a stripped line that patterns are searched in (whitespace runs as one space), or
    None for a line too long to be boilerplate."""
    if len(stripped) > 4 * MAX_PATTERN_LINE:
        return None
    s = " ".join(stripped.split())
    return s if len(s) <= MAX_PATTERN_LINE else None


@dataclass
class KindRules:
    """Whole-line phrases and regular expressions for one kind of boilerplate."""

    lines: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)

    def matches(self, stripped: str, norm: str) -> bool:
        if norm in self.lines:
            return True
        line = pattern_line(stripped) if self.patterns else None
        return line is not None and any(p.search(line) for p in self.patterns)


@dataclass
class Boilerplate:
    """All boilerplate rules, merged from the packaged data and the user's knowledge folders."""

    kinds: dict[str, KindRules] = field(default_factory=dict)
    strong_headers: KindRules = field(default_factory=KindRules)
    weak_headers: KindRules = field(default_factory=KindRules)
    glue_starters: set[str] = field(default_factory=set)
    link_sections: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)


def _extend(rules: KindRules, data: LineRules | None) -> None:
    if data is None:
        return
    for line in data.lines:
        rules.lines.add(normalise_line(str(line)))
    rules.patterns.extend(re.compile(raw, re.IGNORECASE) for raw in data.patterns)


def build_boilerplate(data: BoilerplateFile, sources: list[str]) -> Boilerplate:
    """The rules of the validated boilerplate files (already merged, folder by folder)."""
    bp = Boilerplate(sources=sources)
    for kind, rules in data.kinds.items():
        _extend(bp.kinds.setdefault(str(kind), KindRules()), rules)
    _extend(bp.strong_headers, data.comment_headers.strong)
    _extend(bp.weak_headers, data.comment_headers.weak)
    bp.glue_starters.update(str(w) for w in data.glue_starters)
    bp.link_sections.update(str(w).lower() for w in data.link_sections)
    return bp


def load_boilerplate(settings: Settings | None = None) -> Boilerplate:
    """The boilerplate rules of ``settings.knowledge_dirs()`` (the ones on their ``Knowledge`` bundle)."""
    return load_knowledge(settings).boilerplate
