"""A plan to take away: its financial model as a spreadsheet whose cells are live formulas,
and the whole plan (now, or a kept version) as a PDF.

Reading access (``selectors.plan_or_404`` with READ): the owner, the mentor it is shared with,
the coordinators of its site; a version is found the way the version page finds it
(``selectors.version_or_404`` of a plan one may read). The files are personal: never stored
by a shared cache.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Site

from coaching.plans import financials, selectors
from coaching.plans.document import PlanDocument
from coaching.plans.pdf import plan_pdf
from coaching.plans.selectors import Access
from coaching.plans.services.finance import plan_finance_data
from coaching.plans.xlsx import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(plan, extension: str) -> str:
    # ASCII only, so no header injection and every browser keeps the name.
    return f"{slugify(plan.title)[:60] or 'plan'}-{plan.pk}.{extension}"


def _readable_plan(request, pk):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    plan, _access = selectors.plan_or_404(request.user, pk, site=site, at_least=Access.READ)
    return plan


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def xlsx(request, pk):
    plan = _readable_plan(request, pk)
    finance = plan_finance_data(plan)
    figures = financials.compute(financials.inputs_from_data(finance))
    content = workbook(finance, figures, language=plan.language, title=plan.title)
    return _attachment(content, XLSX, _filename(plan, "xlsx"))


@never_cache
@login_required
@require_GET
def pdf(request, pk):
    """The plan as it is now."""
    plan = _readable_plan(request, pk)
    content = plan_pdf(PlanDocument.of_plan(plan), site=plan.participant.site)
    return _attachment(content, "application/pdf", _filename(plan, "pdf"))


@never_cache
@login_required
@require_GET
def version_pdf(request, pk, number):
    """A kept version as it was: its snapshot, not the plan now."""
    plan = _readable_plan(request, pk)
    kept = selectors.version_or_404(plan, number)
    content = plan_pdf(PlanDocument(kept.data), site=plan.participant.site, version=kept)
    filename = _filename(plan, "pdf").removesuffix(".pdf") + f"-v{kept.number}.pdf"
    return _attachment(content, "application/pdf", filename)


urlpatterns = [
    path("<int:pk>/financial-model.xlsx", xlsx, name="xlsx"),
    path("<int:pk>/plan.pdf", pdf, name="pdf"),
    path("<int:pk>/versions/<int:number>/plan.pdf", version_pdf, name="version_pdf"),
]
