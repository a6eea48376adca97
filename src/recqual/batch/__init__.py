"""Batch scoring of archives: find the records, link each child's reviews, score them in parallel into a database."""
