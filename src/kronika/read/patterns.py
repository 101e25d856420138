"""Boilerplate pattern data: the YAML files under ``data/boilerplate/`` of every knowledge folder."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from kronika.config import Settings

log = logging.getLogger(__name__)

_BULLET = re.compile(r"^(?:[•·*▪►»>|-]+|\d{1,3}[.)])\s*")
_TRAIL = re.compile(r"[\s:|»>›•·]+$")


def normalise_line(line: str) -> str:
    """Lower-case a line and strip bullets, numbering and trailing separators, for phrase lookup."""
    s = line.strip()
    s = _BULLET.sub("", s)
    s = _TRAIL.sub("", s)
    return " ".join(s.split()).lower()


@dataclass
class KindRules:
    """Whole-line phrases and regular expressions for one kind of boilerplate."""

    lines: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)

    def matches(self, stripped: str, norm: str) -> bool:
        if norm in self.lines:
            return True
        return any(p.search(stripped) for p in self.patterns)


@dataclass
class Boilerplate:
    """All boilerplate rules, merged from the packaged data and the user's knowledge folders."""

    kinds: dict[str, KindRules] = field(default_factory=dict)
    strong_headers: KindRules = field(default_factory=KindRules)
    weak_headers: KindRules = field(default_factory=KindRules)
    glue_starters: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)


def _compile(raw: str, where: Path) -> re.Pattern[str] | None:
    try:
        return re.compile(raw, re.IGNORECASE)
    except re.error as exc:
        log.warning("ignoring bad boilerplate pattern %r in %s: %s", raw, where, exc)
        return None


def _extend(rules: KindRules, data: object, where: Path) -> None:
    if not isinstance(data, dict):
        return
    for line in data.get("lines") or []:
        rules.lines.add(normalise_line(str(line)))
    for raw in data.get("patterns") or []:
        pat = _compile(str(raw), where)
        if pat is not None:
            rules.patterns.append(pat)


def _merge_file(bp: Boilerplate, path: Path) -> None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("ignoring boilerplate file %s: %s", path, exc)
        return
    if not isinstance(data, dict):
        log.warning("ignoring boilerplate file %s: not a mapping", path)
        return
    for kind, rules in (data.get("kinds") or {}).items():
        _extend(bp.kinds.setdefault(str(kind), KindRules()), rules, path)
    headers = data.get("comment_headers") or {}
    _extend(bp.strong_headers, headers.get("strong"), path)
    _extend(bp.weak_headers, headers.get("weak"), path)
    bp.glue_starters.update(str(w) for w in data.get("glue_starters") or [])
    bp.sources.append(str(path))


@lru_cache(maxsize=8)
def _load(dirs: tuple[Path, ...]) -> Boilerplate:
    bp = Boilerplate()
    for d in dirs:
        folder = d / "boilerplate"
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                _merge_file(bp, path)
    return bp


def load_boilerplate(settings: Settings | None = None) -> Boilerplate:
    """Load (once per set of folders) the boilerplate rules of ``settings.knowledge_dirs()``."""
    settings = settings or Settings()
    return _load(tuple(Path(d) for d in settings.knowledge_dirs()))
