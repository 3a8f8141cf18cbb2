"""Demo data for ``manage.py load_demo``: the default business-plan templates of the site, in
Italian and English, linked to the demo library's lessons (``resources`` loads first).

Idempotent: a language that already has a template is left as it is.
"""

from coaching.plans.services.templates import templates_install_defaults


def load(*, site, home_page, users, stdout):
    made = templates_install_defaults(site=site)
    stdout.write(f"Business plans: {len(made)} default templates installed.\n")
