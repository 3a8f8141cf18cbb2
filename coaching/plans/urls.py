"""Business plans on the public site: each views module keeps its own ``urlpatterns``."""

from coaching.plans.views import editor, exports, finance, plans, review, versions

app_name = "plans"

urlpatterns = [
    *plans.urlpatterns,
    *editor.urlpatterns,
    *finance.urlpatterns,
    *versions.urlpatterns,
    *review.urlpatterns,
    *exports.urlpatterns,
]
