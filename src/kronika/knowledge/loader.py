"""The one loader of knowledge files: every kind, every folder, one override rule, every error at once.

Folders are read in order (the packaged ``data/`` first, then ``Settings.data_dirs``). Two shapes of
file exist (see ``docs/knowledge.md``):

* entry files (a list of entries, or a mapping of named entries as ``events/types.yaml``): each entry
  has a key; an entry of a later folder with the same key replaces the earlier one (and is read after
  the others), ``remove: true`` with the key deletes it. The same key twice in one folder is an error.
* word-list files (cues, date words, place words, actor groups, boilerplate): a later folder's words
  are added to the earlier ones, and a key of a table (a month name, a family) replaces the earlier
  value. The same key twice in one mapping is an error.

Problems are collected as ``KnowledgeError`` (file, entry, field, line) and raised together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml  # type: ignore[import-untyped]
from pydantic import BaseModel, ValidationError

from kronika.config import DATA_DIR
from kronika.knowledge import models as m
from kronika.knowledge.errors import KnowledgeError, KnowledgeErrors

log = logging.getLogger(__name__)

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, with a date that does not exist ("2020-13-01") kept as text for the schema."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_LOADER = _Loader

Shape = Literal["list", "mapping", "document"]


@dataclass(frozen=True)
class FileKind:
    """One kind of knowledge file: where it lives in a folder, its model and its shape."""

    name: str
    patterns: tuple[str, ...]
    model: type[BaseModel]
    shape: Shape
    key_fields: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def files(self, folder: Path) -> list[Path]:
        found: list[Path] = []
        for pattern in self.patterns:
            found += [p for p in sorted(folder.glob(pattern)) if p.is_file()]
        return [p for p in found if p.relative_to(folder).as_posix() not in self.exclude]


KINDS: dict[str, FileKind] = {
    k.name: k
    for k in (
        FileKind("countries", ("actors/countries.yaml",), m.Country, "list", ("code",)),
        FileKind("seats", ("actors/seats.yaml",), m.Seat, "list", ("text",)),
        FileKind("organizations", ("actors/organizations.yaml",), m.Organization, "list", ("name",)),
        FileKind("people", ("actors/people.yaml",), m.PersonEntry, "list", ("name",)),
        FileKind("sectors", ("actors/sectors.yaml",), m.SectorTitleEntry, "list", ("text",)),
        FileKind("cow", ("actors/cow.yaml",), m.CowEntry, "list", ("code",)),
        FileKind("actor_groups", ("actors/groups.yaml",), m.ActorGroups, "document"),
        FileKind("cameo", ("events/cameo.yaml",), m.CameoEntry, "list", ("code",)),
        FileKind("types", ("events/types.yaml",), m.EventTypeEntry, "mapping", ("name",)),
        FileKind("triggers", ("events/triggers.yaml",), m.TriggerEntry, "list", ("lemma",)),
        FileKind("cues", ("events/cues.yaml",), m.Cues, "document"),
        FileKind("confidence", ("events/confidence.yaml",), m.ConfidenceWeights, "document"),
        FileKind("lemmas", ("nlp/lemmas.yaml",), m.Lemmas, "document"),
        FileKind("dates", ("dates/expressions.yaml",), m.DateWords, "document"),
        FileKind(
            "places",
            ("places/*.yaml",),
            m.PlaceEntryModel,
            "list",
            ("name",),
            ("places/words.yaml", "places/regions.yaml"),
        ),
        FileKind("regions", ("places/regions.yaml",), m.RegionEntry, "list", ("name",)),
        FileKind("place_words", ("places/words.yaml",), m.PlaceWords, "document"),
        FileKind("boilerplate", ("boilerplate/*.yaml", "boilerplate/*.yml"), m.BoilerplateFile, "document"),
    )
}


@dataclass
class Loaded:
    """One kind read from every folder: merged entries (or the merged document) and what was read."""

    kind: FileKind
    entries: list[Any] = field(default_factory=list)
    document: Any = None
    files: dict[str, int] = field(default_factory=dict)  # file -> entries (or top-level keys) read
    errors: list[KnowledgeError] = field(default_factory=list)


# -- YAML with line numbers ------------------------------------------------------------------------


def display_name(path: Path, folder: Path) -> str:
    """A file as the user knows it: relative for the packaged folder, as given for the user's."""
    rel = path.relative_to(folder).as_posix()
    return rel if folder.resolve() == DATA_DIR.resolve() else str(folder / rel)


