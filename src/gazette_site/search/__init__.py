"""Full-text search: exact substring semantics for Chinese, on an n-gram index of our own.

Every character and character bigram is a term (:mod:`.terms`); the postings
of each term are in the bucket file its hash names (:mod:`.postings`); the
browser intersects them and checks longer terms against the documents'
texts, so results are exactly the documents containing the query. See
docs/search.md.
"""
from .build import PageIndexer, index_files

__all__ = ["PageIndexer", "index_files"]
