"""A mentor's profile, weekly hours and standing with each site: the one place that changes them.

A membership moves only along ``MentorMembership.TRANSITIONS``, inside a transaction with its
row locked, so a double click or two coordinators at once move it once; each move is kept in
Wagtail's log on the membership (labels in ``mentors.admin.profiles``). Approval makes the
person a mentor of the site the way the rest of the programme knows one: the Mentor group and
a staff site assignment (``coaching.selectors.staff_site_ids``); ending takes both back.
Pausing flags the mentor's mentees on the site for a new match; ending ends their matches.
"""

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from coaching.conf import app_settings
from coaching.models import Gender, Language, MeetingMode, Sector
from coaching.selectors import StaffRole, may_act_on_site
from mentors.models import (
    BIO_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AvailabilityException,
    AvailabilityWindow,
    MentorMembership,
    MentorProfile,
    Skill,
)
from mentors.services.matches import matches_flag_for_rematch

Status = MentorMembership.Status

#: What a mentor fills in about themselves (besides skills and photo).
PROFILE_FIELDS = (
    "kind",
    "organisation",
    "bio",
    "gender",
    "sectors",
    "languages",
    "municipality",
    "meeting_modes",
    "capacity",
    "photo_alt",
)

#: The memberships that make a person a mentor: they keep the Mentor group while one remains.
WORKING = (Status.APPROVED, Status.PAUSED)

#: The Wagtail log actions of memberships (labels registered in ``mentors.admin.profiles``).
LOG_APPLY = "mentors.membership_apply"
LOG_APPROVE = "mentors.membership_approve"
LOG_REJECT = "mentors.membership_reject"
LOG_PAUSE = "mentors.membership_pause"
LOG_RESUME = "mentors.membership_resume"
LOG_END = "mentors.membership_end"

#: Accepted photo formats (as Pillow names them) and the largest file.
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
PHOTO_MAX_BYTES = 3 * 1024 * 1024

#: ``photo=REMOVE`` takes the photo away; ``photo=None`` leaves it as it is.
REMOVE = ""


# --- Checks ----------------------------------------------------------------------------------


def _check_codes(value, choices, field: str) -> list:
    value = list(dict.fromkeys(value or ()))
    if set(value) - set(choices.values):
        raise ValidationError({field: _("Choose from the list.")})
    return value


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if "kind" in cleaned and cleaned["kind"] not in MentorProfile.Kind.values:
        raise ValidationError({"kind": _("Choose from the list.")})
    if cleaned.get("gender") and cleaned["gender"] not in Gender.values:
        raise ValidationError({"gender": _("Choose from the list.")})
    for name, choices in (
        ("sectors", Sector),
        ("languages", Language),
        ("meeting_modes", MeetingMode),
    ):
        if name in cleaned:
            cleaned[name] = _check_codes(cleaned[name], choices, name)
    if "languages" in cleaned and not cleaned["languages"]:
        raise ValidationError({"languages": _("Choose at least one language you speak.")})
    if "meeting_modes" in cleaned and not cleaned["meeting_modes"]:
        raise ValidationError({"meeting_modes": _("Choose how you can meet.")})
    if "capacity" in cleaned and not 1 <= int(cleaned["capacity"]) <= 20:
        raise ValidationError({"capacity": _("Choose a number from 1 to 20.")})
    if len(cleaned.get("bio") or "") > BIO_MAX_LENGTH:
        raise ValidationError(
            {"bio": _("Keep it under %(max)d characters.") % {"max": BIO_MAX_LENGTH}}
        )
    for name in ("organisation", "bio", "municipality", "photo_alt"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def photo_problem(photo) -> str | None:
    """Why an uploaded photo is refused, or None: judged by its content (Pillow reads it)
    and its size, never by its name or the type the browser claims."""
    from PIL import Image

    if photo.size > PHOTO_MAX_BYTES:
        return _("The photo is too large: choose one under 3 MB.")
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds of errors on a file that is not an image
        return _("This file is not a photo: choose a JPEG, PNG or WebP image.")
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        return _("This file is not a photo: choose a JPEG, PNG or WebP image.")
    return None


def _reason(reason: str, *, required: bool, message: str = "") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": message or _("Say why: the other side will read it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(max)d characters.") % {"max": REASON_MAX_LENGTH}}
        )
    return reason