def read_yaml(path: Path, name: str) -> tuple[Any, yaml.Node | None, list[KnowledgeError]]:
    """The file's value and its node tree (for line numbers); a syntax error is a KnowledgeError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, [KnowledgeError(name, None, None, f"cannot read the file: {exc}")]
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, None, [KnowledgeError(name, None, None, f"not valid YAML: {problem}", line)]
    finally:
        loader.dispose()
    return value, node, _duplicate_keys(node, name)


def _duplicate_keys(node: yaml.Node | None, name: str) -> list[KnowledgeError]:
    """A key written twice in one mapping (YAML would silently keep the last one)."""
    errors: list[KnowledgeError] = []
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    line = k.start_mark.line + 1
                    if k.value in seen:
                        msg = f"duplicate key (first written on line {seen[k.value]})"
                        errors.append(KnowledgeError(name, k.value, None, msg, line))
                    seen.setdefault(k.value, line)
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return errors


def _children(node: yaml.Node | None) -> list[yaml.Node | None]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [v for _, v in node.value]
    return []


def locate(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest node along ``loc`` (pydantic's error location) that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if nxt is None:  # the key itself, when the error is about the key (a misspelt field)
                nxt = next((k for k, _ in node.value if getattr(k, "value", None) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def field_path(loc: Sequence[int | str]) -> str:
    """pydantic's ``('roles', 0, 'start')`` as ``roles[0].start``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("function-", "union[")) and "[" not in str(part):
            out += f".{part}" if out else str(part)
    return out


def validation_errors(
    exc: ValidationError, name: str, entry: str | None, node: yaml.Node | None, split_section: bool = False
) -> list[KnowledgeError]:
    """pydantic's errors as KnowledgeErrors; ``split_section``: the first key of the path is the entry."""
    out = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function")))]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown field (misspelt?)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        line = locate(node, loc)
        label, path = entry, loc
        if split_section and loc:
            label, path = str(loc[0]), loc[1:]
            if err["type"] == "extra_forbidden" and not path:
                msg = "unknown list or table (misspelt?)"
        out.append(KnowledgeError(name, label, field_path(path) or None, msg, line))
    return out


# -- entry files -----------------------------------------------------------------------------------


def raw_key(kind: FileKind, raw: dict[str, Any]) -> str | None:
    """The key of an entry as written (before validation), for removals and error messages."""
    values = [raw.get(f) for f in kind.key_fields]
    if any(v is None or v == "" for v in values):
        return None
    if kind.name == "triggers":
        return m.trigger_key(raw["lemma"], raw.get("pos"), raw.get("with"), raw.get("without"))
    if kind.name == "sectors":
        return " ".join(str(values[0]).lower().split())
    return str(values[0]).strip()


def _entries(kind: FileKind, value: Any, node: yaml.Node | None) -> Iterator[tuple[Any, yaml.Node | None]]:
    """The raw entries of a list or mapping file, each with its node."""
    if kind.shape == "list":
        yield from zip(value, _children(node) or [None] * len(value), strict=False)
        return
    if isinstance(node, yaml.MappingNode):
        nodes = [v for _, v in node.value]
    else:
        nodes = _children(node) or [None] * len(value)
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for (name, raw), n in zip(items, nodes, strict=False):
        if isinstance(value, dict) and isinstance(raw, dict):
            raw = {"name": name, **raw}
        yield raw, n


def _shape_error(kind: FileKind, value: Any, name: str) -> KnowledgeError | None:
    want = list if kind.shape == "list" else (dict, list) if kind.shape == "mapping" else dict
    if value is None or isinstance(value, want):
        return None
    what = "a list of entries" if kind.shape == "list" else "a mapping"
    return KnowledgeError(name, None, None, f"expected {what}, got {type(value).__name__}")


@dataclass
class _Layer:
    """The entries of one folder, by key, with the line each key was first written on."""

    entries: dict[str, Any] = field(default_factory=dict)  # key -> Entry, or None for a removal
    where: dict[str, tuple[str, int | None]] = field(default_factory=dict)


