"""Becoming a mentor on the public site: the application, the profile, weekly hours and time
away, and the mentor's own pause, resume or leave on each site.

Thin: what a person may see is ``mentors.selectors`` (their own profile and memberships only);
every change is ``mentors.services.profiles``. The forms work without JavaScript: a formset
grows by a row with its "add another" button, which posts what was typed and shows it back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from mentors import selectors
from mentors.forms.profiles import (
    EXCEPTIONS_PREFIX,
    WINDOWS_PREFIX,
    ExceptionFormSet,
    MentorApplicationForm,
    MentorProfileForm,
    ReasonForm,
    WindowFormSet,
    with_one_more_row,
)
from mentors.models import MentorMembership
from mentors.services import profiles as services

Status = MentorMembership.Status


def _site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _show_errors(form, error: ValidationError) -> None:
    """A refusal of the service, shown on the form like the form's own errors."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """The "become a mentor" form: the profile and why, for the site being visited. An
    active mentor of the site is shown their membership instead."""
    site = _site(request)
    profile = selectors.profile_of(request.user)
    membership = None
    if profile is not None:
        membership = profile.memberships.filter(site=site).first()
        if membership is not None and membership.status in services.WORKING:
            return redirect("mentors:membership", membership.pk)
    site_ids = {site.pk}
    if profile is not None:
        site_ids |= set(profile.memberships.values_list("site_id", flat=True))
    skills = selectors.skills_of_sites(site_ids)
    options = {"skills": skills, "profile": profile, "membership": membership}
    if request.method == "POST":
        form = MentorApplicationForm(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                membership = services.mentor_apply(
                    user=request.user,
                    site=site,
                    fields=form.profile_fields(),
                    skills=form.chosen_skills(),
                    motivation=form.cleaned_data["motivation"],
                    photo=form.photo_change(),
                )
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you: your application is with the programme's coordinators."),
                )
                return redirect("mentors:membership", membership.pk)
    else:
        form = MentorApplicationForm(**options)
    status = 400 if form.errors else 200
    return render(
        request,
        "mentors/profiles/apply.html",
        {"form": form, "membership": membership, "site": site},
        status=status,
    )


def _own_profile_or_apply(request):
    profile = selectors.profile_of(request.user)
    if profile is None:
        messages.info(request, _("First tell us about yourself: apply to become a mentor."))
    return profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The mentor's profile, to keep up to date, and their memberships."""
    mentor = _own_profile_or_apply(request)
    if mentor is None:
        return redirect("mentors:apply")
    memberships = list(selectors.memberships_of(request.user).order_by("site__site_name"))
    skills = selectors.skills_of_sites({m.site_id for m in memberships})
    if request.method == "POST":
        form = MentorProfileForm(request.POST, request.FILES, skills=skills, profile=mentor)
        if form.is_valid():
            try:
                services.mentor_profile_save(
                    user=request.user,
                    fields=form.profile_fields(),
                    skills=form.chosen_skills() if "skills" in form.fields else None,
                    photo=form.photo_change(),
                )
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("mentors:profile")
    else:
        form = MentorProfileForm(skills=skills, profile=mentor)
    return render(
        request,
        "mentors/profiles/profile.html",
        {"form": form, "profile": mentor, "memberships": memberships},
        status=400 if form.errors else 200,
    )


def _availability_initial(mentor):
    windows = [
        {"weekday": w.weekday, "starts": w.starts, "ends": w.ends} for w in mentor.windows.all()
    ]
    exceptions = [
        {"starts_on": e.starts_on, "ends_on": e.ends_on, "note": e.note}
        for e in mentor.exceptions.all()
    ]
    return windows, exceptions


@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    """Weekly hours and time away, in Italian time (Europe/Rome)."""
    mentor = _own_profile_or_apply(request)
    if mentor is None:
        return redirect("mentors:apply")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        data = request.POST
        if action == "add_window":
            data = with_one_more_row(data, WINDOWS_PREFIX)
        elif action == "add_away":
            data = with_one_more_row(data, EXCEPTIONS_PREFIX)
        windows = WindowFormSet(data, prefix=WINDOWS_PREFIX)
        exceptions = ExceptionFormSet(data, prefix=EXCEPTIONS_PREFIX)
        if action == "save":
            if windows.is_valid() and exceptions.is_valid():
                try:
                    services.mentor_availability_save(
                        profile=mentor, windows=windows.rows(), exceptions=exceptions.rows()
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, _("Your availability is saved."))
                    return redirect("mentors:availability")
            status = 400
    else:
        window_rows, exception_rows = _availability_initial(mentor)
        windows = WindowFormSet(initial=window_rows, prefix=WINDOWS_PREFIX)
        exceptions = ExceptionFormSet(initial=exception_rows, prefix=EXCEPTIONS_PREFIX)
    has_errors = status == 400 and (windows.total_error_count() or exceptions.total_error_count())
    return render(
        request,
        "mentors/profiles/availability.html",
        {
            "windows": windows,
            "exceptions": exceptions,
            "formsets": [windows, exceptions],
            "has_errors": has_errors,
        },
        status=status,
    )


#: The mentor's own moves on a membership, and the service each calls.
MOVES = {
    "pause": services.membership_pause,
    "resume": services.membership_resume,
    "leave": services.membership_end,
}


@login_required
@require_http_methods(["GET", "POST"])
def membership(request, pk):
    """The mentor's standing with one site: pause, resume or leave, with a reason."""
    membership = selectors.membership_of_person_or_404(request.user, pk)
    form = ReasonForm()
    status = 200
    if request.method == "POST":
        move = MOVES.get(request.POST.get("action", ""))
        if move is None:
            raise Http404
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                move(membership=membership, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("Done: your membership is updated."))
                return redirect("mentors:membership", membership.pk)
        status = 400
    return render(
        request,
        "mentors/profiles/membership.html",
        {
            "membership": membership,
            "form": form,
            "may_pause": membership.status == Status.APPROVED,
            "may_resume": membership.status == Status.PAUSED
            and services.may_resume(request.user, membership),
            "may_leave": membership.status in services.WORKING,
            "may_reapply": membership.status in (Status.ENDED, Status.REJECTED)
            and membership.site_id == _site(request).pk,
        },
        status=status,
    )


urlpatterns = [
    path("apply/", apply, name="apply"),
    path("profile/", profile, name="profile"),
    path("availability/", availability, name="availability"),
    path("membership/<int:pk>/", membership, name="membership"),
]
