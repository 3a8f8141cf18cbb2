"""The editor through its views: a section's plain form, the lean canvas, conflicts between
two tabs, the autosave endpoint's JSON, and bad input (a 1 MB text, HTML, unknown keys)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from freezegun import freeze_time

from coaching.plans import canvas
from coaching.plans.models import SECTION_MAX_LENGTH, BusinessPlan, SectionConflict
from coaching.plans.services.editing import section_save
from tests.plans.test_plans_views import OTHER_HOST, make_world

pytestmark = pytest.mark.django_db

#: 09:42 UTC on a winter day is 10:42 in Rome.
WINTER_MORNING = datetime.datetime(2026, 2, 3, 9, 42, tzinfo=datetime.UTC)


@pytest.fixture
def world(site, other_site):
    return make_world(site=site, other_site=other_site)


def _url(world, key="summary", language="en"):
    return f"/{language}/plans/{world.plan.pk}/sections/{key}/"


def _autosave_url(world, key="summary", kind="section"):
    return f"/en/plans/{world.plan.pk}/{kind}/{key}/autosave/"


def _section(world, key="summary", kind="section"):
    return world.plan.sections.get(kind=kind, key=key)


def _revision(response) -> str:
    return re.search(r'name="revision" value="(\d+)"', response.content.decode()).group(1)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# --- The section page ----------------------------------------------------------------------


def test_the_section_page_shows_the_guide_and_a_plain_form(world):
    response = world.client("owner").get(_url(world, "market"))
    assert response.status_code == 200
    main = _main(response)
    assert "<h1" in main and "Section market" in main
    assert "Write about market." in main
    assert "Section 3 of 3" in main
    assert 'name="text"' in main and 'name="done"' in main
    assert 'name="revision" value="0"' in main
    assert f'data-autosave-url="{_autosave_url(world, "market")}"' in main
    assert 'aria-live="polite"' in main
    assert "Previous: Section founder" in main
    assert "Back to the plan" in main


def test_the_example_and_the_word_guide(world):
    template_section = _section(world).template_section
    template_section.example = "Vendo pane a Bologna."
    template_section.words_min, template_section.words_max = 50, 200
    template_section.save()
    section_save(
        section=_section(world), text="tre parole qui", base_revision=0, done=None, by=None
    )
    main = _main(world.client("owner").get(_url(world)))
    assert re.search(r"<details[^>]*>\s*<summary>See an example answer</summary>", main)
    assert "Vendo pane a Bologna." in main
    assert "Aim for 50 to 200 words." in main
    assert re.search(r'data-word-count-of="id_text">3<', main)


@freeze_time(WINTER_MORNING)
@pytest.mark.parametrize(("language", "shown"), [("it", "Salvato alle 10:42"), ("en", "10:42")])
def test_saving_without_javascript_shows_the_time_in_rome(world, language, shown):
    client = world.client("owner")
    response = client.post(
        _url(world, language=language), {"text": "Vendo pane", "done": "on", "revision": "0"}
    )
    assert response.status_code == 302
    section = _section(world)
    assert (section.text, section.done, section.revision) == ("Vendo pane", True, 1)
    page = client.get(response["Location"])
    main = _main(page)
    if language == "en":
        assert "Saved at 10:42" in main
    else:
        assert shown in main or "Saved at 10:42" in main  # until the catalogue is translated
    assert 'name="revision" value="1"' in main


def test_the_lessons_that_help_are_linked_in_the_readers_language(world, home_page, english_home):
    from wagtail.models import Locale

    from tests.resources.factories import LessonPageFactory, LibraryIndexPageFactory

    library = LibraryIndexPageFactory(parent=home_page)
    lesson = LessonPageFactory(parent=library, title="Il regime forfettario")
    english = lesson.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "The flat-rate scheme"
    english.save_revision().publish()
    template_section = _section(world).template_section
    # As the admin's inline panel stores it (the M2M is written with the template).
    type(template_section).lessons.through.objects.create(
        plantemplatesection=template_section, resourcepage=lesson
    )
    assert "The flat-rate scheme" in _main(world.client("owner").get(_url(world)))
    assert "Il regime forfettario" in _main(world.client("owner").get(_url(world, language="it")))


def test_a_lesson_of_another_site_is_not_linked_from_the_editor(world, home_page, other_site):
    from tests.resources.factories import LessonPageFactory, LibraryIndexPageFactory

    ours = LessonPageFactory(parent=LibraryIndexPageFactory(parent=home_page), title="Nostra")
    theirs = LessonPageFactory(
        parent=LibraryIndexPageFactory(parent=other_site.root_page), title="Di Altrove"
    )
    template_section = _section(world).template_section
    # Stored by hand: the admin refuses another site's page, an old or hand-made row is not
    # followed.
    through = type(template_section).lessons.through
    for lesson in (ours, theirs):
        through.objects.create(plantemplatesection=template_section, resourcepage=lesson)
    main = _main(world.client("owner").get(_url(world, language="it")))
    assert "Nostra" in main
    assert "Di Altrove" not in main and theirs.url_path not in main


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ("mentor", "coordinator"))
def test_the_mentor_and_a_coordinator_read_without_a_form_and_cannot_save(world, who):
    section_save(
        section=_section(world),
        text="Riga uno\nRiga <b>due</b>",
        base_revision=0,
        done=None,
        by=None,
    )
    client = world.client(who)
    response = client.get(_url(world))
    assert response.status_code == 200
    main = _main(response)
    assert 'id="section-form"' not in main
    assert "Riga uno<br>Riga &lt;b&gt;due&lt;/b&gt;" in main
    assert client.post(_url(world), {"text": "Preso", "revision": "1"}).status_code == 404
    assert client.post(_autosave_url(world), {"text": "Preso", "revision": "1"}).status_code == 404
    canvas = f"/en/plans/{world.plan.pk}/canvas/"
    assert client.get(canvas).status_code == 200
    assert (
        client.post(canvas, {"problem-text": "Preso", "problem-revision": "0"}).status_code == 404
    )
    assert _section(world).text == "Riga uno\nRiga <b>due</b>"
    assert _section(world, "problem", "canvas").text == ""


@pytest.mark.parametrize("who", ("stranger", "elsewhere_coordinator"))
def test_anyone_else_gets_a_404_everywhere(world, who):
    client = world.client(who)
    for url in (
        _url(world),
        f"/en/plans/{world.plan.pk}/canvas/",
        f"/en/plans/{world.plan.pk}/section/summary/conflict/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(_autosave_url(world), {"text": "x", "revision": "0"}).status_code == 404
    assert client.post(_url(world), {"text": "x", "revision": "0"}).status_code == 404
    assert _section(world).text == ""


def test_the_owner_cannot_edit_through_another_site(world, other_site):
    client = world.client("owner")
    assert client.get(_url(world), HTTP_HOST=OTHER_HOST).status_code == 404
    response = client.post(
        _autosave_url(world), {"text": "x", "revision": "0"}, HTTP_HOST=OTHER_HOST
    )
    assert response.status_code == 404


def test_a_key_that_does_not_exist_is_a_404(world):
    client = world.client("owner")
    assert client.get(_url(world, "nowhere")).status_code == 404
    assert client.get(_url(world, "problem")).status_code == 404  # a canvas box, not a section
    assert client.post(_autosave_url(world, kind="other"), {"text": "x"}).status_code == 404
    assert client.get(f"/en/plans/{world.plan.pk}/other/summary/conflict/").status_code == 404


def test_a_submitted_plan_reads_without_a_form(world):
    BusinessPlan.objects.filter(pk=world.plan.pk).update(status=BusinessPlan.Status.SUBMITTED)
    main = _main(world.client("owner").get(_url(world)))
    assert 'id="section-form"' not in main
    assert "it cannot be changed now" in main


# --- Bad input -------------------------------------------------------------------------------


def test_a_1_mb_text_is_refused_with_the_field_error_and_kept_in_the_box(world):
    text = "parola " * 150_000  # 1,050,000 characters
    response = world.client("owner").post(_url(world), {"text": text, "revision": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"a section holds at most {SECTION_MAX_LENGTH:,}".replace(",", "") in html.replace(
        ",", ""
    ).replace(".", "")
    assert 'aria-invalid="true"' in html
    assert html.count("parola ") >= 150_000
    assert html.rstrip().endswith("</html>")
    assert _section(world).text == ""


def test_html_in_a_section_is_kept_as_text_and_never_rendered(world):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = world.client("owner")
    client.post(_url(world), {"text": payload, "revision": "0"})
    assert _section(world).text == payload
    html = client.get(_url(world)).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_form_without_revision_asks_to_reload_not_a_500(world):
    response = world.client("owner").post(_url(world), {"text": "Testo"})
    assert response.status_code == 400
    assert "This page is out of date" in response.content.decode()
    assert "Testo" in response.content.decode()


# --- Conflicts through the views ---------------------------------------------------------------


def _two_tabs_conflict(world):
    """Two tabs open the section on revision 0; the first saves, then the second."""
    client = world.client("owner")
    first, second = client.get(_url(world)), client.get(_url(world))
    client.post(_url(world), {"text": "Dal telefono", "revision": _revision(first)})
    return client, client.post(
        _url(world), {"text": "Dal portatile", "revision": _revision(second)}
    )


def test_a_save_from_an_older_tab_keeps_both_texts_and_shows_them_side_by_side(world):
    client, response = _two_tabs_conflict(world)
    conflict_url = f"/en/plans/{world.plan.pk}/section/summary/conflict/"
    assert response.status_code == 302
    assert response["Location"] == conflict_url
    assert _section(world).text == "Dal telefono"
    assert SectionConflict.objects.get(section=_section(world)).text == "Dal portatile"
    main = _main(client.get(conflict_url))
    assert "Dal telefono" in main and "Dal portatile" in main
    assert "Your text (kept)" in main and "The newer saved text" in main
    assert 'value="mine"' in main and 'value="current"' in main and 'value="merged"' in main
    # Until it is settled, the section page says so.
    assert conflict_url in _main(client.get(_url(world)))


@pytest.mark.parametrize(
    ("keep", "merged", "expected"),
    [
        ("mine", "", "Dal portatile"),
        ("current", "", "Dal telefono"),
        ("merged", "Dal telefono e dal portatile", "Dal telefono e dal portatile"),
    ],
)
def test_settling_a_conflict_through_the_page(world, keep, merged, expected):
    client, _response = _two_tabs_conflict(world)
    conflict = SectionConflict.objects.get(section=_section(world))
    conflict_url = f"/en/plans/{world.plan.pk}/section/summary/conflict/"
    response = client.post(conflict_url, {"conflict": conflict.pk, "keep": keep, "merged": merged})
    assert response.status_code == 302
    assert response["Location"] == _url(world)
    assert _section(world).text == expected
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None
    assert conflict.text == "Dal portatile"  # a text let go stays on record
    assert conflict_url not in _main(client.get(_url(world)))
    # A second click on the same choice changes nothing.
    again = client.post(conflict_url, {"conflict": conflict.pk, "keep": "mine", "merged": ""})
    assert again.status_code == 302
    assert _section(world).text == expected


def test_a_merged_text_too_long_is_refused_and_kept(world):
    client, _response = _two_tabs_conflict(world)
    conflict = SectionConflict.objects.get(section=_section(world))
    long = "y" * (SECTION_MAX_LENGTH + 1)
    response = client.post(
        f"/en/plans/{world.plan.pk}/section/summary/conflict/",
        {"conflict": conflict.pk, "keep": "merged", "merged": long},
    )
    assert response.status_code == 400
    assert long in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.resolved_at is None


# --- Autosave --------------------------------------------------------------------------------


@freeze_time(WINTER_MORNING)
def test_autosave_saves_and_answers_the_new_revision_and_time(world):
    client = world.client("owner")
    response = client.post(_autosave_url(world), {"text": "Primo", "revision": "0"})
    assert response.status_code == 200
    assert response.json() == {"status": "saved", "revision": 1, "message": "Saved at 10:42"}
    response = client.post(_autosave_url(world), {"text": "Primo e secondo", "revision": "1"})
    assert response.json()["revision"] == 2
    assert _section(world).text == "Primo e secondo"


def test_autosave_with_a_stale_revision_answers_the_conflict_with_both_texts(world):
    client = world.client("owner")
    client.post(_autosave_url(world), {"text": "Da un'altra scheda", "revision": "0"})
    response = client.post(_autosave_url(world), {"text": "Da qui", "revision": "0"})
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "conflict"
    assert (answer["mine"], answer["theirs"], answer["revision"]) == (
        "Da qui",
        "Da un'altra scheda",
        1,
    )
    assert answer["compare_url"] == f"/en/plans/{world.plan.pk}/section/summary/conflict/"
    assert _section(world).text == "Da un'altra scheda"
    assert SectionConflict.objects.get(section=_section(world)).text == "Da qui"


def test_autosave_refuses_a_text_too_long_with_a_message(world):
    response = world.client("owner").post(
        _autosave_url(world), {"text": "z" * (SECTION_MAX_LENGTH + 1), "revision": "0"}
    )
    assert response.status_code == 400
    assert response.json()["status"] == "error"
    assert "a section holds at most" in response.json()["message"]
    assert _section(world).text == ""


def test_autosave_refuses_a_plan_that_is_not_editable(world):
    BusinessPlan.objects.filter(pk=world.plan.pk).update(status=BusinessPlan.Status.READY)
    response = world.client("owner").post(_autosave_url(world), {"text": "x", "revision": "0"})
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "message": "This plan is ready: it cannot be changed now.",
    }


def test_autosave_of_a_signed_out_person_answers_json(world):
    response = Client().post(_autosave_url(world), {"text": "x", "revision": "0"})
    assert response.status_code == 403
    assert response.json()["status"] == "error"


def test_autosave_answers_get_with_405(world):
    assert world.client("owner").get(_autosave_url(world)).status_code == 405


def test_autosave_saves_a_canvas_box(world):
    response = world.client("owner").post(
        _autosave_url(world, "problem", "canvas"), {"text": "Pane caro", "revision": "0"}
    )
    assert response.json()["status"] == "saved"
    assert _section(world, "problem", "canvas").text == "Pane caro"


# --- The lean canvas ---------------------------------------------------------------------


def _canvas_data(world, **texts):
    data = {}
    for box in world.plan.sections.filter(kind="canvas"):
        data[f"{box.key}-text"] = texts.get(box.key, box.text)
        data[f"{box.key}-revision"] = str(box.revision)
    return data


def test_the_canvas_shows_nine_boxes_with_hints(world):
    main = _main(world.client("owner").get(f"/en/plans/{world.plan.pk}/canvas/"))
    assert main.count("<textarea") == 9
    assert "The three biggest problems your customers have." in main
    assert 'name="problem-revision" value="0"' in main
    assert "col-12 col-md-6" in main


def test_the_canvas_saves_every_box_with_one_form(world):
    data = _canvas_data(world, problem="Pane caro", customers="Famiglie")
    response = world.client("owner").post(f"/en/plans/{world.plan.pk}/canvas/", data)
    assert response.status_code == 302
    assert _section(world, "problem", "canvas").text == "Pane caro"
    assert _section(world, "customers", "canvas").text == "Famiglie"
    assert _section(world, "value", "canvas").revision == 0  # unchanged boxes stay as they are


def test_a_box_that_conflicts_is_reported_and_the_others_are_saved(world):
    data = _canvas_data(world, problem="Dal portatile", customers="Famiglie")
    # Another tab saves the problem box first.
    section_save(
        section=_section(world, "problem", "canvas"),
        text="Dal telefono",
        base_revision=0,
        done=None,
        by=None,
    )
    response = world.client("owner").post(f"/en/plans/{world.plan.pk}/canvas/", data)
    assert response.status_code == 200
    main = _main(response)
    assert f"/en/plans/{world.plan.pk}/canvas/problem/conflict/" in main
    assert _section(world, "customers", "canvas").text == "Famiglie"
    assert _section(world, "problem", "canvas").text == "Dal telefono"
    assert SectionConflict.objects.get(section=_section(world, "problem", "canvas")).text == (
        "Dal portatile"
    )
    # The box saved comes back on its new revision, so saving again does not conflict.
    assert 'name="customers-revision" value="1"' in main


def test_a_box_too_long_is_refused_and_the_others_saved(world):
    data = _canvas_data(world, problem="x" * (SECTION_MAX_LENGTH + 1), customers="Famiglie")
    response = world.client("owner").post(f"/en/plans/{world.plan.pk}/canvas/", data)
    assert response.status_code == 400
    assert "Some boxes were not saved" in response.content.decode()
    assert _section(world, "customers", "canvas").text == "Famiglie"
    assert _section(world, "problem", "canvas").text == ""


def test_an_empty_section_offers_to_start_from_the_canvas_without_saving(world):
    client = world.client("owner")
    # "market" names the problem and customers boxes (tests.plans.factories).
    assert "Start from your lean canvas" not in _main(client.get(_url(world, "market")))
    for key, text in (("problem", "Pane caro"), ("customers", "Famiglie")):
        section_save(
            section=_section(world, key, "canvas"), text=text, base_revision=0, done=None, by=None
        )
    assert "Start from your lean canvas" in _main(client.get(_url(world, "market")))
    response = client.post(_url(world, "market"), {"action": "canvas"})
    assert response.status_code == 200
    html = response.content.decode()
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    with translation.override("it"):  # the plan's language
        heading = str(canvas.TITLES["problem"])
    assert f"{heading}\nPane caro" in textarea
    assert "Famiglie" in textarea
    assert _section(world, "market").text == ""


# --- Queries ---------------------------------------------------------------------------------


def _section_queries(site, other_site, keys) -> int:
    world = make_world(site=site, other_site=other_site, keys=keys)
    client = world.client("owner")
    client.get(_url(world, keys[1]))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(world, keys[1])).status_code == 200
    return len(queries)


def test_the_section_page_makes_as_many_queries_for_twelve_sections_as_for_three(site, other_site):
    few = _section_queries(site, other_site, keys=("a", "b", "c"))
    many = _section_queries(site, other_site, keys=tuple(f"s{n}" for n in range(12)))
    assert few == many
