"""The plan's money: the figures page, the three lists of lines, the forecast and the charts.

Reading (the figures and the charts) is for whoever may read the plan (``Access.READ``);
changing is the owner's while the plan is editable. Each list is one plain form, so a phone
without JavaScript adds a line by filling one of the empty ones and saving. Saves carry the
finance revision the page was opened at: a page older than another save shows its figures
again with a warning instead of overwriting (``services.finance``), and the same form sent
twice is saved once.
"""

from dataclasses import dataclass

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from coaching.plans import charts, selectors
from coaching.plans.finance_messages import breach_texts, warning_texts
from coaching.plans.forms.finance import (
    ForecastForm,
    FundingFormSet,
    RevisionForm,
    RunningCostFormSet,
    StartupCostFormSet,
    amount_example,
    lines_initial,
)
from coaching.plans.models import Forecast
from coaching.plans.selectors import Access
from coaching.plans.services.finance import (
    StaleFinance,
    breaches_of,
    call_rules_data,
    figures_from,
    finance_lines_save,
    forecast_save,
    plan_finance_data,
)
from coaching.plans.views.plans import _site, plan_context

#: The three lists: URL slug → (snapshot key, formset, page title, what the page explains).
LISTS = {
    "start-up-costs": (
        "startup_costs",
        StartupCostFormSet,
        gettext_lazy("Start-up costs"),
        gettext_lazy(
            "Everything you must buy or pay before or when you open: one line each, "
            "amounts before VAT."
        ),
    ),
    "funding": (
        "funding",
        FundingFormSet,
        gettext_lazy("Funding"),
        gettext_lazy("Where the money for the start-up costs comes from: savings, a microgrant…"),
    ),
    "running-costs": (
        "running_costs",
        RunningCostFormSet,
        gettext_lazy("Running costs"),
        gettext_lazy(
            "What the business pays every month once it is open: rent, phone, accountant…"
        ),
    ),
}

STALE_MESSAGE = gettext_lazy(
    "The figures were changed in another tab or device after you opened this page, so nothing "
    "was saved. What you typed is still here: check it against the figures page and save "
    "again."
)


def error_summary(forms, non_form_errors=(), *, numbered=False) -> list[dict]:
    """Every error of ``forms`` as ``{id, label, text}`` for the list above a form, so a
    screen-reader or phone user hears all of them and can jump to each field."""
    summary = [{"id": "", "label": "", "text": str(error)} for error in non_form_errors]
    for number, form in enumerate(forms, start=1):
        for name, errors in form.errors.items():
            field = form[name] if name in form.fields else None
            label = field.label if field is not None else ""
            if numbered:
                line = _("Line %(number)s") % {"number": number}
                label = f"{line}, {label}" if label else line
            for error in errors:
                summary.append(
                    {
                        "id": field.auto_id if field is not None else "",
                        "label": label,
                        "text": error,
                    }
                )
    return summary


def _revision(plan) -> int:
    return Forecast.objects.filter(plan=plan).values_list("revision", flat=True).first() or 0


def _figures_context(plan) -> dict:
    finance = plan_finance_data(plan)
    figures = figures_from(finance)
    return {
        "finance": finance,
        "figures": figures,
        "warnings": warning_texts(figures),
        "breaches": breach_texts(breaches_of(finance, call_rules_data(plan.call_rules))),
        "charts": [
            {"name": name, "title": charts.title(name), "summary": charts.summary(figures, name)}
            for name in charts.NAMES
        ],
    }


@never_cache
@login_required
@require_GET
def finance(request, pk):
    plan, access = selectors.plan_or_404(
        request.user, pk, site=_site(request), at_least=Access.READ
    )
    context = plan_context(plan, access)
    context.update(
        _figures_context(plan), lists=[(slug, entry[2]) for slug, entry in LISTS.items()]
    )
    return render(request, "plans/finance.html", context)


def _editable_plan(request, pk):
    """The owner's plan, and a redirect to its figures when it cannot change now (under
    review or ready): a form nobody can save is not shown."""
    plan, access = selectors.plan_or_404(
        request.user, pk, site=_site(request), at_least=Access.EDIT
    )
    if plan.is_editable:
        return plan, access, None
    messages.info(
        request,
        _(
            "This plan is %(status)s: you can read its figures, and change them when it "
            "comes back to you."
        )
        % {"status": plan.get_status_display().lower()},
    )
    return plan, access, redirect("plans:finance", plan.pk)


