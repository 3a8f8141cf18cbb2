"""An application's documents: uploading one for a required document, removing it while the
application is a draft, and downloading it.

Files live in private storage and have no public address: the download view serves one only to
the people ``selectors.document_for_user_or_404`` allows (the applicant, the site's
coordinators once submitted, an evaluator assigned with no conflict), always as an attachment
the browser does not guess the type of, and records each download in the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from coaching.grants import selectors
from coaching.grants.forms.applications import DocumentForm
from coaching.grants.services.applications import document_add, document_remove
from coaching.grants.views.applications import application_page
from coaching.models import AccessLog
from coaching.services.audit import access_log_record

#: The access log's ``details["page"]`` for a grant document opened.
ACCESS_PAGE = "grant_document"


def _application(request, pk):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return selectors.own_application_or_404(request.user, site, pk)


@login_required
@require_POST
def upload(request, pk, requirement_pk):
    """One file for one of the call's required documents. A refused file is not stored: the
    page comes back with the reason next to the field."""

    application = _application(request, pk)
    requirement = application.call.required_documents.filter(pk=requirement_pk).first()
    if requirement is None:
        raise Http404
    if not application.is_editable:
        messages.info(request, _("This application cannot be changed any more."))
        return redirect("grants:application", application.pk)
    form = DocumentForm(request.POST, request.FILES, requirement=requirement)
    if form.is_valid():
        try:
            document, added = document_add(
                application=application,
                requirement=requirement,
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if added:
                messages.success(
                    request,
                    _("“%(name)s” is uploaded for %(requirement)s.")
                    % {"name": document.original_name, "requirement": requirement.name},
                )
            else:
                messages.info(request, _("This file was already uploaded."))
            return redirect(f"{reverse('grants:application', args=[application.pk])}#documents")
    return application_page(request, application, document_forms={requirement.pk: form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, pk, document_pk):
    """Asks first; on POST removes the document (a draft's only)."""
    application = _application(request, pk)
    document = application.documents.filter(pk=document_pk).first()
    if document is None:
        if request.method == "POST":
            messages.info(request, _("This document was already removed."))
            return redirect("grants:application", application.pk)
        raise Http404
    error = None
    if request.method == "POST":
        try:
            document_remove(document=document, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request, _("“%(name)s” is removed.") % {"name": document.original_name}
            )
            return redirect(f"{reverse('grants:application', args=[application.pk])}#documents")
    return render(
        request,
        "grants/application_document_remove.html",
        {"application": application, "document": document, "error": error},
        status=400 if error else 200,
    )


@never_cache
@login_required
@require_GET
def download(request, pk):
    document = selectors.document_for_user_or_404(request.user, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    access_log_record(
        actor=request.user,
        participant=document.application.participant,
        action=AccessLog.Action.VIEW_PARTICIPANT,
        details={
            "page": ACCESS_PAGE,
            "document": document.pk,
            "application": document.application.reference,
        },
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path(
        "applications/<int:pk>/documents/<int:requirement_pk>/upload/",
        upload,
        name="document_add",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/remove/",
        remove,
        name="document_remove",
    ),
    path("documents/<int:pk>/", download, name="document"),
]
