"""profiles in the Wagtail admin."""
