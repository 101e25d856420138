"""The cluster example of docs/scale.md runs as written and gives the records of one process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kronika.config import DATA_DIR
from kronika.pipeline import code_documents
from kronika.read import read_inputs

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale.md"


def _example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    (code,) = [b for b in blocks if "LocalCluster" in b]
    return code


def test_the_example_is_in_the_docs():
    code = _example()
    assert "code_documents_distributed" in code and "n_workers=2" in code


@pytest.mark.slow
def test_the_local_cluster_example_gives_the_records_of_one_process(capsys):
    pytest.importorskip("distributed")
    scope: dict = {}
    exec(compile(_example(), str(DOC), "exec"), scope)  # noqa: S102 -- the project's own documentation
    alone = [
        (d.doc_id, [e.to_dict() for e in events])
        for d, events in code_documents(read_inputs([DATA_DIR / "examples" / "examples.jsonl"]))
    ]
    assert scope["records"] == alone
    assert sum(len(events) for _, events in alone) > 0
    assert "documents;" in capsys.readouterr().out