def _is_coordinator(user, site_id) -> bool:
    return may_act_on_site(user, site_id, role=StaffRole.COORDINATOR)


def may_change_membership(user, membership: MentorMembership) -> bool:
    """The mentor themselves, or a coordinator of the membership's site."""
    return membership.profile.user_id == user.pk or _is_coordinator(user, membership.site_id)


def may_resume(user, membership: MentorMembership) -> bool:
    """A coordinator of the site; the mentor only from a pause of their own (a coordinator's
    pause is the coordinator's to lift)."""
    if _is_coordinator(user, membership.site_id):
        return True
    return membership.profile.user_id == user.pk and membership.decided_by_id == user.pk


# --- The profile -----------------------------------------------------------------------------


def _locked_profile(user) -> MentorProfile | None:
    return MentorProfile.objects.select_for_update().filter(user=user).first()


def _set_photo(profile: MentorProfile, photo) -> None:
    old = profile.photo.name if profile.photo else ""
    if photo == REMOVE:
        profile.photo = ""
        profile.photo_alt = ""
    else:
        problem = photo_problem(photo)
        if problem:
            raise ValidationError({"photo": problem})
        from PIL import Image

        with Image.open(photo) as image:
            suffix = PHOTO_FORMATS[image.format]
        photo.seek(0)
        # A fresh name: the file's own name may say who the person is.
        profile.photo.save(f"{uuid.uuid4().hex}{suffix}", photo, save=False)
    if old and old != profile.photo.name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def mentor_profile_save(
    *,
    user,
    fields: dict,
    skills: Iterable[Skill] | None = None,
    photo=None,
    site_ids: Iterable[int] = (),
) -> MentorProfile:
    """Create or update the person's mentor profile.

    ``skills`` (None: unchanged) must come from the lists of the sites the person applied
    to, or of ``site_ids`` (the site they are applying to now). ``photo``: an uploaded image,
    ``REMOVE``, or None to keep the one there is. A photo needs its description.
    """
    cleaned = _clean_fields(fields)
    profile = _locked_profile(user)
    if profile is None:
        try:
            with transaction.atomic():
                profile = MentorProfile.objects.create(
                    user=user, kind=cleaned.get("kind", MentorProfile.Kind.VOLUNTEER)
                )
        except IntegrityError:  # the same person's second request, at the same moment
            profile = _locked_profile(user)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    if photo is not None:
        _set_photo(profile, photo)
    if profile.photo and not profile.photo_alt:
        raise ValidationError(
            {"photo_alt": _("Say what the photo shows, for people who cannot see it.")}
        )
    profile.save()
    if skills is not None:
        skills = list(skills)
        allowed = set(site_ids) | set(profile.memberships.values_list("site_id", flat=True))
        if any(skill.site_id not in allowed for skill in skills):
            raise ValidationError({"skills": _("Choose skills from the list.")})
        profile.skills.set(skills)
    return profile


@transaction.atomic
def mentor_availability_save(
    *, profile: MentorProfile, windows: list[dict], exceptions: list[dict]
) -> None:
    """Replace the mentor's weekly hours and time away with these (Europe/Rome time).

    ``windows``: ``{"weekday", "starts", "ends"}``; ``exceptions``: ``{"starts_on",
    "ends_on", "note"}``. Saving the same twice leaves the same rows."""
    MentorProfile.objects.select_for_update().get(pk=profile.pk)
    problems = window_problems(windows)
    if problems:
        raise ValidationError(problems[0][1])
    for exception in exceptions:
        if exception["ends_on"] < exception["starts_on"]:
            raise ValidationError(_("The last day away must be on or after the first."))
    profile.windows.all().delete()
    profile.exceptions.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            profile=profile, weekday=w["weekday"], starts=w["starts"], ends=w["ends"]
        )
        for w in windows
    )
    AvailabilityException.objects.bulk_create(
        AvailabilityException(
            profile=profile,
            starts_on=e["starts_on"],
            ends_on=e["ends_on"],
            note=(e.get("note") or "").strip(),
        )
        for e in exceptions
    )


