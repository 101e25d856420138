"""The model's attribute ruler, its one-token rules looked up instead of matched token by token.

spaCy's ``AttributeRuler`` (in the English models: fine tag → part of speech and morphology, and
some hundred exceptions) runs every one of its rules at every token through a ``Matcher``: on news
articles that takes longer than the tagger. Nearly all its rules are one token tested on its tag,
its lower-case form, its dependency label and whether it is a space, so which of them match depends
on those four values alone: ``TableAttributeRuler`` works that out once per distinct combination
(a few hundred in an article), matches the other rules with a ``Matcher`` as spaCy does, and hands
the matches, sorted as spaCy sorts them, to the model's own ruler to apply. The annotations are the
same as the model's; only the matching is done differently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# What a one-token rule may test to be looked up: the attribute's name and its column in the
# ``Doc.to_array`` rows the table is keyed by.
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY: list[int | str] = list(_COLUMNS)

Key = tuple[int, ...]
Checks = tuple[tuple[int, bool, frozenset[int]], ...]
_SELECTIVITY = {1: 0, 0: 1, 2: 2, 3: 3}  # columns, the most telling first


class TableAttributeRuler:
    """The component ``kronika_attribute_ruler``: the model's ``AttributeRuler`` (``ruler``) with its
    one-token rules answered from a table keyed by (tag, lower-case form, dependency, is-space)."""

    def __init__(self) -> None:
        self.ruler: AttributeRuler | None = None
        # The one-token patterns by one value they require ((column, value) -> (rule, checks)), and
        # those that require none (only NOT_IN tests): the patterns a key row needs to be tested on.
        self.by_value: dict[tuple[int, int], list[tuple[int, Checks]]] = {}
        self.unanchored: list[tuple[int, Checks]] = []
        self.rest: Matcher | None = None  # the other patterns, under their rule's key
        self.match_ids: list[int] = []  # rule -> the match id spaCy gives its matches
        self.table: dict[Key, tuple[int, ...]] = {}

    def setup(self, ruler: AttributeRuler) -> None:
        """Take the model's ruler and split its patterns into looked-up and matched ones."""
        strings = ruler.vocab.strings
        self.ruler, self.by_value, self.unanchored, self.table = ruler, {}, [], {}
        self.rest = Matcher(ruler.vocab)
        self.match_ids = [strings.add(str(i)) for i in range(len(ruler.attrs))]
        for i, rule in enumerate(ruler.patterns):
            others: list[Any] = []
            for pattern in cast(list[Any], rule["patterns"]):
                checks = _one_token_checks(pattern, strings.add)
                if checks is None:
                    others.append(pattern)
                else:
                    self._index(i, checks)
            if others:
                self.rest.add(str(i), others)

    def _index(self, rule: int, checks: Checks) -> None:
        """File a pattern under each value of its most telling required test (the lower-case form
        over the tag over the dependency over the space flag)."""
        required = [c for c in checks if c[1]]
        if not required:
            self.unanchored.append((rule, checks))
            return
        column, _, values = min(required, key=lambda c: _SELECTIVITY[c[0]])
        for value in values:
            self.by_value.setdefault((column, value), []).append((rule, checks))

    def _rules_for(self, key: Key) -> tuple[int, ...]:
        """The rules (in order) with a one-token pattern that a token of this key row matches."""
        rules = self.table.get(key)
        if rules is None:
            candidates = list(self.unanchored)
            for column, value in enumerate(key):
                candidates += self.by_value.get((column, value), ())
            rules = self.table[key] = tuple(
                sorted({rule for rule, checks in candidates if _passes(key, checks)})
            )
        return rules

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """Every (rule, match id, start, end) the model's ruler would find, sorted as it sorts them."""
        if self.ruler is None or self.rest is None:
            raise RuntimeError("the kronika_attribute_ruler component was not set up with the model's ruler")
        ids = self.match_ids
        found = [
            (rule, ids[rule], i, i + 1)
            for i, key in enumerate(map(tuple, doc.to_array(_ARRAY).tolist()))
            for rule in self._rules_for(key)
        ]
        strings = doc.vocab.strings
        found += [(int(strings[m_id]), m_id, s, e) for m_id, s, e in self.rest(doc, allow_missing=True)]
        found.sort()
        return found

    def __call__(self, doc: Doc) -> Doc:
        if self.ruler is None:
            raise RuntimeError("the kronika_attribute_ruler component was not set up with the model's ruler")
        self.ruler.set_annotations(doc, self.match(doc))
        return doc


def _passes(key: Key, checks: Checks) -> bool:
    return all((key[column] in values) == inside for column, inside, values in checks)


def _one_token_checks(pattern: Sequence[dict[str, Any]], hash_of: Callable[[str], int]) -> Checks | None:
    """The tests of a one-token pattern on a key row, as spaCy's ``Matcher`` reads them: (column,
    whether the value must be inside, the values); None for a pattern the table cannot answer (more
    than one token, another attribute, another operator)."""
    if len(pattern) != 1:
        return None
    checks: list[tuple[int, bool, frozenset[int]]] = []
    for name, value in pattern[0].items():
        column = _COLUMNS.get(name)
        if column is None:
            return None
        if name == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            checks.append((column, True, frozenset({int(value)})))
        elif isinstance(value, str):
            checks.append((column, True, frozenset({hash_of(value)})))
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((op, values),) = value.items()
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                return None
            checks.append((column, op == "IN", frozenset(hash_of(v) for v in values)))
        else:
            return None
    return tuple(checks)


@Language.factory("kronika_attribute_ruler")
def _table_attribute_ruler(nlp: Language, name: str) -> TableAttributeRuler:
    return TableAttributeRuler()
