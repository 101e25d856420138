"""The words, tags and codes the event stages read, in one place.

Two kinds of constant live here. The first block is spaCy's English scheme (dependency labels and
parts of speech): mechanism, it changes only with the parser. The second block is knowledge: English
function words, event types and CAMEO codes the stages treat specially, and the confidence weights.
It is meant to move into the data files (``data/events/``) read through the knowledge layer; until
then every stage imports it from here, so a reader finds all of it in this file.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- parser scheme (spaCy)
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
OBJECT_DEPS = ("dobj", "obj", "dative", "attr", "oprd")
# Clause links through which a verb without a subject inherits one ("opened fire, killing one").
INHERIT_DEPS = ("xcomp", "advcl", "conj", "acl", "pcomp", "acomp")  # acomp: "is due to stage"
# Dependents that do not qualify a trigger's sense: adverbial and coordinated clauses, punctuation.
LOOSE_DEPS = {"advcl", "conj", "cc", "parataxis", "relcl", "punct", "mark"}
# Dependents through which a cue word negates its head ("did not attack", "no talks were held").
NEGATING_DEPS = ("neg", "det")
# Dependents that qualify a noun instead of reporting an act ("Iran-backed", "the bombing campaign").
MODIFIER_DEPS = ("amod", "compound", "nmod", "npadvmod", "poss")
NOUN_POS = {"NOUN", "PROPN"}
VERB_POS = {"VERB", "AUX"}

# --------------------------------------------------------------------------- knowledge (to become data)
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
# The possessive that stands for the parties of a contact ("their phone call").
JOINT_POSSESSIVE = "their"
# Prepositions of circumstance: "after fierce fighting" puts the fighting outside the main line.
CIRCUMSTANCE_PREPS = ("after", "during", "following", "amid", "despite", "before", "since")
# Recipient prepositions when neither the trigger nor its type names any.
DEFAULT_RECIPIENT_PREPS = ("with", "to", "against", "on")
# Further prepositions that introduce the recipient of a nominal trigger ("sanctions on Syria").
NOUN_RECIPIENT_PREPS = ("with", "on", "against", "to", "in")
JOINT_PREP = "between"  # "a call between Putin and the King": both are actors
AGENT_PREP = "by"  # "an attack by rebels"
OF_PREP = "of"  # "deployment of peacekeeping troops"
INFINITIVE_MARK = "to"
OBLIGATION_AUX = "must"  # "X said Y must do Z" is a demand by X on Y
OBLIGATION_RULE = "cues:must-under-report"
PAST_FUTURE_AUX = "would"  # "said it would attack": the future of the past
# Hypothetical auxiliaries of the cue list that do not make an event hypothetical.
WEAK_MODALS = ("may",)
CONDITIONAL_MARKS = ("if", "unless")

# Types that are not folded into AGREE/THREATEN when announced for the future: they are verbal already.
FOLD_EXEMPT = ("THREATEN", "REQUEST", "REJECT", "ACCUSE", "AGREE")
FORCEFUL_TYPES = ("ASSAULT", "COERCE")  # "prepared to attack" is MOBILIZE; a purpose clause's target
MOVED_TYPES = ("MOBILIZE", "RETREAT", "AID")  # a sector-only object is what moves, not who receives
CONTACT_TYPES = ("CONSULT",)  # contacts: one event per partner country, the partner beats the topic
ACCEPTANCE_TYPES = ("AGREE", "CONCEDE")  # "will not accept" is a REJECT
CONDITIONAL_TYPES = ("THREATEN",)  # a threat's "if" clause is its condition, not a hypothesis
# Sectors of implied participants: an unknown attacker, a government, the people.
UNKNOWN_SECTOR, GOVERNMENT_SECTOR, CIVILIAN_SECTOR = "UNK", "GOV", "CVL"
PLACE_KINDS = ("country", "capital")  # knowledge-base kinds that name a place

# An asserted event dated in the text more than this many years before publication is "historical".
HISTORICAL_YEARS = 1