def window_problems(windows: list[dict]) -> list[tuple[int, str]]:
    """The rule for weekly hours, for the form and the service alike: each ends after it
    starts, and no two on the same day overlap. Returns ``(index, message)`` pairs."""
    problems = []
    for index, window in enumerate(windows):
        if window["ends"] <= window["starts"]:
            problems.append((index, _("The end must be after the start.")))
    ordered = sorted(
        (w["weekday"], w["starts"], w["ends"], i)
        for i, w in enumerate(windows)
        if w["ends"] > w["starts"]
    )
    latest_end: dict = {}  # per day: the latest end of the windows seen so far
    for day, starts, ends, index in ordered:
        if day in latest_end and starts < latest_end[day]:
            problems.append((index, _("This overlaps another time on the same day.")))
        latest_end[day] = max(ends, latest_end.get(day, ends))
    return problems


# --- Memberships -----------------------------------------------------------------------------


def _log(membership: MentorMembership, action: str, by, now, **data) -> None:
    log(
        instance=membership,
        action=action,
        user=by,
        data={"site": membership.site_id, **data},
        timestamp=now,
    )


def _grant_mentor_role(user, site_id) -> None:
    """The Mentor group only. Never a staff site assignment: it is not tied to one role, so
    it would make a coordinator of another site a coordinator of this one too. What a mentor
    may see comes from their memberships and accepted matches (``mentors.selectors``)."""
    group, _created = Group.objects.get_or_create(name=app_settings.MENTOR_GROUP)
    user.groups.add(group)


def _withdraw_mentor_role(user, site_id) -> None:
    still_mentor = MentorMembership.objects.filter(profile__user=user, status__in=WORKING).exists()
    if not still_mentor:
        user.groups.remove(*Group.objects.filter(name=app_settings.MENTOR_GROUP))


def _move(
    *, membership: MentorMembership, to: str, by, reason: str, action: str, now
) -> MentorMembership:
    locked = (
        MentorMembership.objects.select_for_update()
        .select_related("profile__user", "site")
        .get(pk=membership.pk)
    )
    if locked.status == to:
        # A second click of the same button: already done.
        return locked
    if to not in MentorMembership.TRANSITIONS[locked.status]:
        raise ValidationError(
            _("This membership is %(status)s: it cannot be changed that way.")
            % {"status": locked.get_status_display().lower()}
        )
    previous = locked.status
    locked.status = to
    locked.reason = reason
    locked.decided_by = by
    locked.decided_at = now
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _log(locked, action, by, now, **{"from": previous, "to": to, "reason": reason})
    return locked


@transaction.atomic
def mentor_apply(
    *,
    user,
    site,
    fields: dict,
    skills: Iterable[Skill],
    motivation: str,
    photo=None,
    now=None,
) -> MentorMembership:
    """The person applies to mentor on ``site``: their profile is saved and their membership
    is waiting for a coordinator. Applying again while waiting updates the motivation; after
    an end or a refusal it is a new application; an active mentor is told so."""
    now = now or timezone.now()
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": _("Tell the coordinators why you want to mentor.")})
    if len(motivation) > BIO_MAX_LENGTH:
        raise ValidationError(
            {"motivation": _("Keep it under %(max)d characters.") % {"max": BIO_MAX_LENGTH}}
        )
    profile = mentor_profile_save(
        user=user, fields=fields, skills=skills, photo=photo, site_ids={site.pk}
    )
    membership = (
        MentorMembership.objects.select_for_update().filter(profile=profile, site=site).first()
    )
    if membership is None:
        try:
            with transaction.atomic():
                membership = MentorMembership.objects.create(
                    profile=profile, site=site, motivation=motivation
                )
        except IntegrityError:  # a second submit of the same form, at the same moment
            return MentorMembership.objects.get(profile=profile, site=site)
        _log(membership, LOG_APPLY, user, now, to=Status.APPLIED)
        return membership
    if membership.status in WORKING:
        raise ValidationError(_("You already mentor in this municipality."))
    if membership.status != Status.APPLIED:
        membership = _move(
            membership=membership, to=Status.APPLIED, by=user, reason="", action=LOG_APPLY, now=now
        )
        # A new application: the earlier decision is in the log, not on the row.
        membership.decided_by = membership.decided_at = None
        membership.applied_at = now
    membership.motivation = motivation
    MentorMembership.objects.filter(pk=membership.pk).update(
        motivation=motivation,
        decided_by=membership.decided_by,
        decided_at=membership.decided_at,
        applied_at=membership.applied_at,
    )
    return membership


