"""Reads for browsing the library: listings, filters, search, related content, opportunities.

Every function makes a fixed number of queries, whatever the number of resources or of search
results (the page of results is bounded by ``RESOURCES_PAGE_SIZE``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.search.query import MATCH_NONE, PlainText, SearchQuery
from wagtail.search.utils import parse_query_string

from resources.conf import app_settings
from resources.forms import LibraryFilterForm
from resources.models import LibraryIndexPage, OpportunityPage, ResourcePage, Topic
from resources.search import with_synonyms


def visible(queryset):
    """The one rule for what the public may see: published and not behind a view restriction.

    ``public()`` reads the view restrictions with one query each time it is called: call it
    once per request path, then narrow the result.
    """
    return queryset.live().public()


def live_resources(*, locale: Locale):
    """Published, public library content in one language, newest first."""
    return (
        visible(ResourcePage.objects)
        .filter(locale=locale)
        .select_related("content_type", "locale")
        .order_by("-first_published_at", "-pk")
    )


def topics_for_locale(*, locale: Locale) -> list[Topic]:
    return list(Topic.objects.filter(locale=locale).order_by("name"))


#: Longer text is cut: no one searches with more, and each word costs the database (Wagtail's
#: database backends build one nested expression per word, and a few hundred words exceed
#: Python's recursion limit: wagtail/wagtail#4701).
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 32


def search_text(text: str) -> str:
    """The typed text as it is searched and shown back: control characters (NUL, which
    PostgreSQL refuses in any string) become spaces, runs of spaces one, and it is cut at
    ``SEARCH_MAX_WORDS`` words and ``SEARCH_MAX_LENGTH`` characters."""
    text = "".join(
        " " if unicodedata.category(char) == "Cc" else char
        for char in text[: SEARCH_MAX_LENGTH * 4]
    )
    return " ".join(text.split()[:SEARCH_MAX_WORDS])[:SEARCH_MAX_LENGTH]


def search_query(text: str) -> SearchQuery:
    """What a person typed into a search box, as a query every search backend can run.

    Handed over as a string, the text reaches the backend's own query syntax: on SQLite a
    stray double quote (``iva"``) is an FTS5 syntax error, raised only when the results are
    read. Wagtail's ``parse_query_string`` splits it into words and quoted phrases, so no
    quote reaches the backend unpaired. The text is cleaned first (``search_text``), and what
    looks like a Wagtail filter (``word:value``) is searched as words, since these boxes take
    no filters. Text with no words left finds nothing. Words editors listed as synonyms
    (``SearchSynonym``) also find each other.
    """
    filters, query = parse_query_string(search_text(text), operator="and", zero_terms=MATCH_NONE)
    words = " ".join(f"{name} {value}" for name, values in filters.lists() for value in values)
    if words.strip():
        filter_words = PlainText(words, operator="and")
        query = filter_words if query is MATCH_NONE else query & filter_words
    if query is MATCH_NONE:
        return query
    return with_synonyms(query)


def filter_resources(queryset, cleaned: dict):
    """Apply the library's filters and search (every filter combines with the others).

    Filters run in the database first; the search then runs over what they left, so a search
    never misses a match that a filter would keep. The result is a queryset, or Wagtail search
    results (ordered by relevance) when there is a search term: both paginate by slicing.
    """
    if cleaned.get("topic"):
        queryset = queryset.filter(topics__slug=cleaned["topic"]).distinct()
    if cleaned.get("format"):
        content_type = ContentType.objects.get_by_natural_key("resources", cleaned["format"])
        queryset = queryset.filter(content_type=content_type)
    if cleaned.get("level"):
        queryset = queryset.filter(level=cleaned["level"])
    if cleaned.get("language"):
        queryset = queryset.filter(content_language=cleaned["language"])
    if cleaned.get("duration"):
        low, high = cleaned["duration"].bounds
        if low is not None:
            queryset = queryset.filter(minutes__gte=low)
        if high is not None:
            queryset = queryset.filter(minutes__lte=high, minutes__gt=0)
    if cleaned.get("q"):
        # The search backends filter only on declared FilterFields ("id" is one), and topics
        # are a many-to-many relation: hand the filtered set over as a subquery of ids.
        return ResourcePage.objects.filter(pk__in=queryset.values("pk")).search(
            search_query(cleaned["q"])
        )
    return queryset


@dataclass
class ResourceCard:
    """What a list shows about one resource, without loading its specific page."""

    page: ResourcePage
    url: str
    format_label: str
    format_code: str
    topic_names: list[str]
    minutes: int | None


def _cards(pages, *, topics: list[Topic], request=None) -> list[ResourceCard]:
    """Cards for one page of results: one query for their topics, however many there are.

    ``topics`` are the listing's language's topics, already loaded: a page may still point at
    the topic of the language it was translated from, so names are looked up by slug.
    """
    pages = list(pages)
    prefetch_related_objects(pages, "topics")
    names = {topic.slug: topic.name for topic in topics}
    cards = []
    for page in pages:
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        cards.append(
            ResourceCard(
                page=page,
                url=page.get_url(request) or "",
                format_label=str(model._meta.verbose_name) if model else "",
                format_code=model._meta.model_name if model else "",
                topic_names=[names.get(topic.slug, topic.name) for topic in page.topics.all()],
                minutes=page.display_minutes,
            )
        )
    return cards


def library_listing(*, library: Page, params, request=None, fixed_topic: bool = False) -> dict:
    """The library's (or a topic page's) filtered, searched, paginated list and its filters."""
    locale = library.locale
    topics = topics_for_locale(locale=locale)
    form = LibraryFilterForm(params, topics=topics)
    cleaned = form.cleaned_data if form.is_valid() else form.valid_data()
    in_library = live_resources(locale=locale).descendant_of(library)
    filtered = any(cleaned.get(name) for name in LibraryFilterForm.FILTER_NAMES)
    with_whats_new = not filtered and not fixed_topic
    listed = filter_resources(in_library, cleaned)
    if with_whats_new:
        # "What's new" already shows the newest: the full list below goes A to Z, so its
        # first results are not the same cards again.
        listed = listed.order_by(Lower("title"), "pk")
    paginator = Paginator(listed, app_settings.PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "cards": _cards(page_obj.object_list, topics=topics, request=request),
        "result_count": paginator.count,
        "filtered": filtered,
        "filters_active": sum(
            1
            for name in LibraryFilterForm.FILTER_NAMES
            if cleaned.get(name) and name != "q" and not (fixed_topic and name == "topic")
        ),
        "alphabetical": with_whats_new,
        "topics": topics,
        "library": library,
    }
    if with_whats_new and page_obj.number == 1:
        context["whats_new"] = _cards(in_library[:4], topics=topics, request=request)
    return context


def related_resources(*, page: ResourcePage, limit: int = 3) -> list[ResourceCard]:
    """Other content in the same language and the same library that shares a topic."""
    slugs = [topic.slug for topic in page.topics.all()]
    if not slugs:
        return []
    locale = page.locale
    # With several sites, each has its own library: recommend only from this page's one.
    library = page.get_ancestors().type(LibraryIndexPage).last()
    queryset = live_resources(locale=locale)
    if library is not None:
        queryset = queryset.descendant_of(library)
    queryset = (
        queryset.filter(topics__slug__in=slugs)
        .exclude(translation_key=page.translation_key)
        .distinct()
    )
    return _cards(queryset[:limit], topics=topics_for_locale(locale=locale))


def upcoming_opportunities(*, locale: Locale, limit: int | None = None, today: date | None = None):
    """Opportunities whose deadline has not passed, soonest first."""
    today = today or timezone.localdate()
    limit = limit or app_settings.UPCOMING_OPPORTUNITIES
    return list(
        visible(OpportunityPage.objects)
        .filter(locale=locale, deadline__gte=today)
        .order_by("deadline", "pk")[:limit]
    )


def opportunities_for_feed(*, locale: Locale, limit: int = 30):
    return list(
        visible(OpportunityPage.objects)
        .filter(locale=locale)
        .order_by("-first_published_at", "-pk")[:limit]
    )
