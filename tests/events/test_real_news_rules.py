"""Rules written from the error kinds of real news: the country a document is about, acts only a
state performs, attackers named by their attack, intentions announced by the clause, ending verbs."""

from __future__ import annotations

import pytest

from kronika.config import Settings
from kronika.pipeline import code_texts

EVERY = Settings(min_confidence=0)

# A domestic report: Venezuela is named often enough to be what the text is about.
VENEZUELA = (
    "Venezuela's government faces a vote on Sunday. President Nicolás Maduro of Venezuela wants a new "
    "assembly, and critics in Caracas say Venezuela is sliding toward dictatorship. "
)


def _events(text: str, pub: str = "2017-07-28"):
    return [e.to_dict() for e in code_texts([text], pub_date=pub, settings=EVERY)]


def _find(events, trigger: str):
    return next(e for e in events if e["event_text"] == trigger)


def _codes(parties) -> list[str]:
    return sorted(p["code"] for p in parties)


def test_a_sector_word_takes_the_country_the_document_is_about():
    e = _find(_events(VENEZUELA + "Opposition parties are boycotting the election."), "boycotting")
    assert e["event"] == ["PROTEST"] and _codes(e["actor"]) == ["VEN"]
    assert "focus-country" in e["actor"][0]["rule"]


def test_an_arrest_with_no_actor_named_is_the_states_and_conjoined_passives_share_their_subject():
    events = _events(VENEZUELA + "In May, she was arrested and charged with treason.")
    arrest, charge = _find(events, "arrested"), _find(events, "charged")
    assert (arrest["event"], _codes(arrest["actor"]), arrest["actor"][0]["sector"]) == (
        ["COERCE"],
        ["VEN"],
        "COP",
    )
    assert arrest["actor"][0]["rule"] == "implied:state"
    assert (charge["event"], _codes(charge["actor"]), _codes(charge["recipient"])) == (
        ["ACCUSE"],
        ["VEN"],
        ["VEN"],
    )


def test_a_domestic_report_without_a_recipient_is_aimed_at_the_country_it_is_about():
    e = _find(_events(VENEZUELA + "The governor of Aragua denies the claims."), "denies")
    assert e["event"] == ["REJECT"] and _codes(e["recipient"]) == ["VEN"]
    assert e["recipient"][0]["rule"] == "implied:domestic"


def test_without_a_focus_no_recipient_is_implied():
    e = _find(_events("The governor denies the claims of Turkey and Greece."), "denies")
    assert all(r["rule"] != "implied:domestic" for r in e["recipient"])


def test_the_attacker_is_named_by_the_attack_not_by_its_target():
    e = _find(
        _events("A Russian general was killed in Deir ez-Zor by mortar fire from the Islamic State."),
        "killed",
    )
    assert (_codes(e["actor"]), _codes(e["recipient"])) == (["IMG"], ["RUS"])
    assert not any(
        e["event_text"] == "killed"
        for e in _events("Two soldiers were killed in an attack on Russian troops.")
    )


def test_a_coalition_of_states_is_international_and_has_no_fighters_of_its_own():
    e = _find(
        _events("The international coalition against Isis has killed more than 60,000 fighters."), "killed"
    )
    assert _codes(e["actor"]) == ["IGO"]
    assert "IGO" not in _codes(e["recipient"])


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Talks between Russia and Turkey are due to resume in Geneva on Tuesday.", "Talks"),
        ("A Syrian government delegation will arrive in Geneva on Wednesday for peace talks.", "talks"),
    ],
)
def test_talks_the_clause_announces_are_an_intention(text, trigger):
    e = _find(_events(text), trigger)
    assert (e["event"], e["modality"]) == (["AGREE"], "future")


def test_a_verb_that_ends_a_coercion_is_a_concession():
    e = _find(
        _events("On Saturday French police removed the cordon around the explosion area in Lyon."), "cordon"
    )
    assert e["event"] == ["CONCEDE"]


def test_naming_someone_a_terrorist_is_an_accusation():
    e = _find(
        _events("The governor of Aragua, a Venezuelan state, called them a terrorist matrix."), "called"
    )
    assert e["event"] == ["ACCUSE"]


