"""Event coding on sentences written for the purpose: triggers, roles, attribution, modality."""

from __future__ import annotations

import pytest

from kronika import code_texts

PUB = "2016-02-24"


def _events(text: str, pub: str | None = PUB):
    return [e.to_dict() for e in code_texts([text], pub_date=pub)]


def _codes(entities):
    return sorted(e["code"] for e in entities)


def _one(events, event_type):
    found = [e for e in events if e["event"][0] == event_type]
    assert found, f"no {event_type} in {[(e['event'], e['event_text']) for e in events]}"
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "event_type", "actors", "recipients"),
    [
        ("Vladimir Putin spoke to Bashar al-Assad on Wednesday.", "CONSULT", ["RUS"], ["SYR"]),
        ("Putin's talks with Erdogan lasted three hours.", "CONSULT", ["RUS"], ["TUR"]),
        ("The United States and Russia agreed on a ceasefire plan.", "AGREE", ["RUS", "USA"], []),
        ("Israeli jets bombed Hamas positions in Gaza.", "ASSAULT", ["ISR"], ["PSE"]),
        ("Turkey accused Russia of violating its airspace.", "ACCUSE", ["TUR"], ["RUS"]),
        ("Iran threatened to cut off oil supplies to Turkey.", "THREATEN", ["IRN"], ["TUR"]),
        ("Egypt rejected an Israeli proposal for talks.", "REJECT", ["EGY"], ["ISR"]),
        ("The European Union imposed sanctions on Syria.", "SANCTION", ["EUR"], ["SYR"]),
        ("Thousands of Iraqis demonstrated against the government in Baghdad.", "PROTEST", ["IRQ"], None),
        ("Jordan has offered to send troops to help Lebanon.", "AGREE", ["JOR"], ["LBN"]),
    ],
)
def test_event_type_and_dyad(sentence, event_type, actors, recipients):
    e = _one(_events(sentence), event_type)
    assert _codes(e["actor"]) == actors
    if recipients is not None:  # None: the sentence leaves the recipient open
        assert _codes(e["recipient"]) == recipients


def test_call_between_two_leaders_is_reciprocal():
    e = _one(
        _events("The talks were followed by a call between Putin and the King of Saudi Arabia."), "CONSULT"
    )
    assert _codes(e["actor"]) == ["RUS", "SAU"]
    assert e["mode"] == ["phone"] or e["event_text"].lower().startswith("call")


def test_air_strikes_have_aerial_mode():
    e = _one(_events("Russian air strikes on rebel positions near Aleppo killed ten people."), "ASSAULT")
    assert "RUS" in _codes(e["actor"])
    assert e["mode"] == ["aerial"]


def test_reported_speech_gives_attribution_not_actor():
    e = _one(_events("The Kremlin said that Syrian troops attacked Turkish positions."), "ASSAULT")
    assert _codes(e["actor"]) == ["SYR"]
    assert _codes(e["recipient"]) == ["TUR"]
    assert e["attribution"]["code"] == "RUS"


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Israel did not attack Lebanon on Tuesday.", "negated"),
        ("If Russia attacks Ukraine, the alliance would respond.", "hypothetical"),
        ("Turkey will send troops to Qatar next month.", "future"),
        ("Russian warplanes bombed Aleppo on Tuesday.", "asserted"),
    ],
)
def test_modality_is_set_and_event_kept(sentence, modality):
    events = _events(sentence)
    assert events, "the event must be kept whatever its modality"
    assert events[0]["modality"] == modality


def test_two_events_in_one_sentence_give_two_records():
    events = _events("Israeli aircraft bombed Gaza overnight and Hamas fired rockets at Israel.")
    assert len([e for e in events if e["event"] == ["ASSAULT"]]) == 2


