"""Mentoring forms, one module per area."""