def test_a_private_persons_trip_is_no_visit():
    events = _events("In 2014, having converted to Islam, the British student travelled to Syria.")
    assert not any(e["event"] == ["CONSULT"] for e in events)
    visit = _find(_events("The British foreign secretary travelled to Syria on Monday."), "travelled")
    assert visit["event"] == ["CONSULT"]
    # a citizen named by nationality is a private person, and so is a private caller
    assert not _events("Ollie Hall, a UK national, travelled to Syria in August.")
    assert not _events("An American student phoned a Russian shop in Moscow on Monday.")
    call = _find(_events("The American president phoned the Russian president on Monday."), "phoned")
    assert call["event"] == ["CONSULT"]


def test_nationals_of_a_country_are_its_civilians():
    e = _find(_events("Two French nationals were arrested in Turkey on Monday."), "arrested")
    assert [(p["code"], p["sector"]) for p in e["recipient"]] == [("FRA", "CVL")]


def test_the_owner_of_what_is_acted_on_is_the_recipient():
    e = _find(_events("Washington froze the Russian oligarch Oleg Deripaska's American assets."), "froze")
    assert _codes(e["recipient"]) != ["USA"]


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("There may be cases in which it is preferable to arrest a returning jihadist in Britain.", "arrest"),
        ("Some Britons went to Syria because they want to kill Isis.", "kill"),
    ],
)
def test_an_act_as_an_option_or_a_wish_is_hypothetical(text, trigger):
    assert _find(_events(text), trigger)["modality"] == "hypothetical"


@pytest.mark.parametrize(
    ("text", "trigger", "event"),
    [
        ("The UK is waging war against Islamic State in Iraq and Syria.", "waging", "ASSAULT"),
        (
            "Iraqi forces wrested back control of the cities of Mosul and Ramadi from Isis.",
            "wrested",
            "ASSAULT",
        ),
        (
            "Last year, 35 terrorism suspects were stripped of their passport by the Home Office.",
            "stripped",
            "COERCE",
        ),
    ],
)
def test_conflict_verbs_of_real_news(text, trigger, event):
    assert _find(_events(text), trigger)["event"] == [event]


def test_calling_for_protests_is_a_protest_and_a_general_strike_has_no_general():
    e = _find(_events(VENEZUELA + "The opposition on Thursday called for nationwide protests."), "called")
    assert e["event"] == ["PROTEST"] and _codes(e["actor"]) == ["VEN"]
    strike = _find(_events("Unions called a general strike in France."), "called")
    assert all(r["sector"] != "MIL" for r in strike["recipient"])


def test_a_bracketed_gloss_keeps_the_phrase_whole():
    e = _find(_events("Turkish forces neutralised thousands of Daesh [Isis] fighters."), "neutralised")
    assert _codes(e["actor"]) == ["TUR"] and _codes(e["recipient"]) == ["IMG"]


def test_capturing_a_suspect_is_an_arrest_and_capturing_a_town_is_not():
    arrest = _find(_events("Kurdish-led forces in Syria captured two Isis suspects near Raqqa."), "captured")
    assert arrest["event"] == ["COERCE"] and arrest["mode"] == ["arrest"]
    town = _find(_events("Syrian troops captured the town of Qaryatain."), "captured")
    assert town["event"] == ["ASSAULT"] and town["mode"] != ["abduct"]  # the troops are the subject


def test_opposing_a_proposal_is_a_rejection_and_opposing_a_government_a_disapproval():
    plan = _find(_events("Turkey said it opposed an invitation to Syrian Kurds."), "opposed")
    assert plan["event"] == ["REJECT"] and _codes(plan["actor"]) == ["TUR"]
    rule = _find(_events("Turkey opposed the Syrian government."), "opposed")
    assert rule["event"] == ["ACCUSE"]


