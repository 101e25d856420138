"""The ``Knowledge`` bundle: every piece of knowledge for one set of folders, validated, built once.

``load_knowledge(settings)`` is the one cache (keyed by the knowledge folders); everything else
(the actor knowledge base, the event lexicon, the date words, the gazetteer, the boilerplate rules,
the export code tables) hangs on the bundle and is built the first time it is asked for. The bundle
``load_knowledge`` gives is also kept on disk (``kronika.knowledge.cache``): a later process with the
same files and code unpickles it instead of reading and building.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kronika.config import Settings, current_settings
from kronika.knowledge import models as m
from kronika.knowledge.errors import KnowledgeError, KnowledgeErrors
from kronika.knowledge.loader import KINDS, Loaded, load_kind

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.vocab import Vocab

    from kronika.actors.kb import KnowledgeBase
    from kronika.dates.lexicon import DateLexicon
    from kronika.events.lexicon import Lexicon
    from kronika.places import Gazetteer, PlaceWordSets
    from kronika.read.patterns import Boilerplate
    from kronika.store.export import CowState

log = logging.getLogger(__name__)

class Knowledge:
    """All the knowledge read from ``dirs`` (the packaged folder first), kind by kind, on demand.

    Reading a kind with a bad entry raises ``KnowledgeErrors`` with every problem of that kind;
    ``check()`` reads every kind and raises every problem of every file at once.
    """

    def __init__(self, dirs: Sequence[Path]) -> None:
        self.dirs = tuple(Path(d) for d in dirs)
        self._loaded: dict[str, Loaded] = {}
        self._matcher: tuple[Vocab, PhraseMatcher] | None = None
        # (what, tokenizer) -> phrase patterns as token hashes, kept in the cache file
        self._patterns: dict[tuple[str, str], list[tuple[int, ...]]] = {}
        self.cached = False  # filled from (or written to) the cache file: nothing more to write

    def __repr__(self) -> str:
        return f"Knowledge({[str(d) for d in self.dirs]})"

    # -- the validated data -------------------------------------------------------------------

    def loaded(self, kind: str) -> Loaded:
        """One kind read from every folder; raises ``KnowledgeErrors`` if any of its files is bad."""
        if kind not in self._loaded:
            self._loaded[kind] = load_kind(KINDS[kind], self.dirs)
        got = self._loaded[kind]
        if got.errors:
            raise KnowledgeErrors(got.errors)
        return got

    def entries(self, kind: str) -> list[Any]:
        """The merged entries of an entry kind, in reading order."""
        return self.loaded(kind).entries

    def document(self, kind: str) -> Any:
        """The merged model of a word-list kind."""
        return self.loaded(kind).document

    def check(self) -> dict[str, dict[str, int]]:
        """Read every kind; every problem at once as ``KnowledgeErrors``, else entries per file."""
        errors: list[KnowledgeError] = []
        summary: dict[str, dict[str, int]] = {}
        for name in KINDS:
            if name not in self._loaded:
                self._loaded[name] = load_kind(KINDS[name], self.dirs)
            got = self._loaded[name]
            errors += got.errors
            summary[name] = got.files
        if not errors:
            errors += self._cross_checks()
        if errors:
            raise KnowledgeErrors(errors)
        return summary

    def _cross_checks(self) -> list[KnowledgeError]:
        """Checks between kinds: every trigger's event type has an entry in the types file."""
        types = {t.name for t in self.entries("types")}
        msg = "no event type {!r} in events/types.yaml"
        return [
            KnowledgeError("events/triggers.yaml", t.key(), "event", msg.format(t.event))
            for t in self.entries("triggers")
            if t.event not in types
        ]

    @property
    def confidence(self) -> m.ConfidenceWeights:
        """The confidence model's weights (``events/confidence.yaml``)."""
        return self.document("confidence")

    @property
    def lemmas(self) -> m.Lemmas:
        """Corrections to the parser model's lemmas (``nlp/lemmas.yaml``)."""
        return self.document("lemmas")

    @property
    def cues(self) -> m.Cues:
        """The cue word lists (``events/cues.yaml``), lower-cased by the lexicon in ``lexicon.cues``."""
        return self.document("cues")

    @property
    def actor_groups(self) -> m.ActorGroups:
        """Quantity heads, sector families, state sectors and non-state codes (``actors/groups.yaml``)."""
        return self.document("actor_groups")

    @functools.cached_property
    def sector_family(self) -> Mapping[str, str]:
        """PLOVER sector -> family ("GOV" -> "state"): within a family two codings are one side."""
        return {s: family for family, sectors in self.actor_groups.sector_families.items() for s in sectors}

    @functools.cached_property
    def quantity_heads(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.actor_groups.quantity_heads)

    @functools.cached_property
    def state_sectors(self) -> frozenset[str]:
        return frozenset(self.actor_groups.state_sectors)

    @functools.cached_property
    def non_state_codes(self) -> frozenset[str]:
        return frozenset(self.actor_groups.non_state_codes)

    @functools.cached_property
    def reciprocal_types(self) -> frozenset[str]:
        """Event types whose coreference block is an unordered dyad (``reciprocal: true`` in types)."""
        return frozenset(t.name for t in self.entries("types") if t.reciprocal)

    @functools.cached_property
    def default_cameo(self) -> Mapping[str, str]:
        """PLOVER type -> the root CAMEO code of its range ("THREATEN" -> "130")."""
        return {t.name: t.default_cameo for t in self.entries("types") if t.default_cameo}

    # -- the mechanisms built from it ---------------------------------------------------------

    @functools.cached_property
    def kb(self) -> KnowledgeBase:
        from kronika.actors.kb import build_kb

        return build_kb(self)

    @functools.cached_property
    def lexicon(self) -> Lexicon:
        from kronika.events.lexicon import build_lexicon

        return build_lexicon(self.entries("types"), self.entries("triggers"), self.cues)

    @functools.cached_property
    def dates(self) -> DateLexicon:
        from kronika.dates.lexicon import build_date_lexicon

        return build_date_lexicon(self.document("dates"))

    @functools.cached_property
    def gazetteer(self) -> Gazetteer:
        from kronika.places import build_gazetteer

        return build_gazetteer(self)

    @functools.cached_property
    def place_words(self) -> PlaceWordSets:
        from kronika.places import PlaceWordSets

        return PlaceWordSets.from_model(self.document("place_words"))

    def place_matcher(self, vocab: Vocab) -> PhraseMatcher:
        """The gazetteer's phrase matcher for ``vocab`` (rebuilt when another vocabulary asks)."""
        if self._matcher is None or self._matcher[0] is not vocab:
            from kronika.places import build_matcher

            self._matcher = (vocab, build_matcher(self.gazetteer, vocab))
        return self._matcher[1]

    def phrase_patterns(
        self, what: str, tokenizer: str, build: Callable[[], list[tuple[int, ...]]]
    ) -> list[tuple[int, ...]]:
        """Phrase-matcher patterns (each form as the hashes of its tokens) built by ``build`` once for
        a tokenizer (named by model and version) and kept in the cache file: tokenising thousands of
        forms costs a process more than matching them in every document."""
        slot = (what, tokenizer)
        if slot not in self._patterns:
            self._patterns[slot] = build()
        return self._patterns[slot]

    @functools.cached_property
    def boilerplate(self) -> Boilerplate:
        from kronika.read.patterns import build_boilerplate

        return build_boilerplate(self.document("boilerplate"), list(self.loaded("boilerplate").files))

    @functools.cached_property
    def cow(self) -> Mapping[str, CowState]:
        from kronika.store.export import build_cow

        return build_cow(self.entries("cow"))

    # -- the copy kept on disk ----------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything read and built so far, to be pickled (``kronika.knowledge.cache``)."""
        built = {name: self.__dict__[name] for name in CACHED if name in self.__dict__}
        return {"loaded": dict(self._loaded), "built": built, "patterns": dict(self._patterns)}

    def restore(self, state: Mapping[str, Any]) -> None:
        """Take what ``state()`` gave (from the same files and code: the cache key says so)."""
        self._loaded.update(state["loaded"])
        self._patterns.update(state.get("patterns", {}))
        for name, value in state["built"].items():
            if name in CACHED:
                self.__dict__[name] = value

    def persist(self) -> bool:
        """Build everything worth keeping and write it to the cache file of these folders (once, and
        not when it came from there); the coder calls it, as it needs all of it anyway."""
        from kronika.knowledge import cache

        if self.cached:
            return False
        self.cached = True
        slot = _cache_slot(self.dirs)
        if slot is None:
            return False
        t0 = time.perf_counter()
        if not self.build_all():
            return False
        written = cache.write(slot[0], slot[1], self.state())
        log.info("knowledge built in %.1f s, cached in %s: %s", time.perf_counter() - t0, slot[0], written)
        return written

    def build_all(self) -> bool:
        """Read every kind and build the lookups worth keeping; False when a file is bad (nothing is
        raised here: the error comes, as without a cache, when the bad kind is used)."""
        try:
            self.check()
            for name in CACHED:
                getattr(self, name)
        except KnowledgeErrors:
            return False
        return True


