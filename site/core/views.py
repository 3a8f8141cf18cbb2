"""The host site's own views: search, robots.txt and the designed error pages."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from resources.selectors.library import search_query, search_text

SEARCH_RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    # What people search for is not recorded (no Wagtail search-promotion query or hit): the
    # text may name them or their situation. This page shows no editors' promotions, so
    # nothing here needs that log.
    query_string = search_text(request.GET.get("q", ""))
    results = Page.objects.none()
    if query_string:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .specific()
            .search(search_query(query_string))
        )
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request,
        "core/search.html",
        {"search_query": query_string, "search_results": page, "paginator": paginator},
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /it/account/",
        "Disallow: /en/account/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # When the server fails, neither the database nor context processors can be trusted:
    # the 500 page renders from its template and the translation catalogues alone, in the
    # language of the address (read from the path, which needs neither).
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = loader.get_template("500.html").render({})
    return HttpResponseServerError(html)
