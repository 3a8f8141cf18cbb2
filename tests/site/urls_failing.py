"""The site's URLconf plus a view that fails, to see the designed server-error page."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from portal_site import urls as site_urls


def fail(request):
    raise RuntimeError("a failure for the test")


urlpatterns = [
    *i18n_patterns(path("fail/", fail), prefix_default_language=True),
    *site_urls.urlpatterns,
]

handler500 = "portal_site.core.views.server_error"
