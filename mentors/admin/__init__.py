"""Mentoring in the Wagtail admin, one module per area; ``mentors.wagtail_hooks`` imports them."""