def test_record_fields_and_deterministic_id():
    a = _events("Putin spoke to Assad by phone on Wednesday.")
    b = _events("Putin spoke to Assad by phone on Wednesday.")
    assert a[0]["id"] == b[0]["id"]
    e = a[0]
    for key in (
        "doc_id",
        "event",
        "mode",
        "context",
        "cameo",
        "quad_code",
        "event_scale",
        "actor",
        "recipient",
        "date",
        "date_precision",
        "date_text",
        "modality",
        "attribution",
        "confidence",
        "text",
        "text_info",
        "event_text",
    ):
        assert key in e
    assert e["date"] == "2016-02-24"
    assert 0 <= e["confidence"] <= 1
    start, end = e["text_info"]["trigger_start"], e["text_info"]["trigger_end"]
    assert e["event_text"] == "Putin spoke to Assad by phone on Wednesday."[start:end]
    actor = e["actor"][0]
    assert (
        "Putin spoke to Assad by phone on Wednesday."[actor["start"] : actor["end"]] == actor["entity_text"]
    )


def test_no_publication_date_invents_no_date():
    e = _events("Putin spoke to Assad by phone on Wednesday.", pub=None)[0]
    assert e["date"] is None


def test_the_two_leaders_are_the_last_two_people_named():
    events = _events(
        "Russian President Vladimir Putin spoke with Turkish President Recep Tayyip Erdogan on Tuesday. "
        "The two leaders discussed the situation in Syria."
    )
    talk = next(e for e in events if e["event_text"] == "discussed")
    assert _codes(talk["actor"]) == ["RUS", "TUR"]
    assert talk["recipient"] == []  # a topic, not a partner


def test_dateline_is_not_part_of_the_actor_name():
    e = _one(_events("MOSCOW - Russian President Vladimir Putin met Assad on Tuesday."), "CONSULT")
    assert e["actor"][0]["entity_text"] == "Russian President Vladimir Putin"


def test_contacts_with_several_countries_are_one_event_per_partner():
    events = _events(
        "Vladimir Putin spoke to Bashar al-Assad, the King of Saudi Arabia, Iranian President Hassan Rouhani "
        "and Benjamin Netanyahu in quick succession on Wednesday."
    )
    calls = [e for e in events if e["event"][0] == "CONSULT"]
    assert sorted(_codes(c["recipient"])[0] for c in calls) == ["IRN", "ISR", "SAU", "SYR"]
    assert all(len(c["recipient"]) == 1 for c in calls)
    assert len({c["id"] for c in calls}) == 4


def test_protest_without_a_named_target_is_aimed_at_its_own_government():
    e = _one(_events("Thousands of Kenyans marched in Nairobi on Sunday."), "PROTEST")
    assert _codes(e["actor"]) == ["KEN"]
    implied = e["recipient"][0]
    assert (implied["code"], implied["sector"], implied["start"]) == ("KEN", "GOV", None)
    assert implied["rule"] == "implied:domestic"


def test_unidentified_attacker_takes_the_country_of_the_place():
    e = _one(_events("A roadside bomb killed two soldiers near Kirkuk on Monday."), "ASSAULT")
    assert (e["actor"][0]["code"], e["actor"][0]["sector"]) == ("IRQ", "UNK")
    assert e["place"]["name"] == "Kirkuk" and e["place"]["country"] == "IRQ"


def test_ethnic_group_codes_the_country_it_lives_in():
    e = _one(_events("Bosnian Serbs demanded a truce with Moslem forces."), "REQUEST")
    assert (e["actor"][0]["code"], e["actor"][0]["sector"]) == ("BIH", "CVL")


def test_refusing_to_accept_is_a_rejection():
    e = _one(_events("Jordan said it will not accept any more refugees."), "REJECT")
    assert _codes(e["actor"]) == ["JOR"] and e["modality"] == "future"


def test_dateline_with_agency_is_not_the_actor_and_the_partner_beats_the_topic():
    events = _events(
        "MOSCOW (Reuters) - Russian President Vladimir Putin discussed the conflict in Syria with "
        "Syrian President Bashar al-Assad on Thursday."
    )
    e = next(e for e in events if e["event_text"] == "discussed")
    assert _codes(e["actor"]) == ["RUS"] and _codes(e["recipient"]) == ["SYR"]
    assert e["recipient"][0]["entity_text"].endswith("Bashar al-Assad")
