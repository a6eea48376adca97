"""Extractors: what a recommendation's words say about who acts and by when, and what concerns a record raises."""
