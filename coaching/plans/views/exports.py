"""A plan's financial model as a spreadsheet whose cells are live formulas.

Reading access (``selectors.plan_or_404`` with READ): the owner, the mentor it is shared with,
the coordinators of its site. The file is personal: never stored by a shared cache.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from wagtail.models import Site

from coaching.plans import financials, selectors
from coaching.plans.selectors import Access
from coaching.plans.services.finance import plan_finance_data
from coaching.plans.xlsx import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(plan, extension: str) -> str:
    # ASCII only, so no header injection and every browser keeps the name.
    return f"{slugify(plan.title)[:60] or 'plan'}-{plan.pk}.{extension}"


@never_cache
@login_required
def xlsx(request, pk):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    plan, _access = selectors.plan_or_404(request.user, pk, site=site, at_least=Access.READ)
    finance = plan_finance_data(plan)
    figures = financials.compute(financials.inputs_from_data(finance))
    content = workbook(finance, figures, language=plan.language, title=plan.title)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "xlsx")}"'
    return response


urlpatterns = [path("<int:pk>/financial-model.xlsx", xlsx, name="xlsx")]