def test_a_meeting_planned_by_the_clause_is_an_agreement_held_by_its_subject():
    e = _find(_events("The EU is due to stage a Syria reconstruction conference in Brussels."), "conference")
    assert e["event"] == ["AGREE"] and e["modality"] == "future" and _codes(e["actor"]) == ["EUR"]
    text = "A sixth round of UN-sponsored Syrian talks is due to resume in Geneva on Tuesday."
    rounds = _find(_events(text), "talks")
    assert rounds["event"] == ["AGREE"] and rounds["modality"] == "future"


def test_the_side_that_loses_ground_is_the_recipient_of_a_recapture():
    e = _find(_events("Iraqi forces recaptured Mosul from Isis in July."), "recaptured")
    assert _codes(e["actor"]) == ["IRQ"] and _codes(e["recipient"]) == ["IMG"]


def test_hitting_someone_with_sanctions_is_a_sanction():
    e = _find(_events("The Trump administration hits 13 Venezuelans with sanctions."), "hits")
    assert e["event"] == ["SANCTION"] and _codes(e["actor"]) == ["USA"] and _codes(e["recipient"]) == ["VEN"]


def test_an_act_named_as_the_subject_of_a_judgement_is_no_event():
    text = "Bombing Syrian bridges was one option the Russian ministers discussed."
    assert [e["event_text"] for e in _events(text)] == ["discussed"]


@pytest.mark.parametrize(
    "text",
    [
        "A Syrian official, who requested anonymity, said the convoy had left Damascus.",
        "Ninety people were detained in hospital in Belfast overnight.",
        "At a refugee camp in Jordan, I met a group of Syrian women.",
        "Aleppo is one of the last strongholds of rebels fighting the Syrian government.",
        '"Is there any doubt in your mind?" asked the US prosecutor Scott Mendeloff.',
    ],
)
def test_reporting_conventions_the_writer_and_descriptions_are_no_events(text):
    assert [e["event"] for e in _events(text)] == []


def test_a_quoted_first_person_and_a_request_not_to_act_still_are_events():
    e = _find(_events("Turkey asked Russia not to bomb Idlib."), "asked")
    assert e["event"] == ["REQUEST"] and _codes(e["recipient"]) == ["RUS"]


def test_a_participle_of_a_standing_relation_is_no_act_and_a_passive_participle_names_its_victims():
    backed = _events("Kurdish militias backed by the US-led coalition swept through Raqqa province.")
    assert not any(e["event_text"] == "backed" for e in backed)
    e = _find(_events("Five Afghan soldiers wounded by Taliban gunmen were flown to Kabul."), "wounded")
    assert e["event"] == ["ASSAULT"] and _codes(e["recipient"]) == ["AFG"]
    assert e["recipient"][0]["sector"] == "MIL"


def test_forms_the_model_lemmatises_wrongly_are_corrected_by_the_lemma_data():
    raped = _find(_events("Syrian women were raped by militiamen in Deir ez-Zor."), "raped")
    assert raped["event"] == ["ASSAULT"] and raped["mode"] == ["sexual"]
    assert raped["recipient"][0]["sector"] == "CVL"
    waged = _find(_events("Islamic State waged war on the Yazidis of Iraq."), "waged")
    assert waged["event"] == ["ASSAULT"]
    cordon = _find(_events("Spanish police cordoned off the scene in Madrid."), "cordoned off")
    assert cordon["event"] == ["COERCE"] and _codes(cordon["actor"]) == ["ESP"]
    staged = _find(_events("Protesters staged a rally in Caracas on Monday."), "staged")
    assert staged["event"] == ["PROTEST"]


def test_a_person_named_with_a_nationality_keeps_it_through_the_story():
    text = (
        "Jack Letts, a Briton from Oxford, travelled to Syria in 2014. Kurdish forces in Syria arrested "
        "him in May. Letts has since been charged by a Syrian court."
    )
    events = _events(text, pub="2017-11-22")
    assert not any(e["event_text"] == "travelled" for e in events)  # a private person's trip
    arrest, charge = _find(events, "arrested"), _find(events, "charged")
    assert _codes(arrest["recipient"]) == ["GBR"] and arrest["recipient"][0]["sector"] == "CVL"
    assert _codes(charge["recipient"]) == ["GBR"] and _codes(charge["actor"]) == ["SYR"]


