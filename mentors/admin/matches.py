"""Matching in the Wagtail admin: the pool, suggestions for one person, a batch for a whole
site, and the matches waiting for the mentor.

Coordinators only (``can_manage_participants`` and the match permissions of
``mentors.roles``), and only on their own sites: participants through
``coaching.selectors.participant_for_staff_or_404``, sites through ``scope_to_sites``,
matches through ``mentors.selectors.matches_for_staff``; anything else answers 404. Every
rule is in ``mentors.services``: a batch shown on one request and applied on the next is
carried as signed pairs and checked again, pair by pair, when applied.
"""

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Site

from coaching.models import AccessLog
from coaching.selectors import (
    StaffRole,
    can_manage_participants,
    participant_for_staff_or_404,
    scope_to_sites,
)
from coaching.services.audit import access_log_record
from mentors.admin import posted_id
from mentors.models import Match, MatchEvent
from mentors.selectors import matches_for_staff, open_match_of
from mentors.services import matching as service
from mentors.services.matches import match_confirm

#: A batch proposal stays valid this long between showing it and applying it (seconds).
BATCH_MAX_AGE = 60 * 60
_SALT = "mentors.matching.batch"


def _require(request, permission: str) -> None:
    user = request.user
    if not (can_manage_participants(user) and user.has_perm(permission)):
        raise PermissionDenied


def _staff_sites(request):
    return scope_to_sites(
        request.user, Site.objects.all(), role=StaffRole.COORDINATOR, site_lookup="pk"
    ).order_by("site_name", "pk")


def _pair_value(participant_id: int, mentor_id: int) -> str:
    return f"{participant_id}:{mentor_id}"


# --- The pool --------------------------------------------------------------------------------


def pool(request):
    """Who waits for a mentor on the coordinator's sites, longest first."""
    _require(request, "mentors.view_match")
    sites = list(_staff_sites(request))
    return TemplateResponse(
        request,
        "mentors/admin/pool.html",
        {
            "people": service.pool([s.pk for s in sites]),
            "sites": sites,
            "page_title": _("Participants waiting for a mentor"),
            "header_icon": "group",
        },
    )


# --- One participant -------------------------------------------------------------------------


def _report(request, applied: service.Applied) -> None:
    """One message per outcome of ``proposal_apply``: made, already made, or not possible."""
    if applied.created:
        messages.success(
            request,
            ngettext(
                "%(count)d mentor proposed and confirmed: the mentor is asked to accept.",
                "%(count)d mentors proposed and confirmed: each mentor is asked to accept.",
                len(applied.created),
            )
            % {"count": len(applied.created)},
        )
    if applied.already:
        messages.info(
            request,
            ngettext(
                "%(count)d pair was already made by your first click: nothing was done twice.",
                "%(count)d pairs were already made by your first click: nothing was done twice.",
                len(applied.already),
            )
            % {"count": len(applied.already)},
        )
    for participant, mentor, why in applied.skipped:
        messages.warning(
            request,
            _("Not proposed: %(participant)s with %(mentor)s. %(why)s")
            % {
                "participant": participant.full_name,
                "mentor": mentor or "—",
                "why": why,
            },
        )


def suggestions(request, pk):
    """The three best mentors for one participant, each with its reasons and a button."""
    _require(request, "mentors.view_match")
    participant = participant_for_staff_or_404(request.user, pk)
    if request.method == "POST":
        _require(request, "mentors.add_match")
        mentor_id = posted_id(request.POST.get("mentor"))
        if not mentor_id:
            messages.error(request, _("Choose one of the suggested mentors."))
            return redirect("mentors_matching:suggestions", pk=participant.pk)
        applied = service.proposal_apply(
            site=participant.site,
            assignment=[(participant.pk, mentor_id)],
            by=request.user,
            confirm=True,
        )
        _report(request, applied)
        if applied.skipped:
            return redirect("mentors_matching:suggestions", pk=participant.pk)
        return redirect("mentors_matching:waiting")
    current = open_match_of(participant)
    found = [] if current else service.suggestions_for(participant)
    names = service.skill_names(service.skill_keys_in(*(s.terms for s in found)))
    rows = [
        {
            "mentor": s.mentor,
            "fit": s.score.total,
            "reasons": service.reasons(s.terms, names=names),
        }
        for s in found
    ]
    access_log_record(
        actor=request.user,
        participant=participant,
        action=AccessLog.Action.VIEW_PARTICIPANT,
        details={"page": "mentor_suggestions"},
    )
    return TemplateResponse(
        request,
        "mentors/admin/suggestions.html",
        {
            "participant": participant,
            "current": current,
            "rows": rows,
            "nobody": service.nobody_fits(participant) if not (current or rows) else [],
            "page_title": _("Mentors for this participant"),
            "page_subtitle": str(participant),
            "header_icon": "group",
        },
    )


