"""gazette-site: a Chinese government gazette as a permanent, searchable static archive."""

__version__ = "0.1.0"
