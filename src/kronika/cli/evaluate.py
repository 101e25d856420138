"""``kronika eval``: accuracy on a PLOVER gold-standard file or a folder of hand-coded real articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kronika.eval import EvalReport, RealNewsReport, evaluate, evaluate_realnews, is_gold_folder
from kronika.eval.realnews import load_gold_folder, split_ids

GOLD_HELP = (
    "PLOVER gold-standard JSON file (one sentence a record), or a real-news gold folder "
    "(docs.jsonl and gold/<id>.json)."
)


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        gold: Annotated[Path, typer.Argument(help=GOLD_HELP, exists=True)],
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        show_errors: Annotated[
            bool,
            typer.Option(
                "--list-errors", help="List the gold events missed and the coded events that are false."
            ),
        ] = False,
        old_errors: Annotated[
            bool, typer.Option("--errors", hidden=True, help="Same as --list-errors.")
        ] = False,
        half: Annotated[
            str | None,
            typer.Option(
                "--half", help="Real-news folder only: score one fixed half of the articles (a or b)."
            ),
        ] = None,
    ) -> None:
        """Score the coder: per-type P/R/F1 and triples (GSR file), or type, triple and date scores per
        the folder's rules (real-news folder)."""
        if is_gold_folder(gold):
            ids = None
            if half is not None:
                try:
                    ids = split_ids(load_gold_folder(gold), half)
                except ValueError as exc:
                    raise typer.BadParameter(str(exc), param_hint="--half") from exc
            real = evaluate_realnews(gold, doc_ids=ids)
            _show_realnews(gold, real, as_json, show_errors or old_errors)
        else:
            _show_gsr(gold, evaluate(gold), as_json, show_errors or old_errors)

    @app.command("calibrate")
    def calibrate_cmd(
        gold: Annotated[Path, typer.Argument(help="Real-news gold folder (docs.jsonl and gold/<id>.json).")],
        out: Annotated[
            Path | None, typer.Option("-o", "--output", help="Write the fitted model (YAML) here.")
        ] = None,
    ) -> None:
        """Fit the confidence model on a real-news gold folder; print its cross-validated calibration."""
        import yaml

        from kronika.eval.calibrate import calibrate, fitted_on

        if not is_gold_folder(gold):
            raise typer.BadParameter("not a real-news gold folder (docs.jsonl and gold/)", param_hint="GOLD")
        cal = calibrate(gold)
        console = Console()
        console.print(
            f"{cal.n_events} labelled events ({cal.n_right} right); "
            f"cross-validated expected calibration error {cal.ece:.3f}"
        )
        table = Table(title="out-of-fold precision by minimum confidence")
        for col in ("min confidence", "kept", "right", "precision"):
            table.add_column(col)
        for t in cal.thresholds:
            table.add_row(
                f"{t['min_confidence']:.1f}", str(t["kept"]), str(t["right"]), f"{t['precision']:.3f}"
            )
        console.print(table)
        if out is not None:
            out.write_text(yaml.safe_dump(cal.model_data(fitted_on(gold)), sort_keys=False), encoding="utf-8")
            console.print(f"model written to {out}")


def _prf_cells(s: dict[str, float]) -> list[str]:
    return [
        f"{s['precision']:.3f}",
        f"{s['recall']:.3f}",
        f"{s['f1']:.3f}",
        str(s["tp"]),
        str(s["fp"]),
        str(s["fn"]),
    ]


def _type_table(title: str, per_type: dict[str, dict[str, float]]) -> Table:
    table = Table(title=title)
    for col in ("type", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col)
    for t, s in per_type.items():
        table.add_row(t, *_prf_cells(s))
    return table


def _show_gsr(gold: Path, report: EvalReport, as_json: bool, show_errors: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_dict(with_errors=show_errors), indent=2))
        return
    console = Console()
    console.print(
        _type_table(
            f"{gold.name}: {report.n_records} records, {report.n_sentences} sentences", report.per_type
        )
    )
    console.print(
        f"micro F1 {report.micro['f1']:.3f} (P {report.micro['precision']:.3f}, "
        f"R {report.micro['recall']:.3f})  macro F1 {report.macro_f1:.3f}  "
        f"triple accuracy {report.triple_accuracy:.3f}"
    )
    if show_errors:
        for e in report.errors:
            console.print(e)


def _show_realnews(gold: Path, report: RealNewsReport, as_json: bool, show_errors: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_dict(with_errors=show_errors), indent=2, ensure_ascii=False))
        return
    console = Console()
    title = f"{gold.name}: {report.n_articles} articles, {report.n_gold} gold events, {report.n_coded} coded"
    console.print(_type_table(title + " (triple match per type)", report.per_type))
    for name in ("type", "triple"):
        s = getattr(report, name)
        console.print(f"{name:6}  P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    console.print(f"date accuracy {report.date_accuracy:.3f} of {report.n_dated} matched dated events")
    if show_errors:
        for kind, rows in (("missed", report.misses), ("false", report.false_positives)):
            for row in rows:
                console.print(f"[bold]{kind}[/bold]", json.dumps(row, ensure_ascii=False))
