"""The plan as a PDF: every text of the plan, the canvas, the figures and both charts, in the
plan's language; a participant's HTML shown as text; long texts flow over pages; a kept
version prints as it was; only those who may read the plan get it."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from coaching.plans import canvas
from coaching.plans.document import PlanDocument
from coaching.plans.models import RunningCost, StartupCost
from coaching.plans.pdf import page_counter_css, plan_pdf
from coaching.plans.services.editing import section_save
from coaching.plans.services.versions import version_create
from tests import http_listener
from tests.coaching.factories import make_participant
from tests.plans.factories import SECTION_KEYS, make_plan
from tests.plans.test_review import make_people

pytestmark = pytest.mark.django_db

listener = http_listener.listener


def _write(plan, key, text, kind="section"):
    section = plan.sections.get(kind=kind, key=key)
    result = section_save(
        section=section, text=text, base_revision=section.revision, done=None, by=None
    )
    assert result.saved


def _pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def _text(content: bytes) -> str:
    # Lines broken by the layout join with a space, so phrases are found across line ends.
    return " ".join(" ".join(_pages(content)).split())


def _full_plan(language="en"):
    plan = make_plan(language=language)
    for key in SECTION_KEYS:
        _write(plan, key, f"Phrase of {key}: we bake bread for the valley.")
    for code in canvas.CODES:
        _write(plan, code, f"Box {code} says something.", kind="canvas")
    StartupCost.objects.create(
        plan=plan, category="equipment", description="Wood-fired oven", amount=Decimal("4200")
    )
    RunningCost.objects.create(
        plan=plan, description="Rent of the shop", monthly_amount=Decimal("650")
    )
    return plan


def test_the_pdf_holds_every_section_the_canvas_the_figures_and_both_charts():
    plan = _full_plan()
    text = _text(plan_pdf(PlanDocument.of_plan(plan)))
    assert "Il mio piano" in text
    for key in SECTION_KEYS:
        assert f"Section {key}" in text
        assert f"Phrase of {key}: we bake bread for the valley." in text
    assert "Lean canvas" in text
    for code in canvas.CODES:
        with translation.override("en"):
            assert str(canvas.TITLES[code]) in text
        assert f"Box {code} says something." in text
    assert "Wood-fired oven" in text and "Rent of the shop" in text
    assert "Start-up costs" in text and "Running costs" in text
    assert "Result after INPS and tax" in text and "INPS contributions" in text
    assert "Cash at the end of the month" in text
    assert "Cash at the end of each month (€)" in text
    assert "Each year (€)" in text
    assert "Cash starts at" in text and "Year 3: revenue" in text
    assert "Page 1 of" in text


def test_html_a_participant_typed_is_shown_as_text():
    plan = make_plan(language="en")
    _write(plan, "summary", "Look: <b>bold</b><script>x</script> here.")
    text = _text(plan_pdf(PlanDocument.of_plan(plan)))
    assert "<b>bold</b><script>x</script>" in text


def test_a_long_section_flows_over_pages_to_its_last_words():
    plan = make_plan(language="en")
    sentence = "The oven is lit before dawn and the bread is ready by seven. "
    long_text = (sentence * (15_000 // len(sentence) + 1))[:14_980] + " the very last words"
    assert len(long_text) >= 15_000
    _write(plan, "market", long_text)
    pages = _pages(plan_pdf(PlanDocument.of_plan(plan)))
    assert len(pages) > 2  # the text alone fills more than a page, before the figures
    assert "the very last words" in " ".join(" ".join(pages).split())


def test_a_word_longer_than_the_page_is_broken_not_cut_off():
    plan = make_plan(language="en")
    _write(plan, "summary", "start " + "x" * 400 + "end-of-word")
    text = "".join(_text(plan_pdf(PlanDocument.of_plan(plan))).split())
    assert "x" * 400 + "end-of-word" in text


def test_an_italian_plan_prints_in_italian():
    plan = _full_plan(language="it")
    text = _text(plan_pdf(PlanDocument.of_plan(plan)))
    for heading in ("Costi di avvio", "Costi di gestione", "Sezioni", "Problema", "Ricavi"):
        assert heading in text
    assert "Risultato dopo INPS e tasse" in text
    assert "Pagina 1 di" in text
    assert "Start-up costs" not in text


def test_the_page_counter_is_the_translated_sentence_around_the_counters():
    with translation.override("en"):
        # Every character of the sentence but letters and digits is a CSS escape.
        assert page_counter_css() == (
            '"Page\\000020" counter(page) "\\000020of\\000020" counter(pages) ""'
        )


def test_a_title_with_quotes_and_markup_stays_text_in_the_footer_of_every_page():
    title = 'Pane "buono" \\ </style><b>x</b>'
    plan = make_plan(language="en", title=title)
    _write(plan, "market", "Long enough. " * 1500)
    pages = _pages(plan_pdf(PlanDocument.of_plan(plan)))
    assert len(pages) > 2
    for page in pages:
        assert title in page


@pytest.mark.parametrize("end", ["\r", "\f", "\n", '"'])
def test_a_title_cannot_make_the_pdf_fetch_a_url(listener, end):
    url, asked = listener
    title = f"x{end}}}}} body {{ background: url({url}/leak) }}"
    plan = make_plan(language="en", title=title[:120])
    content = plan_pdf(PlanDocument.of_plan(plan))
    assert content.startswith(b"%PDF")
    assert asked == []


def test_nothing_outside_the_document_is_fetched(listener):
    from resources.pdf import html_pdf

    url, asked = listener
    html = (
        f'<html><head><link rel="stylesheet" href="{url}/a.css"></head>'
        f'<body><img src="{url}/b.png">x</body></html>'
    )
    assert html_pdf(html).startswith(b"%PDF")
    assert asked == []


# --- Views ----------------------------------------------------------------------------------


@pytest.fixture
def people(site, other_site):
    return make_people(site=site, other_site=other_site, shared=True)


def test_the_owner_downloads_the_pdf_privately(people):
    _write(people.plan, "summary", "Pane per tutti.")
    response = people.client("owner").get(reverse("plans:pdf", args=[people.plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="il-mio-piano-{people.plan.pk}.pdf"'
    )
    assert "Pane per tutti." in _text(response.content)


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_the_mentor_and_the_coordinator_read_it(people, who):
    response = people.client(who).get(reverse("plans:pdf", args=[people.plan.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["stranger", "other_mentor", "elsewhere_coordinator"])
def test_anyone_else_gets_a_404(people, who):
    version = version_create(plan=people.plan, by=people.owner, reason="requested")
    client = people.client(who)
    assert client.get(reverse("plans:pdf", args=[people.plan.pk])).status_code == 404
    url = reverse("plans:version_pdf", args=[people.plan.pk, version.number])
    assert client.get(url).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client):
    plan = make_plan()
    for url in (
        reverse("plans:pdf", args=[plan.pk]),
        reverse("plans:version_pdf", args=[plan.pk, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


def test_a_version_prints_as_it_was_not_as_the_plan_is_now(people):
    plan = people.plan
    _write(plan, "summary", "Il testo della versione.")
    version = version_create(plan=plan, by=people.owner, reason="requested")
    _write(plan, "summary", "Il testo di oggi.")
    client = people.client("owner")
    response = client.get(reverse("plans:version_pdf", args=[plan.pk, version.number]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-{plan.pk}-v{version.number}.pdf"')
    text = _text(response.content)
    assert "Il testo della versione." in text and "Il testo di oggi." not in text
    assert f"Versione {version.number}" in text
    now = _text(client.get(reverse("plans:pdf", args=[plan.pk])).content)
    assert "Il testo di oggi." in now and "Il testo della versione." not in now


def test_a_version_of_another_plan_is_a_404(people):
    other = make_plan(participant=make_participant(status="eligible"))
    version = version_create(plan=other, by=other.participant.user, reason="requested")
    assert not people.plan.versions.filter(number=version.number).exists()
    url = reverse("plans:version_pdf", args=[people.plan.pk, version.number])
    assert people.client("owner").get(url).status_code == 404


def test_the_version_page_links_its_pdf(people):
    version = version_create(plan=people.plan, by=people.owner, reason="requested")
    page = people.client("owner").get(
        reverse("plans:version", args=[people.plan.pk, version.number])
    )
    assert reverse("plans:version_pdf", args=[people.plan.pk, version.number]) in page.text


def test_the_overview_links_the_pdf_of_the_plan(people):
    page = people.client("owner").get(reverse("plans:overview", args=[people.plan.pk]))
    assert reverse("plans:pdf", args=[people.plan.pk]) in page.text


def test_the_first_page_carries_the_municipality_s_header(people, site):
    from portal_site.core.models import SiteSettings

    site_settings = SiteSettings.for_site(site)
    site_settings.municipality_name = "Comune di Valfiorita"
    site_settings.save()
    response = people.client("owner").get(reverse("plans:pdf", args=[people.plan.pk]))
    first_page = " ".join(_pages(response.content)[0].split())
    assert first_page.startswith("Comune di Valfiorita")
