"""``kronika places`` and ``kronika eval-geo``: toponyms of articles; scoring on geoparsing corpora."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from kronika.cli._common import (
    ErrorReport,
    ErrorsFile,
    Inputs,
    JsonlOutput,
    PubDate,
    Strict,
    document_line,
    parse_day,
)
from kronika.document import Document

PLACES_HELP = (
    "Every place the articles name, resolved on the GeoNames gazetteer: JSON Lines, one object per "
    "toponym {doc_id, text, start, end, name, geonameid, country, admin1, lat, lon, feature}, offsets "
    "into the document's text (as `kronika read` gives it). INPUT as for `kronika code`. The first run "
    "builds the gazetteer index (logged with the time it took).\n\n"
    "Exit status: 0 done (documents that failed are reported on stderr and in --errors); 1 with --strict "
    "when any document failed; 2 usage error."
)

EVAL_GEO_HELP = (
    "Score toponym recognition (precision/recall/F1 of spans) and resolution (share within 161 km, "
    "share with the gold GeoNames id, mean and median error in km) on a geoparsing corpus in the "
    "TR-News or GeoVirus layout."
)


def places_command(
    inputs: Inputs,
    output: JsonlOutput = None,
    pub_date: PubDate = None,
    strict: Strict = False,
    errors: ErrorsFile = None,
) -> None:
    from kronika.places.resolve import place_documents
    from kronika.read import read_inputs

    date = parse_day(pub_date, "expected YYYY-MM-DD")
    with ExitStack() as stack:
        out = stack.enter_context(open(output, "w", encoding="utf-8")) if output else sys.stdout
        report = stack.enter_context(ErrorReport(errors, _error_message, document_line))
        for doc, toponyms in place_documents(read_inputs(inputs, pub_date=date)):
            for t in toponyms:
                out.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")
            report.check(doc)
    report.exit_status(strict)


def eval_geo_command(
    corpus: Annotated[
        Path, typer.Argument(metavar="CORPUS.xml", help="TR-News or GeoVirus file.", exists=True)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N articles.")
    ] = None,
) -> None:
    from kronika.places.geoeval import evaluate_geo

    figures = evaluate_geo(corpus, limit=limit).figures()
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    rec, exact = figures["recognition"], figures["recognition_exact"]
    lines = [
        f"{figures['corpus']}: {figures['articles']} articles, {figures['gold_toponyms']} gold toponyms, "
        f"{figures['predicted_toponyms']} found",
        f"recognition (overlap)  P {rec['precision']:.3f}  R {rec['recall']:.3f}  F1 {rec['f1']:.3f}",
        f"recognition (exact)    P {exact['precision']:.3f}  R {exact['recall']:.3f}  F1 {exact['f1']:.3f}",
        f"resolution of {figures['gold_with_coordinates']} gold toponyms with coordinates: "
        f"within 161 km {figures['accuracy_161km']:.3f}, resolved {figures['resolved']:.3f}",
    ]
    if figures["accuracy_geonameid"] is not None:
        lines.append(
            f"exact GeoNames id {figures['accuracy_geonameid']:.3f} of {figures['gold_with_geonameid']}"
        )
    lines.append(f"error km: mean {figures['mean_error_km']}, median {figures['median_error_km']}")
    lines.append(f"end to end (recognised and within 161 km) {figures['end_to_end_161km']:.3f}")
    typer.echo("\n".join(lines))


def _error_message(doc: Document) -> str:
    return f"kronika places: failed: {doc.doc_id}: {doc.reason}"


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command("places", help=PLACES_HELP)(places_command)
    app.command("eval-geo", help=EVAL_GEO_HELP)(eval_geo_command)
