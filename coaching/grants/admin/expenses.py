"""Expenses in the Wagtail admin (being built)."""