# --- A whole site ----------------------------------------------------------------------------


def _batch_context(request, site, review: service.Review):
    names = service.skill_names(service.skill_keys_in(*review.terms.values()))
    pairs = []
    for pair in review.assignment.pairs:
        terms = review.terms[pair.seeker, pair.mentor]
        pairs.append(
            {
                "value": _pair_value(pair.seeker, pair.mentor),
                "participant": review.participants[pair.seeker],
                "mentor": review.mentors[pair.mentor],
                "fit": pair.score.total,
                "reasons": service.reasons(terms, names=names),
            }
        )
    token = signing.dumps(
        {"site": site.pk, "pairs": [p["value"] for p in pairs]}, salt=_SALT, compress=True
    )
    return {
        "site": site,
        "pairs": pairs,
        "unmatched": [
            {"participant": review.participants[u.seeker], "why": review.why[u.seeker]}
            for u in review.assignment.unmatched
        ],
        "total": review.assignment.total,
        "token": token,
        "page_title": _("Propose mentors for everyone waiting"),
        "page_subtitle": site.site_name or site.hostname,
        "header_icon": "group",
    }


def _signed_pairs(request, site) -> set[str]:
    """The pairs the coordinator saw (signed when shown) and left ticked."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=_SALT, max_age=BATCH_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(
            _("This proposal is too old or was changed. Here is a new one: check it again.")
        ) from error
    if data.get("site") != site.pk:
        raise ValidationError(_("This proposal is for another municipality."))
    return set(data.get("pairs", ())) & set(request.POST.getlist("pair"))


def _parse(values) -> list[tuple[int, int]]:
    pairs = []
    for value in sorted(values):
        participant_id, _sep, mentor_id = value.partition(":")
        pairs.append((int(participant_id), int(mentor_id)))
    return pairs


def batch(request, site_pk):
    """The optimal proposal for everyone waiting on one site; applied when confirmed."""
    _require(request, "mentors.view_match")
    site = get_object_or_404(_staff_sites(request), pk=site_pk)
    status = 200
    if request.method == "POST":
        _require(request, "mentors.add_match")
        try:
            chosen = _signed_pairs(request, site)
            if not chosen:
                raise ValidationError(_("Tick at least one pair to propose."))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            status = 400
        else:
            applied = service.proposal_apply(
                site=site, assignment=_parse(chosen), by=request.user, confirm=True
            )
            _report(request, applied)
            return redirect("mentors_matching:waiting")
    context = _batch_context(request, site, service.cohort_review(site))
    return TemplateResponse(request, "mentors/admin/batch.html", context, status=status)


# --- Waiting for the mentor ------------------------------------------------------------------


def waiting(request):
    """Proposed and confirmed matches, with their history; a proposal can be confirmed here."""
    _require(request, "mentors.view_match")
    matches = matches_for_staff(request.user)
    if request.method == "POST":
        _require(request, "mentors.change_match")
        match = get_object_or_404(
            matches, pk=posted_id(request.POST.get("match")), status=Match.Status.PROPOSED
        )
        try:
            match_confirm(match=match, by=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Confirmed: the mentor is asked to accept."))
        return redirect("mentors_matching:waiting")
    rows = (
        matches.filter(status__in=[Match.Status.PROPOSED, Match.Status.CONFIRMED])
        .select_related("participant__site")
        .prefetch_related(
            Prefetch("events", queryset=MatchEvent.objects.select_related("by").order_by("at"))
        )
        .order_by("created_at", "pk")
    )
    return TemplateResponse(
        request,
        "mentors/admin/waiting.html",
        {
            "matches": rows,
            "page_title": _("Matches waiting for the mentor"),
            "header_icon": "time",
        },
    )


# --- Wiring ----------------------------------------------------------------------------------

admin_urls = (
    [
        path("", pool, name="pool"),
        path("participant/<int:pk>/", suggestions, name="suggestions"),
        path("site/<int:site_pk>/batch/", batch, name="batch"),
        path("waiting/", waiting, name="waiting"),
    ],
    "mentors_matching",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("mentoring/matching/", include(admin_urls))]
