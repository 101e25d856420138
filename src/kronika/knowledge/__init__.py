"""The one knowledge layer: schemas of the knowledge files, the loader, and the ``Knowledge`` bundle."""

from kronika.knowledge.bundle import Knowledge, load_knowledge
from kronika.knowledge.errors import KnowledgeError, KnowledgeErrors
from kronika.knowledge.loader import KINDS, FileKind

__all__ = ["KINDS", "FileKind", "Knowledge", "KnowledgeError", "KnowledgeErrors", "load_knowledge"]
