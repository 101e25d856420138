"""Every input format, and every kind of bad input, ends with exactly one status per document."""

from __future__ import annotations

import gzip
import io
import json

from kronika.config import Settings
from kronika.read import read_inputs

ARTICLE = (
    "Rebels and government troops agreed on Sunday to a three-day truce in the northern province, "
    "a mediator said.\n\nThe truce is meant to let aid convoys reach besieged villages, he added.\n"
)
PAGE = (
    "<html><head><title>Truce agreed in north</title></head><body><nav>Home | World</nav><article>"
    "<h1>Truce agreed in north</h1><p>Rebels and government troops agreed on Sunday to a three-day truce "
    "in the northern province, a mediator said.</p><p>The truce is meant to let aid convoys reach "
    "besieged villages, he added.</p></article></body></html>"
)


def read(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def test_text_html_and_folder_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html").write_text(PAGE)
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / "notes.xyz").write_text(ARTICLE)
    docs = read(tmp_path)
    assert [d.doc_id for d in docs] == ["a", "two"]
    assert all(d.ok for d in docs)
    assert docs[1].title == "Truce agreed in north"
    assert docs[1].text.startswith("Rebels and government troops")


def test_jsonl_one_document_per_line_with_fields_and_fallback_ids(tmp_path):
    path = tmp_path / "batch.jsonl"
    rows = [
        {"id": "x1", "text": ARTICLE, "date": "2020-05-17", "title": "Truce", "url": "https://e.example/1"},
        {"html": PAGE},
        {"title": "no text here"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken json\n")
    docs = read(path)
    assert [d.doc_id for d in docs] == ["x1", "batch:2", "batch:3", "batch:4"]
    assert [d.status for d in docs] == ["ok", "ok", "failed", "failed"]
    assert str(docs[0].pub_date) == "2020-05-17" and docs[0].url == "https://e.example/1"
    assert docs[2].reason.startswith("record:") and docs[3].reason.startswith("json:")


def test_json_array_and_single_object(tmp_path):
    (tmp_path / "arr.json").write_text(
        json.dumps([{"id": "a", "text": ARTICLE}, {"id": "b", "body": ARTICLE}])
    )
    (tmp_path / "one.json").write_text(json.dumps({"content": ARTICLE, "headline": "Truce"}))
    docs = read(tmp_path / "arr.json", tmp_path / "one.json")
    assert [(d.doc_id, d.status) for d in docs] == [("a", "ok"), ("b", "ok"), ("one", "ok")]
    assert docs[2].title == "Truce"


def test_csv_with_column_aliases_and_a_malformed_row(tmp_path):
    path = tmp_path / "news.csv"
    buf = io.StringIO()
    buf.write("id,headline,body,published\n")
    buf.write(f'c1,Truce,"{ARTICLE}",2021-02-03\n')
    buf.write("c2,too,many,fields,here\n")
    buf.write(f'c3,Truce,"{ARTICLE}",\n')
    path.write_text(buf.getvalue())
    docs = read(path)
    assert [(d.doc_id, d.status) for d in docs] == [("c1", "ok"), ("news:2", "failed"), ("c3", "ok")]
    assert str(docs[0].pub_date) == "2021-02-03" and docs[0].title == "Truce"


def test_gzip_is_transparent_and_truncated_gzip_fails_once(tmp_path):
    good = tmp_path / "story.txt.gz"
    good.write_bytes(gzip.compress(ARTICLE.encode()))
    data = gzip.compress((json.dumps({"id": "j", "text": ARTICLE}) + "\n").encode() * 50)
    bad = tmp_path / "cut.jsonl.gz"
    bad.write_bytes(data[: len(data) // 2])
    docs = read(good, bad)
    assert docs[0].doc_id == "story" and docs[0].ok
    assert docs[-1].status == "failed" and docs[-1].reason.startswith("gzip:")
    assert all(d.ok for d in docs[1:-1])


def test_warc_html_responses_only(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, ctype, body in [
            ("https://e.example/story", "text/html; charset=utf-8", PAGE.encode()),
            ("https://e.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    docs = read(path)
    assert [(d.doc_id, d.status) for d in docs] == [("crawl:1", "ok"), ("crawl:2", "skipped")]
    assert docs[0].url == "https://e.example/story"
    assert docs[1].reason.startswith("not-html:")


def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(
        ("The minister\u2019s caf\u00e9 statement \u2013 issued on Monday \u2013 was brief. " * 3).encode(
            "cp1252"
        )
    )
    (doc,) = read(path)
    assert doc.ok and "minister\u2019s caf\u00e9" in doc.text
    assert any(w.startswith("encoding:") for w in doc.warnings)


def test_bad_inputs_each_get_one_status_and_the_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "broken.html").write_text(
        "<html><body><div><script>var x = 1;</script><nav><a href=/>Home</a>"
    )
    (tmp_path / "german.txt").write_text(
        "Die Regierung hat am Mittwoch beschlossen, die Grenze wieder zu öffnen, teilte ein Sprecher mit."
    )
    (tmp_path / "fine.txt").write_text(ARTICLE)
    (tmp_path / "unclosed.html").write_text("<html><body><div><p>" + ARTICLE.split("\n")[0])
    names = [
        "empty.txt",
        "binary.txt",
        "broken.html",
        "german.txt",
        "missing.txt",
        "fine.txt",
        "unclosed.html",
    ]
    docs = read(*(tmp_path / n for n in names))
    assert [d.doc_id for d in docs] == ["empty", "binary", "broken", "german", "missing", "fine", "unclosed"]
    status = {d.doc_id: (d.status, (d.reason or "").split(":")[0]) for d in docs}
    assert status == {
        "empty": ("failed", "empty"),
        "binary": ("failed", "binary"),
        "broken": ("skipped", "no-body"),  # only a navigation link in the page
        "german": ("skipped", "language"),
        "missing": ("failed", "missing"),
        "fine": ("ok", ""),
        "unclosed": ("ok", ""),  # lenient parsing of malformed HTML keeps its text
    }
    assert docs[3].reason == "language: de"


def test_huge_input_is_truncated_with_a_warning(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(ARTICLE * 200)
    (doc,) = read(path, settings=Settings(max_bytes=2000))
    assert doc.ok and len(doc.text.encode()) <= 2000
    assert any(w.startswith("truncated:") for w in doc.warnings)


def test_stdin(monkeypatch):
    class FakeStdin:
        buffer = io.BytesIO(ARTICLE.encode())

    monkeypatch.setattr("sys.stdin", FakeStdin)
    (doc,) = read("-")
    assert doc.doc_id == "stdin" and doc.ok


def test_pub_date_argument_overrides_and_fills(tmp_path):
    import datetime as dt

    (tmp_path / "a.txt").write_text(ARTICLE)
    (doc,) = read(tmp_path / "a.txt", pub_date=dt.date(2019, 1, 2))
    assert doc.pub_date == dt.date(2019, 1, 2)
