"""End to end with the real reader and coder: the seed articles and the labelled coreference set."""

from __future__ import annotations

import json
import shutil

import pytest
from store_factory import ACTORS, COREF_SET, load_coref_gold
from typer.testing import CliRunner

pytest.importorskip("kronika.pipeline", reason="the coding pipeline is not available yet")
pytest.importorskip("kronika.read", reason="the reader is not available yet")

from kronika.cli import app  # noqa: E402
from kronika.store import coref  # noqa: E402
from kronika.store.ingest import ingest  # noqa: E402

pytestmark = pytest.mark.slow


def test_seed_articles_give_the_putin_assad_timeline_once_per_call(seeds_dir, tmp_path):
    db = tmp_path / "seeds.duckdb"
    first = ingest([seeds_dir], db)
    runner = CliRunner()
    before = runner.invoke(app, ["export", "--format", "plover-jsonl", "--db", str(db)]).output
    second = ingest([seeds_dir], db)
    assert first.documents_new == 5 and not second.changed and second.documents_unchanged == 5
    assert runner.invoke(app, ["export", "--format", "plover-jsonl", "--db", str(db)]).output == before

    result = runner.invoke(app, ["timeline", "Putin", "Assad", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    call = [r for r in rows if r["date"] == "2016-02-24" and r["event"] == "CONSULT"]
    assert len(call) <= 1, rows  # never the same call twice
    # the 2013 call of 002, coded with both leaders as joint actors, is in the dyad's history
    assert any(r["date"] == "2013-11-14" and r["event"] == "CONSULT" for r in rows), rows

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    coded_in = {
        doc_id[:3]
        for (doc_id,) in con.execute(
            """
            SELECT DISTINCT doc_id FROM mentions
            WHERE event_type = 'CONSULT' AND date LIKE '2016-02-2%'
              AND list_contains(list_concat(actor_cs, recipient_cs), 'RUS GOV')
              AND list_contains(list_concat(actor_cs, recipient_cs), 'SYR GOV')
            """
        ).fetchall()
    }
    con.close()
    if not {"000", "001"} <= coded_in:
        pytest.xfail(f"the coder codes the 2016-02-24 Putin–Assad call only in {sorted(coded_in)}")
    assert len(call) == 1, rows
    sources = " ".join(call[0]["sources"])
    assert "000" in sources and "001" in sources


def test_labelled_set_linking_with_the_real_coder(tmp_path):
    gold = load_coref_gold()
    folder = tmp_path / "articles"
    folder.mkdir()
    for doc_id in gold["articles"]:
        shutil.copy(COREF_SET / f"{doc_id}.txt", folder / f"{doc_id}.txt")
    db = tmp_path / "coref.duckdb"
    ingest([folder], db)
    import duckdb

    con = duckdb.connect(str(db))
    rows = con.execute(
        "SELECT m.mention_id, m.doc_id, m.event_type, m.text, m.actor_cs, m.recipient_cs, em.event_id "
        "FROM mentions m JOIN event_mentions em USING (mention_id) ORDER BY m.mention_id"
    ).fetchall()
    predicted, labels, used = {}, {}, set()
    for i, m in enumerate(gold["mentions"]):
        want = {" ".join(ACTORS[m["actor"]][:2]), " ".join(ACTORS[m["recipient"]][:2])}
        candidates = [
            r
            for r in rows
            if r[0] not in used and m["doc"] in r[1] and r[2] == m["type"] and m["fragment"] in (r[3] or "")
        ]
        # one coded mention stands for one gold mention: prefer the one with the gold dyad
        candidates.sort(key=lambda r: -len(want & set((r[4] or []) + (r[5] or []))))
        if candidates:
            used.add(candidates[0][0])
            predicted[str(i)] = candidates[0][6]
            labels[str(i)] = m["event"]
    scores = coref.pairwise_scores(predicted, labels)
    assert scores.mentions >= 1, "no gold mention was coded"
    minimum = json.loads((COREF_SET / "minimums.json").read_text())["pipeline"]
    assert scores.precision >= minimum["precision"], scores
    assert scores.recall >= minimum["recall"], scores