def test_a_person_from_a_town_is_of_its_country():
    e = _find(_events("Dean Evans, 22, a dairy farmer from Reading, was killed in Manbij."), "killed")
    assert _codes(e["recipient"]) == ["GBR"] and e["recipient"][0]["rule"].endswith("home-town")
    # a town the place list does not hold is looked up in the gazetteer
    marine = _events("Konstandinos Scurfield, an ex-Royal Marine from Barnsley, was killed in Syria.")
    e = _find(marine, "killed")
    assert _codes(e["recipient"]) == ["GBR"]
    # and stays so when named again later by surname alone
    text = (
        "Oliver Hall, 24, from Portsmouth, was in Raqqa helping to clear mines. According to one "
        "source, Hall was killed on Saturday by Isis fighters in Syria."
    )
    later = _find(_events(text), "killed")
    assert _codes(later["recipient"]) == ["GBR"] and later["recipient"][0]["rule"].endswith("home-town")


@pytest.mark.parametrize(
    ("text", "trigger", "event"),
    [
        ("Russia had negotiated a ceasefire with Turkey.", "negotiated", "AGREE"),
        ("Russia brokered a deal with Turkey on Idlib.", "brokered", "AGREE"),
        ("The Syrian opposition dismissed the congress as a farce.", "dismissed", "ACCUSE"),
        ("Spanish courts dismissed the cases against the ETA suspects.", "dismissed", "CONCEDE"),
        ("Trump said the US would no longer supply arms to Syrian Kurdish fighters.", "supply", "SANCTION"),
    ],
)
def test_the_object_or_an_ending_adverb_sets_the_type(text, trigger, event):
    assert _find(_events(text), trigger)["event"] == [event]


def test_a_clause_inside_a_phrase_does_not_name_its_actor():
    text = "The parents of Jack Letts, a Briton held by Kurds in Syria, have accused the Foreign Office."
    e = _find(_events(text), "accused")
    assert _codes(e["actor"]) == ["GBR"] and _codes(e["recipient"]) == ["GBR"]


def test_an_object_pronoun_is_not_the_subject_of_its_own_clause():
    e = _find(_events("The Syrian army continues to hunt them down."), "hunt them down")
    assert _codes(e["actor"]) == ["SYR"] and _codes(e["recipient"]) != ["SYR"]


def test_swearing_allegiance_is_support():
    e = _find(_events("Syrian rebels pledged allegiance to Islamic State."), "pledged")
    assert e["event"] == ["SUPPORT"] and _codes(e["recipient"]) == ["IMG"]


def test_locals_and_relatives_are_civilians_of_the_place():
    e = _find(_events("In Deir ez-Zor, locals have blamed IS and the Assad regime."), "blamed")
    assert _codes(e["actor"]) == ["SYR"] and e["actor"][0]["sector"] == "CVL"
    assert _codes(e["recipient"]) == ["IMG", "SYR"]


def test_an_event_noun_wished_for_is_hypothetical():
    e = _find(_events("Turkey wants Russia's backing for its plan to weaken the Kurds."), "backing")
    assert e["modality"] == "hypothetical"


def test_a_preposition_that_introduces_a_date_is_no_part_of_the_trigger():
    events = _events("He insisted on Wednesday that Assad was committed to a peace process.")
    assert [e["event_text"] for e in events] == ["committed"]  # no demand "insisted on"
    e = _find(_events("Russia insisted on a ceasefire in Idlib."), "insisted")
    assert e["event"] == ["REQUEST"]


def test_a_wish_of_ones_own_is_no_request():
    events = _events("Some fighters joined the Kurds in Syria because they want to kill Isis fighters.")
    assert not any(e["event"] == ["REQUEST"] for e in events)
    asked = _find(_events("The United States urged Russia to withdraw its troops from Syria."), "urged")
    assert asked["event"] == ["REQUEST"]


@pytest.mark.parametrize(
    "text",
    [
        "Other Britons killed fighting Isis in the past year include Mehmet Aksoy, a press officer.",
        "Two British volunteers killed fighting Isis in Raqqa were buried in London on Monday.",
    ],
)
def test_people_killed_fighting_an_enemy_were_killed_by_it(text):
    e = _find(_events(text), "killed")
    assert _codes(e["actor"]) == ["IMG"] and _codes(e["recipient"]) == ["GBR"]


