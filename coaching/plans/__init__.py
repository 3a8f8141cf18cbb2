"""Business-plan workspaces: templates, lean canvas, sections, financial model, versions,
mentor review and exports. A Django app of its own (label ``plans``) inside ``coaching``."""
