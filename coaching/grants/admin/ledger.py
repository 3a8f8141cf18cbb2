"""Ledger in the Wagtail admin (being built)."""