@transaction.atomic
def membership_decide(
    *, membership: MentorMembership, by, approve: bool, reason: str = "", now=None
) -> MentorMembership:
    """A coordinator of the site accepts the application (the person becomes a mentor of the
    site) or refuses it, saying why."""
    now = now or timezone.now()
    if not _is_coordinator(by, membership.site_id):
        raise PermissionDenied
    reason = _reason(
        reason,
        required=not approve,
        message=_("Say why the application is not accepted: the person will read it."),
    )
    to = Status.APPROVED if approve else Status.REJECTED
    moved = _move(
        membership=membership,
        to=to,
        by=by,
        reason=reason,
        action=LOG_APPROVE if approve else LOG_REJECT,
        now=now,
    )
    if approve:
        _grant_mentor_role(moved.profile.user, moved.site_id)
    return moved


def _step_back(*, membership: MentorMembership, by, reason: str, to: str, action: str, now):
    """Pause or end: the mentees of the site are flagged for a new mentor (and, on ending,
    the matches end and the person stops being the site's mentor). Once per move."""
    now = now or timezone.now()
    if not may_change_membership(by, membership):
        raise PermissionDenied
    reason = _reason(reason, required=True)
    was = membership.status
    moved = _move(membership=membership, to=to, by=by, reason=reason, action=action, now=now)
    if was != to:
        ending = to == Status.ENDED
        matches_flag_for_rematch(
            mentor=moved.profile, site_id=moved.site_id, by=by, reason=reason, end=ending, now=now
        )
        if ending:
            _withdraw_mentor_role(moved.profile.user, moved.site_id)
    return moved


@transaction.atomic
def membership_pause(
    *, membership: MentorMembership, by, reason: str, now=None
) -> MentorMembership:
    """The mentor, or a coordinator of the site, pauses: no new mentees, and the mentees
    they have on the site are flagged for a new match."""
    return _step_back(
        membership=membership, by=by, reason=reason, to=Status.PAUSED, action=LOG_PAUSE, now=now
    )


@transaction.atomic
def membership_resume(
    *, membership: MentorMembership, by, reason: str = "", now=None
) -> MentorMembership:
    """Back from a pause: proposals come again."""
    now = now or timezone.now()
    # Who paused it is read from the row itself, not from a copy the caller may hold.
    membership = MentorMembership.objects.select_for_update().get(pk=membership.pk)
    if not may_resume(by, membership):
        raise PermissionDenied
    reason = _reason(reason, required=False)
    if membership.status == Status.APPLIED:
        raise ValidationError(_("This application is still waiting for a decision."))
    moved = _move(
        membership=membership, to=Status.APPROVED, by=by, reason=reason, action=LOG_RESUME, now=now
    )
    _grant_mentor_role(moved.profile.user, moved.site_id)
    return moved


@transaction.atomic
def membership_end(*, membership: MentorMembership, by, reason: str, now=None) -> MentorMembership:
    """The mentor leaves the site, or a coordinator of it ends their membership: their
    matches there end (the mentees go back to the pool) and they stop being its mentor."""
    return _step_back(
        membership=membership, by=by, reason=reason, to=Status.ENDED, action=LOG_END, now=now
    )
