"""Mentoring in the Wagtail admin, one module per area; ``mentors.wagtail_hooks`` imports them."""


def posted_id(value) -> int:
    """A record id from a form field: anything but digits (a hand-made request) is 0, which
    matches no row, so the page answers as for a record that is gone, never with an error."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 19 else 0