def test_a_police_hunt_for_a_suspect_is_an_investigation():
    events = _events("Police in the French city of Lyon were searching for a suspect on Saturday.")
    e = _find(events, "searching")
    assert e["event"] == ["ACCUSE"] and e["mode"] == ["investigate"] and _codes(e["actor"]) == ["FRA"]
    assert not _events("Rescuers were searching for survivors in the rubble in Aleppo on Monday.")


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Russia and Turkey failed to agree on a ceasefire in Syria on Monday.", "agree"),
        ("The British government is unable to provide support to its nationals in Syria.", "provide"),
    ],
)
def test_an_act_that_failed_is_negated(text, trigger):
    assert _find(_events(text), trigger)["modality"] == "negated"


def test_a_group_named_by_a_number_is_the_last_states_named():
    text = (
        "Putin will host Iran's Hassan Rouhani and Turkey's Recep Tayyip Erdoğan in Sochi. In preparation "
        "for the summit, foreign ministers from the three countries met in Antalya on Sunday."
    )
    e = _find(_events(text), "met")
    assert _codes(e["actor"]) == ["IRN", "RUS", "TUR"] and not e["recipient"]
    assert {p["sector"] for p in e["actor"]} == {"GOV"}


def test_coordinated_partners_named_by_their_countries_are_all_recipients():
    events = _events("Putin will host Iran's Hassan Rouhani and Turkey's Recep Tayyip Erdoğan in Sochi.")
    assert _codes(_find(events, "host")["recipient"]) == ["IRN", "TUR"]


def test_what_comes_under_attack_is_the_recipient():
    events = _events("The Syrian army base near Homs came under attack by Isis fighters on Monday.")
    e = _find(events, "attack")
    assert _codes(e["actor"]) == ["IMG"]
    assert [(p["code"], p["sector"]) for p in e["recipient"]] == [("SYR", "MIL")]


@pytest.mark.parametrize(
    "text",
    ["The Foreign Office refused to comment on the case.", "Russian officials declined to comment."],
)
def test_declining_to_comment_is_no_rejection(text):
    assert not _events(text)


def test_refusing_to_attend_talks_is_a_rejection():
    e = _find(_events("Syria refused to attend the talks in Geneva on Monday."), "refused")
    assert e["event"] == ["REJECT"]


def test_the_subject_after_a_reduced_passive_is_its_patient_not_its_agent():
    # Elliott was asked; who asked is not said
    events = _events("Asked to point him out, the American witness Tom Elliott gestured to the table.")
    assert not any(e["event"] == ["REQUEST"] for e in events)


def test_a_promise_of_a_state_of_affairs_is_no_event_but_a_promise_of_an_act_is():
    assert not _events(VENEZUELA + "Maduro has promised Venezuelans that the assembly will herald a new era.")
    e = _find(_events("Putin promised Assad that Russia would keep supplying arms."), "promised")
    assert e["event"] == ["AGREE"] and _codes(e["recipient"]) == ["SYR"]


def test_begging_someone_to_act_is_a_request_and_money_provided_is_aid():
    beg = _find(_events(VENEZUELA + "The opposition is begging Venezuelans to sit out the vote."), "begging")
    assert beg["event"] == ["REQUEST"]
    text = "The US provided Iraqi authorities with several million dollars' worth of border infrastructure."
    aid = _find(_events(text), "provided")
    assert aid["event"] == ["AID"] and _codes(aid["actor"]) == ["USA"] and _codes(aid["recipient"]) == ["IRQ"]


def test_what_a_passive_participle_modifies_is_its_object_for_the_lexicon():
    assert not _events("The images, released on Monday by the news agency AFP, show a baby in Ghouta, Syria.")
    e = _find(_events("Ten prisoners released by Syria on Monday returned to Turkey."), "released")
    assert e["event"] == ["RETREAT"]


