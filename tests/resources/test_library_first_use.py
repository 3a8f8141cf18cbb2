"""The library as people first meet it: reading time that follows the text, "What's new" that
does not repeat the list, folded filters, informative search results, editors' synonyms and a
topics chooser in the page's language."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail.search.query import Or, Phrase, PlainText

from resources.models import CoursePage, LessonPage, SearchSynonym
from resources.search import text_variants, with_synonyms
from tests.resources.factories import (
    CoursePageFactory,
    GuidePageFactory,
    LessonPageFactory,
    TopicFactory,
    add_lessons,
    paragraph,
    stream,
)
from tests.site.helpers_mfa import sign_in_with_totp

pytestmark = pytest.mark.django_db


def words(count: int) -> str:
    return stream(paragraph(" ".join(["parola"] * count)))


def titles(response) -> list[str]:
    return [card.page.title for card in response.context["cards"]]


# --- Reading time ------------------------------------------------------------------------


def test_reading_time_follows_every_publish(library):
    lesson = LessonPageFactory(parent=library, body=words(10))
    assert LessonPage.objects.get(pk=lesson.pk).minutes == 1
    lesson.body = words(3000)  # 150 words a minute
    lesson.save_revision().publish()
    assert LessonPage.objects.get(pk=lesson.pk).minutes == 20
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = words(300)
    lesson.save_revision().publish()
    assert LessonPage.objects.get(pk=lesson.pk).display_minutes == 2


def test_a_draft_does_not_change_the_live_reading_time(library):
    lesson = LessonPageFactory(parent=library, body=words(3000))
    lesson.body = words(10)
    lesson.save_revision()
    assert LessonPage.objects.get(pk=lesson.pk).minutes == 20


def test_the_editors_duration_wins_over_the_reading_time(library):
    guide = GuidePageFactory(parent=library, body=words(3000), duration_minutes=5)
    assert guide.display_minutes == 5
    guide.duration_minutes = None
    guide.save_revision().publish()
    guide.refresh_from_db()
    assert guide.display_minutes == 20


def test_videos_count_in_the_time(library):
    video = {
        "type": "video",
        "value": {
            "title": "Video",
            "video": "https://vimeo.com/1",
            "duration_minutes": 7,
            "transcript": "<p>Testo.</p>",
        },
    }
    lesson = LessonPageFactory(
        parent=library,
        body=stream(paragraph(" ".join(["parola"] * 300)), video),
    )
    assert LessonPage.objects.get(pk=lesson.pk).minutes == 2 + 7


def test_a_course_adds_up_its_lessons_and_follows_their_changes(library):
    course = CoursePageFactory(parent=library, title="Corso")
    lessons = [
        LessonPageFactory(parent=course, body=words(3000)),
        LessonPageFactory(parent=course, body=words(1500)),
    ]
    add_lessons(course, lessons)
    course.save_revision().publish()
    assert CoursePage.objects.get(pk=course.pk).minutes == 30
    lessons[1].body = words(3000)
    lessons[1].save_revision().publish()
    assert CoursePage.objects.get(pk=course.pk).minutes == 40


def test_the_duration_filter_uses_the_worked_out_time(client, library):
    LessonPageFactory(parent=library, title="Lezione lunga", body=words(3000))
    LessonPageFactory(parent=library, title="Lezione breve", body=words(300))
    assert titles(client.get(library.url, {"duration": "medium"})) == ["Lezione lunga"]
    assert titles(client.get(library.url, {"duration": "short"})) == ["Lezione breve"]
    html = client.get(library.url).content.decode()
    assert "20 minuti" in html


# --- "What's new" and the list -----------------------------------------------------------


def test_whats_new_is_followed_by_the_whole_list_a_to_z(client, library):
    for title in ["Bilancio", "Zaino di idee", "Accesso al credito", "Marketing", "Clienti"]:
        GuidePageFactory(parent=library, title=title)
    response = client.get(library.url)
    newest = [card.page.title for card in response.context["whats_new"]]
    assert newest == ["Clienti", "Marketing", "Accesso al credito", "Zaino di idee"]
    listed = titles(response)
    assert listed == sorted(listed)
    assert listed[: len(newest)] != newest
    html = response.content.decode()
    assert "Tutti i contenuti dalla A alla Z: 5 contenuti" in html


def test_whats_new_is_only_on_the_first_page(client, library, settings):
    settings.RESOURCES_PAGE_SIZE = 2
    for number in range(5):
        GuidePageFactory(parent=library, title=f"Guida {number}")
    assert "whats_new" in client.get(library.url).context
    assert "whats_new" not in client.get(library.url, {"page": 2}).context


def test_a_search_lists_by_relevance_not_a_to_z(client, library):
    GuidePageFactory(parent=library, title="Zucca e contributi", body=words(10))
    response = client.get(library.url, {"q": "zucca"})
    assert "whats_new" not in response.context
    assert "Tutti i contenuti dalla A alla Z" not in response.content.decode()
    assert "1 risultato" in response.content.decode()


# --- The filters fold away -----------------------------------------------------------------


def test_the_filters_are_folded_until_one_is_used(client, library):
    GuidePageFactory(parent=library, title="Guida")
    html = client.get(library.url).content.decode()
    assert '<details class="avvio-filter-options mb-3">' in html
    assert "<summary>Filtra</summary>" in html
    # The search box stays in view, outside the folded part.
    assert html.index('name="q"') < html.index("<details")
    assert html.index('name="level"') > html.index("<details")

    html = client.get(library.url, {"level": "beginner", "format": "guidepage"}).content.decode()
    assert '<details class="avvio-filter-options mb-3" open>' in html
    assert "<summary>Filtra (2 attivi)</summary>" in html

    html = client.get(library.url, {"q": "guida"}).content.decode()
    assert '<details class="avvio-filter-options mb-3">' in html


def test_a_bad_filter_value_opens_the_filters_to_show_the_error(client, library):
    html = client.get(library.url, {"level": "expert"}).content.decode()
    assert '<details class="avvio-filter-options mb-3" open>' in html
    assert 'aria-describedby="id_level-error"' in html


# --- Synonyms ------------------------------------------------------------------------------


@pytest.fixture
def flat_rate_lesson(library):
    lesson = LessonPageFactory(
        parent=library,
        title="Il regime agevolato",
        summary="Le tasse per chi comincia.",
        body=stream(paragraph("Con il regime forfettario paghi un'imposta sostitutiva.")),
    )
    lesson.save_revision().publish()
    return lesson


def test_without_a_synonym_a_variant_spelling_finds_nothing(client, library, flat_rate_lesson):
    assert titles(client.get(library.url, {"q": "forfetario"})) == []


@pytest.mark.parametrize("query", ["forfetario", "forfettario", "Regime FORFETARIO"])
def test_synonyms_find_each_other(client, library, flat_rate_lesson, query):
    SearchSynonym.objects.create(terms="forfetario, forfettario")
    assert titles(client.get(library.url, {"q": query})) == ["Il regime agevolato"]


def test_synonyms_work_in_the_site_search_too(client, home_page, library, flat_rate_lesson):
    SearchSynonym.objects.create(terms="forfetario, forfettario")
    with translation.override("it"):
        url = reverse("search")
    html = client.get(url, {"q": "forfetario"}).content.decode()
    assert "Il regime agevolato" in html


def test_a_synonym_group_needs_two_different_words():
    group = SearchSynonym(terms="Forfetario,  forfetario ;")
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "Scrivi almeno due parole diverse, separate da virgole." in str(error.value)
    group = SearchSynonym(terms="Forfetario; forfettario\nflat  tax")
    group.full_clean()
    assert group.terms == "forfetario, forfettario, flat tax"


def test_text_variants_replace_whole_words_and_phrases():
    groups = [["forfetario", "forfettario"], ["partita iva", "p.iva"]]
    assert text_variants("regime forfetario", groups) == ["regime forfetario", "regime forfettario"]
    assert text_variants("aprire partita IVA", groups) == ["aprire partita IVA", "aprire p.iva"]
    # A word that only contains a term is not a match.
    assert text_variants("forfetariamente", groups) == ["forfetariamente"]


def test_phrases_stay_exact():
    query = with_synonyms(Phrase("regime forfetario"), [["forfetario", "forfettario"]])
    assert isinstance(query, Phrase)
    query = with_synonyms(PlainText("forfetario"), [["forfetario", "forfettario"]])
    assert isinstance(query, Or)
    assert [sub.query_string for sub in query.subqueries] == ["forfetario", "forfettario"]


def test_editors_manage_synonyms_and_others_cannot(client, editor, coordinator):
    group = SearchSynonym.objects.create(terms="forfetario, forfettario")
    list_url = reverse("wagtailsnippets_resources_searchsynonym:list")
    edit_url = reverse("wagtailsnippets_resources_searchsynonym:edit", args=(group.pk,))
    sign_in_with_totp(client, coordinator)
    # Wagtail sends staff without the permission back to the admin's home page.
    response = client.get(list_url)
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = client.post(edit_url, {"terms": "altro, altri"})
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    group.refresh_from_db()
    assert group.terms == "forfetario, forfettario"

    client.logout()
    sign_in_with_totp(client, editor)
    assert client.get(list_url).status_code == 200
    response = client.post(edit_url, {"terms": "forfetario, forfettario, flat tax", "note": ""})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.terms == "forfetario, forfettario, flat tax"


# --- Site search results -----------------------------------------------------------------


def test_site_search_results_show_type_topic_and_snippet(client, home_page, library):
    topic = TopicFactory(name="Tasse e contributi", slug="tasse")
    lesson = LessonPageFactory(
        parent=library,
        title="Il regime agevolato",
        summary="Le tasse per chi comincia, spiegate semplici.",
        body=stream(paragraph("Con il regime forfettario paghi un'imposta sostitutiva.")),
    )
    lesson.topics.add(topic)
    lesson.save_revision().publish()
    with translation.override("it"):
        url = reverse("search")
    html = client.get(url, {"q": "forfettario"}).content.decode()
    assert "Il regime agevolato" in html
    assert '<span class="badge bg-primary">Lezione</span> Tasse e contributi' in html
    assert "Le tasse per chi comincia, spiegate semplici." in html


# --- The topics chooser --------------------------------------------------------------------


def test_the_topics_chooser_offers_the_pages_language_only(client, editor, library, english_locale):
    italian = TopicFactory(name="Tasse", slug="tasse")
    english = italian.copy_for_translation(english_locale)
    english.name = "Taxes"
    english.save()
    TopicFactory(name="Solo inglese", slug="english-only", locale=english_locale)
    lesson = LessonPageFactory(parent=library, title="Lezione")
    lesson.topics.add(italian)
    lesson.save_revision().publish()
    english_lesson = lesson.copy_for_translation(english_locale, copy_parents=True)
    english_lesson.save_revision().publish()

    sign_in_with_totp(client, editor)
    form = client.get(f"/admin/pages/{lesson.pk}/edit/").context["form"]
    assert [topic.name for topic in form.fields["topics"].queryset] == ["Tasse"]

    form = client.get(f"/admin/pages/{english_lesson.pk}/edit/").context["form"]
    assert {topic.name for topic in form.fields["topics"].queryset} == {"Solo inglese", "Taxes"}
    # The copy still points at the Italian topic: it is shown as its English translation.
    assert [topic.pk for topic in form.initial["topics"]] == [english.pk]

    add_url = reverse("wagtailadmin_pages:add", args=("resources", "lessonpage", library.pk))
    form = client.get(add_url).context["form"]
    assert [topic.name for topic in form.fields["topics"].queryset] == ["Tasse"]
    assert Locale.objects.count() == 2
