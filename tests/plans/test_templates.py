"""The default business-plan templates (Italian and English): what they hold, how they are
installed per site (once), the lessons they link, and the plan a participant starts with them."""

import io
import re
import tomllib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from coaching.plans import canvas
from coaching.plans import demo as plans_demo
from coaching.plans.models import BusinessPlan, PlanTemplate, PlanTemplateSection
from coaching.plans.services import templates as template_services
from coaching.plans.services.templates import templates_install_defaults
from resources import demo as resources_demo
from tests.coaching.factories import make_participant
from tests.plans.factories import make_template

pytestmark = pytest.mark.django_db

KEYS = [
    "summary",
    "founder",
    "market",
    "competitors",
    "offer",
    "marketing",
    "operations",
    "legal",
    "green_digital",
    "team",
    "risks",
    "timeline",
]


def _sections(template) -> list[PlanTemplateSection]:
    return list(template.sections.order_by("sort_order"))


def _texts(template) -> str:
    parts = [template.name, template.description]
    for section in _sections(template):
        parts += [section.title, section.prompt, section.example]
    return "\n".join(parts)


def test_install_makes_an_italian_and_an_english_template_with_twelve_sections_in_order(site):
    made = templates_install_defaults(site=site)
    assert sorted(template.language for template in made) == ["en", "it"]
    italian = PlanTemplate.objects.get(site=site, language="it")
    english = PlanTemplate.objects.get(site=site, language="en")
    assert (italian.name, english.name) == ("Piano d'impresa", "Business plan")
    assert italian.is_default and english.is_default
    assert italian.description and english.description
    assert [section.key for section in _sections(italian)] == KEYS
    assert [section.key for section in _sections(english)] == KEYS
    assert [section.sort_order for section in _sections(italian)] == list(range(12))


def test_both_languages_share_keys_canvas_boxes_and_word_guides():
    italian = template_services.default_template_data("it")
    english = template_services.default_template_data("en")
    assert template_services.default_template_data("xx") is None

    def shape(data):
        return [
            (
                s["key"],
                s["canvas_boxes"],
                s["words_min"],
                s["words_max"],
                s.get("lessons"),
            )
            for s in data["sections"]
        ]

    assert shape(italian) == shape(english)


def test_every_canvas_code_is_valid_and_every_word_guide_is_in_order(site):
    templates_install_defaults(site=site)
    sections = PlanTemplateSection.objects.filter(template__site=site)
    assert sections.count() == 24
    for section in sections:
        assert section.canvas_boxes, section.key
        assert set(section.canvas_boxes) <= set(canvas.CODES), section.key
        assert 0 < section.words_min <= section.words_max, section.key
        assert section.title and section.prompt and section.example
        # Plain-language guidance: a few short questions, one a line.
        questions = [line for line in section.prompt.splitlines() if line.endswith("?")]
        assert 3 <= len(questions) <= 6, section.key
    market = sections.get(template__language="it", key="market")
    assert market.canvas_boxes == ["customers", "problem"]
    offer = sections.get(template__language="en", key="offer")
    assert set(offer.canvas_boxes) >= {"value", "solution", "revenue"}


def test_a_second_install_creates_nothing(site):
    templates_install_defaults(site=site)
    counts = (PlanTemplate.objects.count(), PlanTemplateSection.objects.count())
    assert templates_install_defaults(site=site) == []
    assert (PlanTemplate.objects.count(), PlanTemplateSection.objects.count()) == counts


def test_a_language_that_has_a_template_is_left_as_the_coordinators_made_it(site):
    own = make_template(site=site, language="it", name="Il nostro piano", is_default=False)
    made = templates_install_defaults(site=site)
    assert [template.language for template in made] == ["en"]
    assert list(PlanTemplate.objects.filter(site=site, language="it")) == [own]
    assert own.sections.count() == 3


def test_a_second_site_gets_its_own_templates(site, other_site):
    templates_install_defaults(site=site)
    made = templates_install_defaults(site=other_site)
    assert len(made) == 2
    assert {template.site for template in made} == {other_site}
    assert PlanTemplate.objects.filter(site=site).count() == 2
    theirs = PlanTemplate.objects.get(site=other_site, language="it")
    assert [section.key for section in _sections(theirs)] == KEYS


