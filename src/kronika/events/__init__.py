"""Event coding: the trigger lexicon and the extractor that turns parsed sentences into event records."""
