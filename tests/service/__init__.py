"""Tests of the HTTP service, `recqual serve` and the page."""
