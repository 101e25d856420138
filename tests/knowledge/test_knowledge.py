"""The knowledge layer: the packaged data validates, a user's folder is checked entry by entry, the
override rule holds, and a changed ``$KRONIKA_DATA`` reaches new Settings and the coder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kronika.cli import app
from kronika.config import DATA_DIR, Settings, get_settings
from kronika.knowledge import KINDS, Knowledge, KnowledgeError, KnowledgeErrors, load_knowledge


def _write(folder: Path, rel: str, text: str) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    """A user folder with a misspelt field, an unknown PLOVER type, a bad date and a duplicate key."""
    user = tmp_path / "mine"
    _write(
        user,
        "actors/people.yaml",
        "- name: Jane Roe\n"
        "  aliasses: [Roe]\n"
        "- name: John Doe\n"
        "  roles:\n"
        "    - {code: FRA, sector: GOV, office: president, start: 2020-13-01, end: null}\n",
    )
    _write(
        user,
        "events/triggers.yaml",
        '- {lemma: parley, pos: [VERB], event: PARLEY, cameo: "040"}\n'
        '- {lemma: confab, pos: [VERB], event: CONSULT, cameo: "040"}\n'
        '- {lemma: confab, pos: [VERB], event: CONSULT, cameo: "043"}\n',
    )
    return user


def test_every_packaged_file_validates():
    summary = Knowledge([DATA_DIR]).check()
    assert set(summary) == set(KINDS)
    assert summary["people"]["actors/people.yaml"] > 1000
    assert summary["triggers"]["events/triggers.yaml"] > 500


def test_a_user_folder_gets_one_clear_error_per_problem(bad_folder: Path):
    with pytest.raises(KnowledgeErrors) as info:
        Knowledge([DATA_DIR, bad_folder]).check()
    errors = {(Path(e.file).name, e.entry, e.field): e for e in info.value.errors}
    assert set(errors) == {
        ("people.yaml", "Jane Roe", "aliasses"),
        ("people.yaml", "John Doe", "roles[0].start"),
        ("triggers.yaml", "parley VERB", "event"),
        ("triggers.yaml", "confab VERB", None),
    }
    assert "unknown field" in errors["people.yaml", "Jane Roe", "aliasses"].message
    assert "not a date" in errors["people.yaml", "John Doe", "roles[0].start"].message
    assert "not a PLOVER event type" in errors["triggers.yaml", "parley VERB", "event"].message
    dup = errors["triggers.yaml", "confab VERB", None]
    assert "duplicate key" in dup.message and dup.line == 3
    assert errors["people.yaml", "John Doe", "roles[0].start"].line == 5


def test_error_format_names_file_line_entry_and_field():
    err = KnowledgeError("actors/people.yaml", "Vladimir Putin", "roles[0].start", "not a date ('x')", 42)
    want = "actors/people.yaml:42: entry 'Vladimir Putin', field 'roles[0].start': not a date ('x')"
    assert str(err) == want
    assert str(KnowledgeError("a.yaml", None, None, "not valid YAML")) == "a.yaml: not valid YAML"


def test_check_data_prints_every_problem(bad_folder: Path):
    result = CliRunner().invoke(app, ["check-data", str(bad_folder)])
    assert result.exit_code == 1
    out = result.output
    assert "people.yaml:2: entry 'Jane Roe', field 'aliasses': unknown field" in out
    assert "entry 'John Doe', field 'roles[0].start': not a date" in out
    assert "entry 'parley VERB', field 'event'" in out and "not a PLOVER event type" in out
    assert "triggers.yaml:3: entry 'confab VERB': duplicate key" in out
    assert "4 problems found" in out


def test_check_data_summarises_a_good_folder(tmp_path: Path):
    _write(tmp_path, "actors/seats.yaml", "- {text: Elysee Palace, code: FRA, sector: GOV}\n")
    result = CliRunner().invoke(app, ["check-data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'actors/seats.yaml'}: 1 entry (seats)" in result.output


def test_code_refuses_to_start_with_the_first_problem(bad_folder: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KRONIKA_DATA", str(bad_folder))
    article = _write(tmp_path, "in.txt", "Russia attacked Ukraine.")
    result = CliRunner().invoke(app, ["code", str(article)])
    assert result.exit_code == 2
    assert "error: " in result.output and "entry 'Jane Roe', field 'aliasses'" in result.output
    assert "and 3 more" in result.output


def test_a_later_folder_replaces_and_removes_actors(tmp_path: Path):
    _write(
        tmp_path,
        "actors/seats.yaml",
        "- {text: Kremlin, code: UKR, sector: MIL}\n- {text: State Duma, remove: true}\n",
    )
    _write(tmp_path, "actors/people.yaml", "- {name: Vladimir Putin, remove: true}\n")
    kb = Knowledge([DATA_DIR, tmp_path]).kb
    assert [(r.code, r.sector) for r in kb.lookup("Kremlin")] == [("UKR", "MIL")]
    assert kb.lookup("State Duma") == [] and kb.lookup("Duma") == []
    assert not any(p.name == "Vladimir Putin" for p in kb.people)
    assert [(r.code, r.sector) for r in load_knowledge(Settings(data_dirs=[])).kb.lookup("Kremlin")] == [
        ("RUS", "GOV")
    ]


def test_a_later_folder_replaces_and_removes_triggers(tmp_path: Path):
    _write(
        tmp_path,
        "events/triggers.yaml",
        '- {lemma: agree, pos: [VERB], event: AGREE, cameo: "031"}\n'
        "- {lemma: agreement, pos: [NOUN], remove: true}\n",
    )
    lex = Knowledge([DATA_DIR, tmp_path]).lexicon
    plain = [t for t in lex.candidates("agree") if not t.with_]
    assert [(t.cameo, t.reciprocal) for t in plain] == [("031", False)]
    assert lex.candidates("agreement") == []
    base = Knowledge([DATA_DIR]).lexicon
    assert [t.cameo for t in base.candidates("agree") if not t.with_] == ["030"]


def test_removing_what_is_not_there_is_an_error(tmp_path: Path):
    _write(tmp_path, "actors/organizations.yaml", "- {name: No Such Body, remove: true}\n")
    with pytest.raises(KnowledgeErrors, match="entry 'No Such Body', field 'remove'"):
        Knowledge([DATA_DIR, tmp_path]).check()


def test_word_lists_add_words_and_tables_replace_keys(tmp_path: Path):
    _write(tmp_path, "dates/expressions.yaml", "months: {sept: 9, mar: 3}\nago_words: [back]\n")
    _write(tmp_path, "events/cues.yaml", "negation: [hardly]\n")
    knowledge = Knowledge([DATA_DIR, tmp_path])
    assert knowledge.dates.month_number("Sept.") == 9
    assert knowledge.dates.ago_words == {"ago", "back"}
    assert {"not", "never", "hardly"} <= knowledge.lexicon.cues["negation"]


def test_a_key_written_twice_in_a_word_list_file_is_an_error(tmp_path: Path):
    _write(tmp_path, "events/cues.yaml", "negation: [hardly]\nnegation: [barely]\n")
    with pytest.raises(KnowledgeErrors, match=r"cues.yaml:2: entry 'negation': duplicate key"):
        Knowledge([DATA_DIR, tmp_path]).check()


def test_bad_regular_expressions_and_yaml_are_reported(tmp_path: Path):
    _write(tmp_path, "boilerplate/mine.yaml", "kinds:\n  advert:\n    patterns: ['(unclosed']\n")
    _write(tmp_path, "actors/countries.yaml", "- {code: XXX, name: [\n")
    with pytest.raises(KnowledgeErrors) as info:
        Knowledge([DATA_DIR, tmp_path]).check()
    text = str(info.value)
    assert "mine.yaml:3: entry 'kinds', field 'advert.patterns': bad regular expression" in text
    assert "countries.yaml:2: not valid YAML" in text


def test_data_that_was_code_is_on_the_bundle():
    k = load_knowledge(Settings(data_dirs=[]))
    assert k.reciprocal_types == {"AGREE", "CONSULT", "COOPERATE"}
    assert k.sector_family["MIL"] == "state" and k.sector_family["REB"] == "armed"
    assert {"thousands", "members", "delegation"} <= k.quantity_heads
    assert k.default_cameo["THREATEN"] == "130"
    assert k.lexicon.cues["locative"] == set("in at near outside inside around across throughout".split())
    assert "off" in k.place_words.locative and "from" in k.place_words.ambiguous_ok


def test_a_changed_kronika_data_reaches_new_settings(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("KRONIKA_DATA", f"{tmp_path}/a{':'}{tmp_path}/b")
    assert get_settings().data_dirs == [tmp_path / "a", tmp_path / "b"]
    monkeypatch.setenv("KRONIKA_DATA", str(tmp_path))
    assert Settings().data_dirs == [tmp_path]
    assert Settings(data_dirs=[]).data_dirs == []
    monkeypatch.setenv("KRONIKA_DB", str(tmp_path / "x.duckdb"))
    assert Settings().db_path == tmp_path / "x.duckdb"


def test_a_changed_kronika_data_reaches_the_coder(tmp_path: Path, monkeypatch):
    from kronika.pipeline import code_texts, get_coder

    _write(tmp_path, "places/mine.yaml", "- {name: Kafr Takharim, country: SYR, kind: town}\n")
    text = "Russian jets bombed rebels in Kafr Takharim on Monday."
    monkeypatch.delenv("KRONIKA_DATA", raising=False)
    assert tmp_path not in get_coder().knowledge.dirs
    before = code_texts([text], pub_date=dt.date(2016, 2, 22))
    monkeypatch.setenv("KRONIKA_DATA", str(tmp_path))
    assert tmp_path in get_coder().knowledge.dirs
    after = code_texts([text], pub_date=dt.date(2016, 2, 22))
    assert [e.place for e in before] != [e.place for e in after]
    assert any(e.place and e.place.name == "Kafr Takharim" for e in after)
