"""The grants' money and audit trail in the Wagtail admin, for the coordinators and finance
officers of a site.

- The ledger report: per grant what was awarded, approved, is being paid, was paid and
  returned, what the beneficiary reported and what was accepted, what the award still holds;
  per site and per call the budget, what awards hold, what was paid and what is left. The
  figures are ``services.ledger``'s, the awards ``selectors.awards_for_staff``'.
- The audit trail: the grant records' entries in Wagtail's log, of the viewer's sites only,
  as a page and as CSV or XLSX (``coaching.exports.SafeSpreadsheetExportMixin``: a text a
  person typed never opens as a formula). Each download is in coaching's access log.

Editors, mentors and everyone else are refused; nobody sees another site's rows."""

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Site

from coaching.exports import SafeSpreadsheetExportMixin
from coaching.grants import selectors
from coaching.grants.models import (
    Award,
    GrantLogEntry,
)
from coaching.grants.services.ledger import grants_figures, site_figures
from coaching.models import AccessLog
from coaching.selectors import (
    StaffRole,
    can_manage_participants,
    is_finance_officer,
    scope_to_sites,
)
from coaching.services.audit import access_log_record

#: The roles that read the ledger, each on the sites they are assigned to.
ROLES = (StaffRole.COORDINATOR, StaffRole.FINANCE_OFFICER)
#: The access log's ``details["report"]`` for a download of the audit trail.
LOG_REPORT = "grants_audit_trail"


def may_read_ledger(user) -> bool:
    """Coordinators and finance officers (which sites' figures: ``_sites``)."""
    return can_manage_participants(user) or is_finance_officer(user)


def _scoped(user, queryset: QuerySet, site_lookup: str) -> QuerySet:
    """Rows of the sites the user reads in any of ``ROLES``."""
    scoped = [scope_to_sites(user, queryset, role=role, site_lookup=site_lookup) for role in ROLES]
    return scoped[0] | scoped[1]


def _sites(user) -> QuerySet[Site]:
    return _scoped(user, Site.objects.all(), "pk").distinct().order_by("site_name", "pk")


def ledger_awards(user) -> QuerySet[Award]:
    awards = selectors.awards_for_staff(user, StaffRole.COORDINATOR) | selectors.awards_for_staff(
        user, StaffRole.FINANCE_OFFICER
    )
    return (
        awards.distinct()
        .select_related("application__participant", "application__call", "site")
        .order_by("site__site_name", "application__call__title", "awarded_at", "pk")
    )


def _refuse_others(request) -> None:
    if not may_read_ledger(request.user):
        raise PermissionDenied


def ledger(request):
    """Per site and call the budget and what was committed and paid; per grant every figure."""
    _refuse_others(request)
    return TemplateResponse(
        request,
        "grants/admin/ledger_report.html",
        {
            "sites": [site_figures(site) for site in _sites(request.user)],
            "grants": grants_figures(ledger_awards(request.user)),
            "page_title": _("Grants ledger"),
            "header_icon": "table",
        },
    )


def audit_entries(user) -> QuerySet[GrantLogEntry]:
    """The grant records' log entries of the sites the user reads, newest first: the
    coordinators' and finance officers' sites (``GrantLogEntry.site``), every site for a
    superuser."""
    entries = GrantLogEntry.objects.all()
    if not user.is_superuser:
        entries = _scoped(user, entries, "site_id")
    return entries.select_related("user", "content_type").order_by("-timestamp", "-pk")


def _action_label(action) -> str:
    return force_str(log_action_registry.get_action_label(action))


def _type_label(content_type) -> str:
    model = content_type.model_class() if content_type else None
    return force_str(model._meta.verbose_name) if model else ""


class AuditTrailView(SafeSpreadsheetExportMixin, SpreadsheetExportMixin, TemplateView):
    """The audit trail as a page (50 entries a page) or, with ``?export=csv|xlsx``, a file."""

    template_name = "grants/admin/ledger_audit.html"
    paginate_by = 50
    list_export = ["timestamp", "label", "content_type", "action", "user", "object_id", "data"]
    export_headings = {
        "timestamp": gettext_lazy("When"),
        "label": gettext_lazy("Record"),
        "content_type": gettext_lazy("Type"),
        "action": gettext_lazy("What happened"),
        "user": gettext_lazy("Who"),
        "object_id": gettext_lazy("Record id"),
        "data": gettext_lazy("Details"),
    }

    def dispatch(self, request, *args, **kwargs):
        _refuse_others(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return "grants-audit-trail"

    def to_row_dict(self, item):
        return {
            "timestamp": item.timestamp,
            "label": item.label,
            "content_type": _type_label(item.content_type),
            "action": _action_label(item.action),
            "user": item.user_display_name,
            "object_id": item.object_id,
            "data": json.dumps(item.data, ensure_ascii=False, sort_keys=True),
        }

    def get(self, request, *args, **kwargs):
        entries = audit_entries(request.user)
        if self.is_export:
            access_log_record(
                actor=request.user,
                participant=None,
                action=AccessLog.Action.EXPORT_PARTICIPANTS,
                details={
                    "format": request.GET["export"],
                    "rows": entries.count(),
                    "report": LOG_REPORT,
                },
            )
            return self.as_spreadsheet(entries, request.GET["export"])
        page = Paginator(entries, self.paginate_by).get_page(request.GET.get("p"))
        for entry in page:
            entry.action_label = _action_label(entry.action)
            entry.type_label = _type_label(entry.content_type)
        return self.render_to_response(
            {
                "page_obj": page,
                "csv_url": f"{request.path}?export=csv",
                "xlsx_url": f"{request.path}?export=xlsx",
                "page_title": _("Grants audit trail"),
                "header_icon": "history",
            }
        )


urls = [
    path("", ledger, name="report"),
    path("audit/", AuditTrailView.as_view(), name="audit"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("grants/ledger/", include((urls, "grants_ledger")))]


class LedgerMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_ledger(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return LedgerMenuItem(
        gettext_lazy("Grants ledger"),
        reverse("grants_ledger:report"),
        name="grants_ledger",
        icon_name="table",
        order=174,
    )
