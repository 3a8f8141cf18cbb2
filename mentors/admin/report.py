"""report in the Wagtail admin."""
