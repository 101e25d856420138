"""Fit and calibrate the confidence model on a real-news gold folder, with cross-validation by article.

Every coded event of the gold articles is labelled right (it is a triple match of a gold event) or
wrong (a false positive by the folder's rules); repeats of a gold event, which the rules count neither
way, are left out. A logistic regression (scikit-learn) over ``kronika.events.confidence.features`` is
fitted; its out-of-fold probabilities (grouped by article, so no article scores itself) give the
expected calibration error and the precision at each confidence threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kronika.config import Settings, get_settings
from kronika.eval.realnews import code_folder, load_gold_folder, score_article, triple_match

N_BINS = 10


@dataclass
class Calibration:
    """A fitted model and its cross-validated figures."""

    intercept: float
    weights: dict[str, float]
    n_events: int
    n_right: int
    ece: float
    thresholds: list[dict[str, float]] = field(default_factory=list)

    def model_data(self, fitted_on: str) -> dict[str, Any]:
        return {
            "fitted_on": fitted_on,
            "n_events": self.n_events,
            "cross_validated_ece": round(self.ece, 4),
            "intercept": round(self.intercept, 4),
            "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4},
        }


def labelled_events(
    folder: Path, settings: Settings | None = None
) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """Coded records of the folder's articles with labels (1 right, 0 wrong) and their article ids."""
    gold = load_gold_folder(folder)
    coded = code_folder(folder, gold, settings)
    records: list[dict[str, Any]] = []
    labels: list[int] = []
    groups: list[str] = []
    for doc_id, golds in gold.items():
        events = coded.get(doc_id, [])
        result = score_article(golds, events, triple_match)
        right = {ci for _, ci in result.pairs}
        for ci, event in enumerate(events):
            if ci in right or ci in result.false:
                records.append(event)
                labels.append(int(ci in right))
                groups.append(doc_id)
    return records, labels, groups


def expected_calibration_error(probs: Sequence[float], labels: Sequence[int], n_bins: int = N_BINS) -> float:
    """Mean |accuracy − confidence| over equal-width bins, weighted by the bins' sizes."""
    total = len(probs)
    ece = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        idx = [i for i, p in enumerate(probs) if lo <= p < hi or (b == n_bins - 1 and p == 1.0)]
        if idx:
            conf = sum(probs[i] for i in idx) / len(idx)
            acc = sum(labels[i] for i in idx) / len(idx)
            ece += len(idx) / total * abs(acc - conf)
    return ece


def _thresholds(probs: Sequence[float], labels: Sequence[int]) -> list[dict[str, float]]:
    out = []
    for t in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6):
        kept = [lab for p, lab in zip(probs, labels, strict=True) if p >= t]
        out.append(
            {
                "min_confidence": t,
                "kept": len(kept),
                "right": sum(kept),
                "precision": round(sum(kept) / len(kept), 4) if kept else 0.0,
            }
        )
    return out


def fit(
    records: Sequence[dict[str, Any]], labels: Sequence[int], groups: Sequence[str], c: float = 0.3
) -> Calibration:
    """Fit on all events; calibration figures from out-of-fold predictions grouped by article."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    from kronika.events.confidence import features

    rows = [features(r) for r in records]
    model = make_pipeline(DictVectorizer(), LogisticRegression(C=c, max_iter=2000))
    folds = min(5, len(set(groups)))
    oof = cross_val_predict(model, rows, labels, groups=groups, cv=GroupKFold(folds), method="predict_proba")
    probs = [float(p[1]) for p in oof]
    model.fit(rows, labels)
    vec, lr = model.named_steps["dictvectorizer"], model.named_steps["logisticregression"]
    weights = dict(zip(vec.get_feature_names_out(), (float(w) for w in lr.coef_[0]), strict=True))
    return Calibration(
        intercept=float(lr.intercept_[0]),
        weights=weights,
        n_events=len(labels),
        n_right=sum(labels),
        ece=expected_calibration_error(probs, labels),
        thresholds=_thresholds(probs, labels),
    )


def calibrate(folder: str | Path, settings: Settings | None = None) -> Calibration:
    """Label every coded event of a gold folder (whatever its confidence) and fit the model on them."""
    records, labels, groups = labelled_events(Path(folder), (settings or get_settings()).every_event())
    return fit(records, labels, groups)


def fitted_on(folder: str | Path) -> str:
    return f"{Path(folder).name} ({dt.date.today().isoformat()})"
