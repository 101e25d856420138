"""Event coding: from a parsed sentence to event records, one module per stage.

``lexicon`` (triggers, cues, type table from data) · ``vocab`` (the words and codes the stages use) ·
``draft`` (trigger match, event draft) · ``context`` (what the stages read for one document) ·
``triggers`` · ``clauses`` · ``frames`` · ``roles`` · ``implied`` · ``modality`` · ``extract`` (the
stages in order: ``EventBuilder(...).drafts(sent)``) · ``build`` (the ``Event`` record of a draft).
"""
