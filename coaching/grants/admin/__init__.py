"""Microgrants in the Wagtail admin: each module registers its own views and menu items."""
