"""Microgrants on the public site: each views module keeps its own ``urlpatterns``. Stripe's
webhooks are not here: the host serves ``views.payouts.webhook_urlpatterns`` outside its
language prefixes."""

from coaching.grants.views import applications, awards, documents, expenses, payouts

app_name = "grants"

urlpatterns = [
    *applications.urlpatterns,
    *documents.urlpatterns,
    *awards.urlpatterns,
    *payouts.urlpatterns,
    *expenses.urlpatterns,
]