# The built lookups kept in the cache with the validated files: those that take time to build.
CACHED = ("kb", "gazetteer", "lexicon", "dates", "place_words", "boilerplate")


def _cache_slot(dirs: Sequence[Path]) -> tuple[Path, str] | None:
    """The cache file of these folders and the key it must hold; None when the cache is off."""
    from kronika.knowledge import cache

    if not cache.enabled():
        return None
    try:
        return cache.path_for(dirs), cache.key(dirs)
    except OSError as exc:
        log.info("knowledge cache off: %s", exc)
        return None


def _cached(k: Knowledge) -> Knowledge:
    """``k`` filled from the cache file of its folders when it holds their current key."""
    from kronika.knowledge import cache

    slot = _cache_slot(k.dirs)
    if slot is None:
        return k
    state = cache.read(*slot)
    if state is None:
        return k
    try:
        k.restore(state)
    except Exception as exc:  # noqa: BLE001 -- a cache that does not fit is rebuilt
        log.warning("knowledge cache %s does not fit (%s): rebuilding it", slot[0], exc)
        return Knowledge(k.dirs)
    k.cached = True
    return k


@functools.lru_cache(maxsize=8)
def _knowledge(dirs: tuple[Path, ...]) -> Knowledge:
    return _cached(Knowledge(dirs))


def load_knowledge(settings: Settings | None = None) -> Knowledge:
    """The knowledge for these settings (read from the environment when None), one per set of folders."""
    settings = settings or current_settings()
    return _knowledge(tuple(settings.knowledge_dirs()))
