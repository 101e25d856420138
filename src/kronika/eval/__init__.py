"""Scoring against PLOVER gold-standard records."""

from kronika.eval.gold import EvalReport, evaluate, load_gold

__all__ = ["EvalReport", "evaluate", "load_gold"]
