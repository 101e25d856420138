"""Scoring against PLOVER gold-standard records and against real articles coded by hand."""

from kronika.eval.gold import EvalReport, evaluate, load_gold
from kronika.eval.realnews import RealNewsReport, evaluate_realnews, is_gold_folder

__all__ = ["EvalReport", "RealNewsReport", "evaluate", "evaluate_realnews", "is_gold_folder", "load_gold"]
