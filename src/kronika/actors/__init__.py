"""Actor coding: the knowledge base and the recogniser that finds and codes actors in parsed text."""

from kronika.actors.kb import ActorRef, KnowledgeBase, load_kb

__all__ = ["ActorRef", "KnowledgeBase", "load_kb"]
