"""The default plan templates (Italian and English), written out for a site.

The outline is data, not code: ``coaching/plans/default_templates/<language>.yaml``. Once
installed, a template belongs to the site's coordinators, who change it in the admin; installing
again never touches it.
"""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Site

from coaching.plans.models import PlanTemplate, PlanTemplateSection
from resources.models import ResourcePage

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "default_templates"


def default_template_data(language: str) -> dict | None:
    """The shipped outline in ``language``, or None when there is none in that language."""
    path = DEFAULTS_DIR / f"{language}.yaml"
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _lessons(*, site: Site, language: str, slugs: list) -> list[ResourcePage]:
    """The site's library pages with these slugs, in ``language``: a page is found by its
    slug in the site's tree (where the source pages are) and taken in the translation of that
    language, so a translator's renamed slug still links. Missing ones are skipped."""
    locale = Locale.objects.filter(language_code=language).first()
    if not slugs or locale is None:
        return []
    sources = ResourcePage.objects.descendant_of(site.root_page, inclusive=True).filter(
        slug__in=slugs
    )
    found = ResourcePage.objects.live().filter(
        locale=locale, translation_key__in=sources.values("translation_key")
    )
    by_key = {page.translation_key: page for page in found}
    by_slug = {page.slug: by_key.get(page.translation_key) for page in sources}
    return [by_slug[slug] for slug in slugs if by_slug.get(slug) is not None]


def _install(*, site: Site, language: str, data: dict) -> PlanTemplate:
    template = PlanTemplate.objects.create(
        site=site,
        language=language,
        name=data["name"],
        description=data.get("description", "").strip(),
        is_default=True,
    )
    for order, section_data in enumerate(data["sections"]):
        section = PlanTemplateSection.objects.create(
            template=template,
            key=section_data["key"],
            title=section_data["title"],
            prompt=section_data["prompt"].strip(),
            example=section_data.get("example", "").strip(),
            words_min=section_data.get("words_min"),
            words_max=section_data.get("words_max"),
            canvas_boxes=list(section_data.get("canvas_boxes") or []),
            sort_order=order,
        )
        lessons = _lessons(site=site, language=language, slugs=section_data.get("lessons") or [])
        if lessons:
            # A parental relation is held in memory until committed (a ClusterableModel's
            # save would do it; a section is saved on its own here).
            section.lessons.set(lessons)
            section.lessons.commit()
    return template


@transaction.atomic
def templates_install_defaults(*, site: Site) -> list[PlanTemplate]:
    """For each language of the site without any template yet, the shipped default template
    with its sections and the lessons that help; returns the templates it made (none on a
    second call)."""
    made = []
    for language, _name in settings.LANGUAGES:
        data = default_template_data(language)
        if data is None:
            continue
        # Locks the site row: two first plans started at once install the defaults once.
        Site.objects.select_for_update().filter(pk=site.pk).first()
        if PlanTemplate.objects.filter(site=site, language=language).exists():
            continue
        made.append(_install(site=site, language=language, data=data))
    return made
