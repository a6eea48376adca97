"""Segmentation: the record's header, its sections, and the candidate recommendation items."""
