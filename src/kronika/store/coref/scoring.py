"""Scoring coreference: pairwise precision and recall of mention-to-event links against gold labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class LinkScores:
    """Pairwise linking scores: over all pairs of mentions, is "same event" predicted and true?"""

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for mention, label in assignment.items():
        groups.setdefault(label, []).append(mention)
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        members.sort()
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def pairwise_scores(predicted: dict[str, str], gold: dict[str, str]) -> LinkScores:
    """Score predicted mention→event links against gold mention→event labels (shared mentions only).

    With no pair to find (or none predicted) the corresponding figure is 1.0: nothing was missed, or
    nothing wrongly linked.
    """
    shared = set(predicted) & set(gold)
    pred = _pairs({m: predicted[m] for m in shared})
    true = _pairs({m: gold[m] for m in shared})
    correct = len(pred & true)
    precision = correct / len(pred) if pred else 1.0
    recall = correct / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LinkScores(
        round(precision, 4), round(recall, 4), round(f1, 4), len(true), len(pred), correct, len(shared)
    )