def _read_entry(
    kind: FileKind, raw: Any, node: yaml.Node | None, name: str, i: int, out: Loaded
) -> tuple[str, Any] | None:
    """Validate one raw entry: ``(key, entry)``, ``(key, None)`` for a removal, None when bad."""
    line = node.start_mark.line + 1 if node is not None else None
    if not isinstance(raw, dict):
        out.errors.append(KnowledgeError(name, f"#{i + 1}", None, "an entry must be a mapping", line))
        return None
    key = raw_key(kind, raw)
    label = key or f"#{i + 1}"
    if raw.get("remove") is True:
        if key is None:
            msg = f"a removal needs the entry's key ({', '.join(kind.key_fields)})"
            out.errors.append(KnowledgeError(name, label, kind.key_fields[0], msg, line))
            return None
        return key, None
    try:
        entry = kind.model.model_validate(raw)
    except ValidationError as exc:
        out.errors.extend(validation_errors(exc, name, label, node))
        return None
    return entry.key(), entry  # type: ignore[attr-defined]


def _read_layer(kind: FileKind, folder: Path, out: Loaded) -> _Layer:
    layer = _Layer()
    for path in kind.files(folder):
        name = display_name(path, folder)
        value, node, errors = read_yaml(path, name)
        out.errors.extend(errors)
        shape = _shape_error(kind, value, name)
        if shape is not None or value is None:
            out.errors.extend([shape] if shape else [])
            out.files[name] = 0
            continue
        read = 0
        for i, (raw, n) in enumerate(_entries(kind, value, node)):
            got = _read_entry(kind, raw, n, name, i, out)
            if got is None:
                continue
            key, entry = got
            line = n.start_mark.line + 1 if n is not None else None
            if key in layer.where:
                first, first_line = layer.where[key]
                msg = f"duplicate key: the entry is already written in {first}:{first_line}"
                out.errors.append(KnowledgeError(name, key, None, msg, line))
                continue
            layer.where[key] = (name, line)
            layer.entries[key] = entry
            read += 1
        out.files[name] = read
    return layer


def load_entries(kind: FileKind, dirs: Sequence[Path]) -> Loaded:
    """An entry kind from every folder: a later folder's key replaces, ``remove: true`` deletes."""
    out = Loaded(kind)
    merged: dict[str, Any] = {}
    for folder in dirs:
        layer = _read_layer(kind, folder, out)
        for key, entry in layer.entries.items():
            if entry is None:
                if merged.pop(key, None) is None:
                    name, line = layer.where[key]
                    msg = "remove: true, but no earlier folder has an entry with this key"
                    out.errors.append(KnowledgeError(name, key, "remove", msg, line))
                continue
            merged.pop(key, None)
            merged[key] = entry
    out.entries = list(merged.values())
    return out


# -- word-list files -------------------------------------------------------------------------------


def merge_words(base: Any, extra: Any) -> Any:
    """``extra`` over ``base``: mappings merge key by key, lists are extended, anything else replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for k, v in extra.items():
            merged[k] = merge_words(merged[k], v) if k in merged else v
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return [*base, *extra]
    return extra


def load_document(kind: FileKind, dirs: Sequence[Path]) -> Loaded:
    """A word-list kind from every folder and file, in order, validated file by file."""
    out = Loaded(kind)
    raw: dict[str, Any] = {}
    for folder in dirs:
        for path in kind.files(folder):
            name = display_name(path, folder)
            value, node, errors = read_yaml(path, name)
            out.errors.extend(errors)
            shape = _shape_error(kind, value, name)
            if shape is not None:
                out.errors.append(shape)
                continue
            value = value or {}
            try:
                kind.model.model_validate(value)
            except ValidationError as exc:
                out.errors += validation_errors(exc, name, None, node, split_section=True)
                continue
            out.files[name] = len(value)
            raw = merge_words(raw, value)
    out.document = kind.model.model_validate(raw)
    return out


def load_kind(kind: FileKind | str, dirs: Sequence[Path]) -> Loaded:
    """Read one kind of file from the folders, in order."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    loaded = load_document(kind, dirs) if kind.shape == "document" else load_entries(kind, dirs)
    log.debug("knowledge %s: %s", kind.name, loaded.files)
    return loaded


def load_or_raise(kind: FileKind | str, dirs: Sequence[Path]) -> Loaded:
    loaded = load_kind(kind, dirs)
    if loaded.errors:
        raise KnowledgeErrors(loaded.errors)
    return loaded
