"""Checks: one small function per flag, each pointing at the words it is about."""