def test_a_running_toll_is_no_event_but_a_count_of_one_attack_is():
    assert not _events("More than 330,000 people have been killed in Syria since the conflict began in 2011.")
    text = "At least 20 people have been killed since Monday in Aleppo by government air strikes."
    assert _find(_events(text), "killed")["event"] == ["ASSAULT"]


def test_who_faces_an_act_is_its_recipient():
    e = _find(_events("Iran faces new sanctions from the United States."), "sanctions")
    assert e["event"] == ["SANCTION"] and _codes(e["actor"]) == ["USA"] and _codes(e["recipient"]) == ["IRN"]


def test_a_state_named_as_a_place_is_not_one_of_the_group():
    text = (
        "Russia, which holds a military advantage in Syria, wants a deal with Iran and Turkey. Foreign "
        "ministers from the three countries met in Antalya on Sunday."
    )
    assert _codes(_find(_events(text), "met")["actor"]) == ["IRN", "RUS", "TUR"]


def test_the_town_a_person_comes_from_is_not_where_the_event_happened():
    # no attacker is implied from the home town, nor is it the event's place
    for e in _events("Dean Evans, a dairy farmer from Reading, Berkshire, was killed on Saturday."):
        assert _codes(e["actor"]) != ["GBR"] and (e.get("place") or {}).get("name") != "Reading"
    e = _find(_events("Dean Evans, a dairy farmer from Reading, Berkshire, was killed in Manbij."), "killed")
    assert _codes(e["actor"]) == ["SYR"] and _codes(e["recipient"]) == ["GBR"]


def test_driving_fighters_out_of_a_place_is_an_assault():
    events = _events("On 9 November, the Syrian army drove Isis militants out of their last stronghold.")
    e = _find(events, "drove Isis militants out")
    assert e["event"] == ["ASSAULT"] and _codes(e["actor"]) == ["SYR"] and _codes(e["recipient"]) == ["IMG"]


def test_opponents_of_a_leader_are_of_the_leaders_country():
    e = _find(_events("Russian jets were targeting the anti-Assad opposition near Idlib."), "targeting")
    assert _codes(e["recipient"]) == ["SYR"] and e["recipient"][0]["sector"] == "OPP"


def test_coming_to_someones_aid_helps_them():
    e = _find(_events("The UK is coming to Baghdad's aid on both sides of the border."), "aid")
    assert e["event"] == ["AID"] and _codes(e["actor"]) == ["GBR"] and _codes(e["recipient"]) == ["IRQ"]


def test_a_clause_of_hope_or_fear_is_hypothetical():
    text = "The opposition is losing hope that Maduro will back down."
    assert _find(_events(VENEZUELA + text), "back down")["modality"] == "hypothetical"


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("A British volunteer died in an explosion in Raqqa on Monday.", "explosion"),
        ("The British volunteer died when an improvised explosive device blew up in Raqqa.", "blew up"),
    ],
)
def test_who_dies_in_an_attack_is_its_target_not_its_actor(text, trigger):
    e = _find(_events(text), trigger)
    assert [(p["code"], p["sector"]) for p in e["recipient"]] == [("GBR", "CVL")]
    assert _codes(e["actor"]) == ["SYR"] and e["actor"][0]["rule"] == "implied:place"


def test_whom_a_participle_of_harm_kills_is_the_attacks_target():
    e = _find(_events("A bomb exploded in a market in Kabul on Friday, killing three people."), "exploded")
    assert [(p["code"], p["sector"]) for p in e["recipient"]] == [("AFG", "CVL")]
    assert [(p["code"], p["sector"]) for p in e["actor"]] == [("AFG", "UNK")]


@pytest.mark.parametrize(
    ("text", "trigger", "mode"),
    [
        ("The Syrian opposition said it would not attend the talks in Geneva.", "attend", "meet"),
        ("Turkey will not cooperate with the Kurdish militias.", "cooperate", "assist"),
    ],
)
def test_a_negated_future_meeting_or_cooperation_is_a_refusal(text, trigger, mode):
    e = _find(_events(text), trigger)
    assert e["event"] == ["REJECT"] and e["mode"] == [mode] and e["modality"] == "asserted"


