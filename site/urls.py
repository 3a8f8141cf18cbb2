from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from coaching.grants.views.payouts import webhook_urlpatterns as stripe_webhook_urls
from portal_site.accounts import views as accounts_views
from portal_site.core import views as core_views

#: Wagtail's and Django's own sign-in forms skip allauth (its rate limits, e-mail
#: verification and second factor): their addresses lead to allauth's sign-in instead. They
#: come before the includes that would serve them (Wagtail's front-end one is in the language
#: patterns below).
sign_in_elsewhere_urls = [
    path("admin/login/", accounts_views.sign_in_elsewhere, {"default_next": "/admin/"}),
    path(
        "django-admin/login/", accounts_views.sign_in_elsewhere, {"default_next": "/django-admin/"}
    ),
    # Django's admin would change the password without allauth's checks and notice e-mail.
    path(
        "django-admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
]

urlpatterns = [
    *sign_in_elsewhere_urls,
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Stripe posts its events here, in no language and with no session.
    path("stripe/", include((stripe_webhook_urls, "grants_webhooks"))),
]

urlpatterns += i18n_patterns(
    path("account/", include("portal_site.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("search/", core_views.search, name="search"),
    path("library/", include("resources.urls")),
    path("path/", include("coaching.urls")),
    path("mentoring/", include("mentors.urls")),
    path("plans/", include("coaching.plans.urls")),
    path("grants/", include("coaching.grants.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Wagtail's front-end sign-in (its include below would serve Django's plain LoginView).
    path("_util/login/", accounts_views.sign_in_elsewhere),
    # Wagtail's page serving stays last: it matches every remaining path.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from pathlib import Path

    from django.conf.urls.static import static

    # Images only, as the production proxy does: documents go through Wagtail's view
    # (/documents/), which checks collection privacy and never renders HTML inline.
    for folder in ("images", "original_images"):
        urlpatterns = (
            static(
                f"{settings.MEDIA_URL}{folder}/",
                document_root=Path(settings.MEDIA_ROOT) / folder,
            )
            + urlpatterns
        )

handler404 = "portal_site.core.views.page_not_found"
handler500 = "portal_site.core.views.server_error"
