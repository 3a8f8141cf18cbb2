"""Evaluation in the Wagtail admin (being built)."""
