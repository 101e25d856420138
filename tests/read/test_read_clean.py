"""The plain-text cleaner on small hand-written texts."""

from __future__ import annotations

import pytest

from kronika.read import read_text
from kronika.read.clean import clean_text
from kronika.read.patterns import load_boilerplate

BODY1 = "The defence minister said on Tuesday that troops would leave the border area within a week."
BODY2 = "Opposition leaders welcomed the announcement but demanded international monitors on the ground."
BODY3 = "The withdrawal follows months of talks mediated by neighbouring states, diplomats said."


def kinds(raw: str, title: str | None = None) -> dict[str, str]:
    cleaned = clean_text(raw, load_boilerplate(), title=title)
    return {raw[r.start : r.end]: r.kind for r in cleaned.removed}


def test_caption_repeated_with_credit_is_removed():
    cap = "Soldiers load trucks at a base near the border town"
    raw = f"{cap}\n{cap} (AFP/Getty Images)\n\n{BODY1}\n\n{BODY2}"
    doc = read_text(raw, "t")
    assert cap not in doc.text
    assert doc.text.startswith(BODY1)
    assert {r.kind for r in doc.removed} == {"caption"}


@pytest.mark.parametrize(
    "caption",
    [
        "A soldier stands guard at a checkpoint near the capital REUTERS/Jane Roe",
        "A soldier stands guard at a checkpoint near the capital (Photo: Jane Roe)",
        "Image: A soldier stands guard at a checkpoint",
        "File photo of a checkpoint near the capital",
    ],
)
def test_caption_lines_are_removed(caption):
    raw = f"{BODY1}\n\n{caption}\n\n{BODY2}"
    assert kinds(raw) == {caption: "caption"}


def test_comment_thread_after_the_body_is_cut_to_the_end():
    thread = "3 comments\n\nJohn Smith\n\nThis is an outrage and the minister should resign now.\n\nReply"
    raw = f"{BODY1}\n\n{BODY2}\n\n{thread}"
    doc = read_text(raw, "t")
    assert doc.text == f"{BODY1}\n\n{BODY2}"
    assert [r.kind for r in doc.removed] == ["comments"]


def test_comments_link_under_the_headline_does_not_cut_the_article():
    raw = f"Troops to leave border area\n\nComments\n\n{BODY1}\n\n{BODY2}"
    doc = read_text(raw, "t")
    assert doc.title == "Troops to leave border area"
    assert BODY2 in doc.text and "Comments" not in doc.text


def test_css_class_lists_and_share_lines_are_removed():
    raw = f"Share\nTweet\n\n{BODY1}\n\n  • article-body__content\n  • js-share wide-browser\n\n{BODY2}"
    got = kinds(raw)
    assert set(got.values()) == {"share", "css"}
    assert read_text(raw, "t").text == f"{BODY1}\n\n{BODY2}"


def test_tag_footer_and_credit_lines_are_removed():
    raw = f"{BODY1}\n\n{BODY2}\n\nReporting by Jane Roe; Editing by John Doe\n\nTopics: defence, borders"
    assert set(kinds(raw).values()) == {"credit", "tags"}


def test_related_headline_between_paragraphs_is_removed_but_crosshead_kept():
    raw = f"{BODY1}\n\nNeighbours Promise Aid For Border Towns\n\n{BODY2}\n\n– Talks in spring –\n\n{BODY3}"
    doc = read_text(raw, "t")
    assert "Neighbours Promise Aid" not in doc.text
    assert "– Talks in spring –" in doc.text


def test_headline_like_sentence_in_the_body_is_kept():
    short = "The border will reopen on Friday."
    raw = f"{BODY1}\n\n{short}\n\n{BODY2}"
    assert short in read_text(raw, "t").text


def test_glued_related_headline_is_cut_from_the_paragraph():
    glued = "Border deal with neighboursThe agreement was signed in the capital late on Monday night."
    raw = f"{BODY1}\n\n{glued}\n"
    doc = read_text(raw, "t")
    assert "The agreement was signed in the capital late on Monday night." in doc.text
    assert "Border deal with neighbours" not in doc.text


def test_hard_wrapped_paragraphs_are_kept():
    raw = (
        "The defence minister said on Tuesday that troops\nwould leave the border area within a week, and\n"
        "that the withdrawal would be complete by spring.\n\nOpposition leaders welcomed the news.\n"
    )
    doc = read_text(raw, "t")
    assert doc.removed == []
    assert "troops\nwould leave" in doc.text


def test_byline_and_date_under_the_headline():
    raw = f"Troops to leave border area\n\nBy Jane Roe\nMarch 3, 2015 10:20 AM\n\n{BODY1}\n\n{BODY2}"
    doc = read_text(raw, "t")
    assert (doc.title, doc.byline) == ("Troops to leave border area", "Jane Roe")
    assert str(doc.pub_date) == "2015-03-03"
    assert doc.text.startswith(BODY1)


def test_user_pattern_files_extend_the_packaged_ones(tmp_path):
    from kronika.config import Settings

    folder = tmp_path / "boilerplate"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "kinds:\n  advert:\n    lines: ['Subscribe to the print edition for one pound a week.']\n"
    )
    raw = f"{BODY1}\n\nSubscribe to the print edition for one pound a week.\n\n{BODY2}"
    settings = Settings(data_dirs=[tmp_path])
    assert "Subscribe to the print" in read_text(raw, "t").text
    assert "Subscribe to the print" not in read_text(raw, "t", settings=settings).text


@pytest.mark.parametrize(
    "last",
    [
        # a whole paragraph whose last words are a wiki heading or a follow-us line
        "They killed 23 Afghan soldiers and injured another 15. Twenty insurgents were killed. "
        "== References ==",
        "Turn out and vote for the new congress, in an election in which nearly every candidate is a "
        "supporter of the president. Or else. Workers say they fear for their jobs if they stay at home, "
        "and many of them will vote. Like our page on Facebook and stay updated on foreign news",
    ],
)
def test_a_paragraph_whose_last_words_lack_a_full_stop_is_kept(last):
    lead = "On the morning of 1 March 2019, gunmen attacked a camp in Helmand Province, Afghanistan."
    raw = lead + "\n\n" + last
    cleaned = clean_text(raw, load_boilerplate())
    assert last.split(".")[0] in cleaned.text


def test_wiki_link_sections_are_cut_to_the_next_heading():
    # inline, as wiki text often comes off the web: the links after "See also" are no report
    raw = (
        f"{BODY1} ==Reactions== {BODY2} ==See also== * 2007 Bagram Airfield bombing "
        "* 2014 Bagram Airfield bombing ==References=="
    )
    text = clean_text(raw, load_boilerplate()).text
    assert BODY2 in text and "Bagram Airfield bombing" not in text and "References" not in text
    # on lines of their own, up to the next section that is report again
    raw = f"{BODY1}\n\n== References ==\n* A source\n* Another source\n\n== Aftermath ==\n{BODY3}"
    cleaned = clean_text(raw, load_boilerplate())
    assert "source" not in cleaned.text and cleaned.text.endswith(BODY3) and "Aftermath" in cleaned.text
    assert {r.kind for r in cleaned.removed} == {"navigation"}
