"""Full-text search: exact substring semantics for Chinese, on Pagefind.

Pagefind finds candidates through character bigrams (:mod:`.ngrams`); the
browser verifies each candidate against the document's text, so results are
exactly the documents containing the query. See docs/search.md.
"""
from .build import index_files

__all__ = ["index_files"]