def test_a_meeting_that_did_not_take_place_stays_a_negated_meeting():
    e = _find(_events("The Syrian opposition did not attend the talks in Geneva."), "attend")
    assert e["event"] == ["CONSULT"] and e["modality"] == "negated"


def test_pleading_not_guilty_rejects_the_charge():
    text = "A citizen of Kyrgyzstan pleaded not guilty to charges of lying."
    e = _find(_events(text), "pleaded not guilty")
    assert e["event"] == ["REJECT"] and _codes(e["actor"]) == ["KGZ"]


def test_a_go_between_mediates_between_the_parties_it_stands_between():
    text = (
        "Former Spanish prime minister José Luis Rodríguez Zapatero has served as an intermediary "
        "between the government and the opposition."
    )
    e = _find(_events(VENEZUELA + text), "intermediary")
    assert e["event"] == ["CONSULT"] and e["mode"] == ["third-party"]
    assert _codes(e["actor"]) == ["ESP"] and _codes(e["recipient"]) == ["VEN", "VEN"]


@pytest.mark.parametrize(
    ("text", "trigger", "event"),
    [
        ("The Pentagon said it would increase the number of troops in Syria to 500.", "increase", "MOBILIZE"),
        ("Iraqi forces defeated Isis in Mosul last year.", "defeated", "ASSAULT"),
        ("The French interior minister sent instructions for Lyon police to strengthen security.",
         "instructions", "REQUEST"),
    ],
)
def test_lexicon_entries_for_troop_increases_defeats_and_instructions(text, trigger, event):
    assert _find(_events(text), trigger)["event"] == [event]


def test_defeating_an_opponent_at_the_polls_is_no_assault():
    events = _events("Macron defeated Le Pen in the French election.")
    assert not [e for e in events if e["event"] == ["ASSAULT"]]


def test_the_subject_of_a_participle_of_stance_holds_the_stance():
    e = _find(_events("He insisted that Assad was committed to a peace process."), "committed")
    assert e["event"] == ["AGREE"] and _codes(e["actor"]) == ["SYR"] and not e["recipient"]
    e = _find(_events("Assad was opposed by the rebels in Idlib."), "opposed")
    assert [p["sector"] for p in e["actor"]] == ["REB"] and _codes(e["recipient"]) == ["SYR"]


def test_keeping_forces_in_a_country_is_a_military_posture():
    e = _find(_events("A Kremlin spokesperson said Russia would retain a sizable force in Syria."), "retain")
    assert e["event"] == ["MOBILIZE"] and _codes(e["actor"]) == ["RUS"] and not e["recipient"]


def test_a_party_named_as_the_subject_of_a_gerund_is_the_recipient():
    e = _find(_events("Turkey objected to Russia inviting the Kurdish militias."), "objected")
    assert _codes(e["actor"]) == ["TUR"] and _codes(e["recipient"]) == ["RUS"]


def test_the_end_of_a_span_does_not_date_the_event():
    e = _find(_events("Russia suspended talks with Turkey until next month.", pub="2017-11-22"), "suspended")
    assert e["date"] == "2017-11-22"
    e = _find(_events("The conference was put on hold until at least February over Turkish objections."),
              "objections")
    assert not (e["date"] or "").startswith("2017-02")


def test_a_month_after_a_preposition_is_no_protest_march():
    e = _find(_events("Russia suspended talks with Turkey until March 2016."), "suspended")
    assert e["event"] == ["SANCTION"] and e["date"] == "2016-03"


def test_an_investigation_with_no_investigator_named_is_the_states():
    text = VENEZUELA + "The prosecutor announced that an investigation was initiated."
    e = _find(_events(text), "investigation")
    assert e["event"] == ["ACCUSE"] and _codes(e["actor"]) == ["VEN"]
    assert e["actor"][0]["rule"] == "implied:state"


def test_the_self_styled_caliphate_is_the_islamic_state():
    text = "The Iraqi government is retaking territory from the self-styled caliphate."
    e = _find(_events(text), "retaking")
    assert _codes(e["actor"]) == ["IRQ"] and _codes(e["recipient"]) == ["IMG"]


