"""Factories for business-plan tests: templates with sections, and plans made by the service."""

from wagtail.models import Site

from coaching.plans.models import PlanTemplate, PlanTemplateSection
from coaching.plans.services.plans import plan_create
from tests.coaching.factories import make_participant

SECTION_KEYS = ("summary", "founder", "market")


def make_template(*, site=None, language="it", keys=SECTION_KEYS, is_default=True, **fields):
    """A template of ``site`` (the default site) with one section per key."""
    site = site or Site.objects.get(is_default_site=True)
    template = PlanTemplate.objects.create(
        site=site,
        language=language,
        name=fields.pop("name", f"Piano {language}"),
        is_default=is_default,
        **fields,
    )
    for index, key in enumerate(keys):
        PlanTemplateSection.objects.create(
            template=template,
            key=key,
            title=f"Section {key}",
            prompt=f"Write about {key}.",
            sort_order=index,
            canvas_boxes=["problem", "customers"] if key == "market" else [],
        )
    return template


def make_plan(*, participant=None, site=None, template=None, language="it", title="Il mio piano"):
    """A plan of an eligible participant (made on ``site``) through ``plan_create``."""
    site = site or (participant.site if participant else Site.objects.get(is_default_site=True))
    participant = participant or make_participant(site=site, status="eligible")
    if template is None:
        template = make_template(site=participant.site, language=language)
    return plan_create(
        participant=participant,
        by=participant.user,
        title=title,
        language=language,
        template=template,
    )
