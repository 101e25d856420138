"""The knowledge bundle kept on disk: built once, opened at once by later processes.

Reading and validating every knowledge file and building the lookups on them (the actor knowledge
base, the gazetteer's forms) takes seconds; a process that finds a cache file whose key matches
unpickles the validated bundle instead. The key is a hash of every knowledge file of the folders
(path and content), of Kronika's own source files and of the versions of Python, pydantic and spaCy
(the gazetteer's forms are spaCy tokens), so any change to the data or the code that builds on it
makes a new key, and the file is rebuilt. A cache file that cannot be read (cut short, corrupt, from
another version) is rebuilt, never trusted: the bundle is built from the files as without a cache.

Files live in ``$KRONIKA_CACHE`` (as the gazetteer's index, ``kronika.places.gazetteer``), one per
set of knowledge folders, named ``knowledge-<hash of the folders' paths>.pickle``; only the newest
``KEEP`` are kept. ``KRONIKA_KNOWLEDGE_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
KEEP = 16  # cache files kept in the folder (one per set of knowledge folders), newest first
PATTERNS = ("**/*.yaml", "**/*.yml")
_PACKAGE = Path(__file__).resolve().parent.parent  # kronika/


def enabled() -> bool:
    return os.environ.get("KRONIKA_KNOWLEDGE_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def cache_dir() -> Path:
    from kronika.config import default_cache_dir

    return default_cache_dir()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _hash_files(h: Any, root: Path, patterns: Sequence[str]) -> None:
    if not root.is_dir():
        h.update(f"missing:{root}\n".encode())
        return
    files = sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()})
    for path in files:
        h.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError as exc:
            h.update(f"unreadable:{exc.errno}".encode())


def key(dirs: Sequence[Path]) -> str:
    """The hash of everything the bundle is built from: data files, code, library versions."""
    h = hashlib.sha256(f"kronika-knowledge-{FORMAT}|{sys.version}".encode())
    for name in ("pydantic", "spacy", "kronika"):
        h.update(f"|{name}={_version(name)}".encode())
    _hash_files(h, _PACKAGE, ("**/*.py",))
    for d in dirs:
        h.update(f"\n[{Path(d).resolve()}]".encode("utf-8", "surrogateescape"))
        _hash_files(h, Path(d), PATTERNS)
    return h.hexdigest()


def path_for(dirs: Sequence[Path], folder: Path | None = None) -> Path:
    """The cache file of a set of knowledge folders."""
    names = "\n".join(str(Path(d).resolve()) for d in dirs)
    digest = hashlib.sha256(names.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return (folder or cache_dir()) / f"knowledge-{digest}.pickle"


def read(path: Path, want: str) -> dict[str, Any] | None:
    """The state stored at ``path`` under the key ``want``; ``None`` when absent, stale or unreadable."""
    from kronika.heap import paused_collector

    try:
        with path.open("rb") as f, paused_collector():  # a new heap of long-lived objects
            got = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 -- a corrupt or foreign file is rebuilt, whatever it holds
        log.warning("knowledge cache %s cannot be read (%s): rebuilding it", path, type(exc).__name__)
        return None
    if not isinstance(got, dict) or got.get("key") != want or not isinstance(got.get("state"), dict):
        log.info("knowledge cache %s is out of date: rebuilding it", path)
        return None
    return got["state"]


def write(path: Path, want: str, state: dict[str, Any]) -> bool:
    """Store ``state`` under ``want`` atomically (a reader sees the old file or the new one); False
    when the folder cannot be written (the process goes on without a cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump({"key": want, "state": state}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.info("knowledge cache not written to %s: %s", path, exc)
        return False
    _prune(path.parent)
    return True


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` newest knowledge cache files."""
    try:
        files = sorted(folder.glob("knowledge-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