def test_a_possessor_does_not_take_the_nationality_of_what_it_owns():
    text = VENEZUELA + "The U.S. Treasury froze Vice President Tareck El Aissami's American assets."
    e = _find(_events(text), "froze")
    assert _codes(e["actor"]) == ["USA"] and _codes(e["recipient"]) == ["VEN"]


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Turkey is currently welcoming 3.5 million Syrian refugees.", "welcoming"),
        ("The Syrian army cleared mines in Raqqa so that civilians could return.", "cleared"),
    ],
)
def test_taking_in_refugees_and_clearing_mines_are_aid(text, trigger):
    assert _find(_events(text), trigger)["event"] == ["AID"]


def test_asylum_granted_with_no_grantor_named_is_the_states():
    e = _find(_events("He was later granted political asylum in the United States."), "granted")
    assert e["event"] == ["AID"] and _codes(e["actor"]) == ["USA"]
    assert e["actor"][0]["rule"] == "implied:state"


def test_embracing_a_plan_supports_it_and_embracing_a_person_is_a_gesture():
    assert _find(_events("Turkey embraced the Russian plan for Syria."), "embraced")["event"] == ["SUPPORT"]
    events = _events("Putin embraced the Syrian president Bashar al-Assad.")
    assert not [e for e in events if e["event_text"] == "embraced"]


def test_a_police_raid_is_a_coercion_and_a_military_raid_an_assault():
    text = "British police and counter-terror officers launched further raids early Monday in east London."
    assert _find(_events(text), "launched")["event"] == ["COERCE"]
    military = _events("Russian troops launched a raid on the Syrian village.")
    assert _find(military, "launched")["event"] == ["ASSAULT"]


def test_a_judges_order_to_hold_someone_is_a_detention():
    text = "A federal judge in Boston ordered him detained."
    e = _find(_events(text), "ordered")
    assert e["event"] == ["COERCE"] and e["mode"] == ["arrest"]


def test_information_delivered_to_another_party_is_intelligence_sharing():
    text = "The Venezuelan Public Prosecutor's office has delivered the information to Interpol."
    e = _find(_events(text), "delivered")
    assert e["event"] == ["COOPERATE"] and _codes(e["actor"]) == ["VEN"] and _codes(e["recipient"]) == ["IGO"]


@pytest.mark.parametrize(
    ("text", "trigger", "event", "actor"),
    [
        ("The Kremlin issued a statement denying any role in the attack.", "denying", "REJECT", "RUS"),
        ("The Venezuelan ministry issued a statement calling for calm.", "calling", "REQUEST", "VEN"),
    ],
)
def test_what_a_statement_says_is_the_act(text, trigger, event, actor):
    e = _find(_events(text), trigger)
    assert e["event"] == [event] and _codes(e["actor"]) == [actor]


def test_a_participle_describing_a_group_is_still_no_act():
    events = _events("Rebels fighting the Syrian regime were seen in Idlib.")
    assert not [e for e in events if e["event_text"] == "fighting"]


def test_keeping_aid_from_people_is_a_coercion_not_aid():
    text = "The Syrian government has limited the aid provided to those areas by the UN."
    events = _events(text)
    e = _find(events, "limited")
    assert e["event"] == ["COERCE"] and e["mode"] == ["withhold"] and _codes(e["actor"]) == ["SYR"]
    assert not [x for x in events if x["event"] == ["AID"]]


def test_putting_down_an_armed_revolt_is_an_assault_and_a_protest_a_coercion():
    text = "Within a few weeks, Russian forces had suppressed the insurrection in Dagestan."
    assert _find(_events(text), "suppressed")["event"] == ["ASSAULT"]
    protest = _events("Venezuelan police suppressed the protest in Caracas.")
    assert _find(protest, "suppressed")["event"] == ["COERCE"]


def test_an_electoral_council_ruling_against_a_party_rejects_it():
    e = _find(_events(VENEZUELA + "The country's electoral council ruled against the opposition."), "ruled")
    assert e["event"] == ["REJECT"] and _codes(e["actor"]) == ["VEN"] and _codes(e["recipient"]) == ["VEN"]
