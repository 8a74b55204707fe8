"""Publish stage: discovery files, open data, and the permanence of every published URL."""
