"""``kronika demo``: code the built-in example articles and print what was found."""

from __future__ import annotations

import json
from pathlib import Path

from kronika.config import DATA_DIR

EXAMPLES = DATA_DIR / "examples" / "examples.jsonl"


def run_demo(out: Path | None = None) -> list[dict]:
    """Code the packaged examples; print a table (and write JSON Lines to ``out`` when given)."""
    from rich.console import Console
    from rich.table import Table

    from kronika.pipeline import code_documents
    from kronika.read import read_inputs

    records = [e.to_dict() for _, events in code_documents(read_inputs([EXAMPLES])) for e in events]
    table = Table(title=f"Kronika demo: {len(records)} events from {EXAMPLES.name}")
    for col in ("doc", "date", "event", "actor", "recipient", "modality", "trigger"):
        table.add_column(col)
    for r in records:
        table.add_row(
            r["doc_id"],
            r["date"] or "",
            "/".join(r["event"] + r["mode"]),
            ", ".join(f"{a['code']} {a['sector']} ({a['entity_text']})" for a in r["actor"]),
            ", ".join(f"{a['code']} {a['sector']} ({a['entity_text']})" for a in r["recipient"]),
            r["modality"],
            r["event_text"],
        )
    Console().print(table)
    if out is not None:
        with out.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return records
