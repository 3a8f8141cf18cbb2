"""Payouts in the Wagtail admin (being built)."""