def test_the_italian_template_is_in_italian_and_the_english_one_in_english(site):
    templates_install_defaults(site=site)
    italian = _texts(PlanTemplate.objects.get(site=site, language="it"))
    english = _texts(PlanTemplate.objects.get(site=site, language="en"))
    for term in ("partita IVA", "forfettario", "INPS", "SCIA", "Camera di Commercio", "85.000 €"):
        assert term in italian, term
    for word in ("Che cosa", "Chi sono i tuoi clienti?", "Sintesi", "Concorrenti", " della "):
        assert word in italian, word
    for word in ("What ", "Who are your customers?", "Summary", "Competitors", " the "):
        assert word in english, word
        assert word not in italian, word
    for word in ("Che cosa", "Sintesi", " della "):
        assert word not in english, word
    # The offices' own words stay in Italian, with the ceiling written the English way.
    for term in ("partita IVA", "forfettario", "INPS", "SCIA", "85,000 €"):
        assert term in english, term
    # One imaginary business runs through every example, with the same figures.
    for language in ("it", "en"):
        template = PlanTemplate.objects.get(site=site, language=language)
        summary, *_rest = _sections(template)
        assert "Sartoria Amina" in summary.example
        assert all(section.example for section in _sections(template))
    assert "7.100 €" in italian and "7,100 €" in english
    # No promise of advice: the legal section says to check with a professional.
    legal_it = PlanTemplateSection.objects.get(
        template__site=site, template__language="it", key="legal"
    )
    legal_en = PlanTemplateSection.objects.get(
        template__site=site, template__language="en", key="legal"
    )
    assert "non è una consulenza" in legal_it.prompt
    assert "not legal or tax advice" in legal_en.prompt


def test_the_lessons_of_the_library_are_linked_in_the_templates_language(
    site, home_page, english_home
):
    resources_demo.load(site=site, home_page=home_page, users={}, stdout=io.StringIO())
    templates_install_defaults(site=site)
    legal = {
        language: PlanTemplateSection.objects.get(
            template__site=site, template__language=language, key="legal"
        )
        for language in ("it", "en")
    }
    italian_lessons = list(legal["it"].lessons.all())
    english_lessons = list(legal["en"].lessons.all())
    assert {page.slug for page in italian_lessons} >= {
        "aprire-la-partita-iva",
        "il-regime-forfettario",
        "i-contributi-inps",
    }
    assert {page.locale.language_code for page in italian_lessons} == {"it"}
    assert {page.locale.language_code for page in english_lessons} == {"en"}
    assert len(english_lessons) == len(italian_lessons)
    assert {page.translation_key for page in english_lessons} == {
        page.translation_key for page in italian_lessons
    }
    green = PlanTemplateSection.objects.get(
        template__site=site, template__language="it", key="green_digital"
    )
    assert "rendere-verde-la-tua-attivita" in {page.slug for page in green.lessons.all()}


def test_lessons_the_site_does_not_have_are_skipped(site, other_site, home_page, english_home):
    """The library is on the first site only: the second site's templates link nothing."""
    resources_demo.load(site=site, home_page=home_page, users={}, stdout=io.StringIO())
    templates_install_defaults(site=other_site)
    linked = PlanTemplateSection.lessons.through.objects.filter(
        plantemplatesection__template__site=other_site
    )
    assert not linked.exists()
    assert PlanTemplateSection.objects.filter(template__site=other_site).count() == 24


def _key(response) -> str:
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("language", ["it", "en"])
def test_a_participant_who_starts_a_plan_gets_the_twelve_sections(site, language):
    person = make_participant(site=site, status="eligible")
    client = Client()
    client.force_login(person.user)
    with translation.override(language):
        url = reverse("plans:create")
    page = client.get(url)
    assert page.status_code == 200
    assert PlanTemplate.objects.filter(site=site).count() == 2
    response = client.post(
        url, {"title": "Sartoria", "language": language, "template": "", "key": _key(page)}
    )
    assert response.status_code == 302
    plan = BusinessPlan.objects.get(participant=person)
    assert plan.template == PlanTemplate.objects.get(site=site, language=language)
    sections = plan.sections.filter(kind="section").order_by("position")
    assert [section.key for section in sections] == KEYS
    assert plan.sections.filter(kind="canvas").count() == len(canvas.CODES)
    title = "Sintesi" if language == "it" else "Summary"
    assert sections[0].title == title


def test_the_demo_installs_the_templates_once(site, home_page):
    out = io.StringIO()
    plans_demo.load(site=site, home_page=home_page, users={}, stdout=out)
    plans_demo.load(site=site, home_page=home_page, users={}, stdout=io.StringIO())
    assert "2 default templates" in out.getvalue()
    assert PlanTemplate.objects.filter(site=site).count() == 2


def test_the_yaml_files_ship_with_the_package():
    root = template_services.DEFAULTS_DIR.parent
    config = tomllib.loads((root.parents[1] / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["coaching.plans"]
    shipped = {path for pattern in patterns for path in root.glob(pattern)}
    assert {path.name for path in shipped} >= {"it.yaml", "en.yaml"}
    assert set(template_services.DEFAULTS_DIR.iterdir()) <= shipped
    assert Path(template_services.DEFAULTS_DIR / "it.yaml").is_file()