def _saved(request, plan, written: bool):
    if written:
        messages.success(request, _("Saved. The figures below are worked out again."))
    else:
        messages.info(request, _("These figures were already saved."))
    return redirect("plans:finance", plan.pk)


@dataclass
class _Post:
    """What a finance form's POST came to: a redirect once saved, or the page again (400)
    with the revision field to show."""

    response: object = None
    revision_form: RevisionForm | None = None
    sent: RevisionForm | None = None


def _post(request, plan, form, save) -> _Post:
    """The one save rule of the finance forms: ``save(revision)`` when ``form`` and the
    revision are valid; a stale page or a plan that cannot change keeps what was typed, with
    a message. After a form error the revision stays the one the page was opened at, so a
    save made elsewhere meanwhile is still caught when this one is corrected and sent."""
    sent = RevisionForm(request.POST)
    result = _Post(sent=sent, revision_form=RevisionForm(initial={"revision": _revision(plan)}))
    if form.is_valid() and sent.is_valid():
        try:
            written = save(sent.cleaned_data["revision"])
        except StaleFinance:
            messages.warning(request, STALE_MESSAGE)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            result.response = _saved(request, plan, written)
    elif sent.is_valid():
        result.revision_form = RevisionForm(initial={"revision": sent.cleaned_data["revision"]})
    return result


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lines(request, pk, part):
    if part not in LISTS:
        raise Http404
    kind, formset_class, title, explanation = LISTS[part]
    plan, access, elsewhere = _editable_plan(request, pk)
    if elsewhere:
        return elsewhere
    status, summary = 200, []
    revision_form = RevisionForm(initial={"revision": _revision(plan)})
    if request.method == "POST":
        formset = formset_class(request.POST, prefix=kind)
        posted = _post(
            request,
            plan,
            formset,
            lambda revision: finance_lines_save(
                plan=plan, by=request.user, kind=kind, lines=formset.lines(), revision=revision
            ),
        )
        if posted.response:
            return posted.response
        status, revision_form = 400, posted.revision_form
        summary = [*formset.non_form_errors(), *posted.sent.non_field_errors()]
    else:
        formset = formset_class(initial=lines_initial(plan_finance_data(plan)[kind]), prefix=kind)
    context = plan_context(plan, access)
    context.update(
        formset=formset,
        error_summary=error_summary(formset.forms, summary, numbered=True),
        revision_form=revision_form,
        title=title,
        explanation=explanation,
        kind=kind,
    )
    return render(request, "plans/finance_lines.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def forecast(request, pk):
    plan, access, elsewhere = _editable_plan(request, pk)
    if elsewhere:
        return elsewhere
    status, summary = 200, []
    revision_form = RevisionForm(initial={"revision": _revision(plan)})
    if request.method == "POST":
        form = ForecastForm(request.POST)
        posted = _post(
            request,
            plan,
            form,
            lambda revision: forecast_save(
                plan=plan, by=request.user, data=form.forecast_data(), revision=revision
            ),
        )
        if posted.response:
            return posted.response
        status, revision_form = 400, posted.revision_form
        summary = posted.sent.non_field_errors()
    else:
        form = ForecastForm(initial=ForecastForm.initial_from(plan_finance_data(plan)["forecast"]))
    context = plan_context(plan, access)
    context.update(
        form=form,
        example=amount_example(),
        error_summary=error_summary([form], summary),
        revision_form=revision_form,
    )
    return render(request, "plans/finance_forecast.html", context, status=status)


#: The chart is a picture with no script; its inline styles are pygal's own.
CHART_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    # The site's own sources for these would override ``default-src`` (None drops them).
    **dict.fromkeys(("script-src", "img-src", "font-src", "connect-src", "frame-src"), None),
}


@csp_replace(CHART_POLICY)
@never_cache
@login_required
@require_GET
def chart(request, pk, name):
    if name not in charts.NAMES:
        raise Http404
    plan, _access = selectors.plan_or_404(
        request.user, pk, site=_site(request), at_least=Access.READ
    )
    figures = figures_from(plan_finance_data(plan))
    svg = charts.chart_svg(figures, name, language=request.LANGUAGE_CODE)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


urlpatterns = [
    path("<int:pk>/money/", finance, name="finance"),
    path("<int:pk>/money/forecast/", forecast, name="finance_forecast"),
    path("<int:pk>/money/<slug:part>/", lines, name="finance_lines"),
    path("<int:pk>/money/chart-<slug:name>.svg", chart, name="finance_chart"),
]
