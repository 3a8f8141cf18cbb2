"""matches in the Wagtail admin."""
