"""Mentoring's personal data: what it holds about a participant and about a mentor.

Registered in ``wagtail_hooks.py`` under the hook ``register_personal_data``; the registry
(``coaching.personal_data``) walks it for a person's export and erasure, so erasing a
participant through coaching's normal flow (``participant_erase``) erases their mentoring too.

For a participant (or one participation of theirs, ``erase_participation``): their matches
(mentor, dates, status), sessions (time, status, minutes, summary), action items, their
feedback and the messages of their threads. Erased: the
messages both ways, the mentor's private notes on their sessions, the action items, the
feedback comments, the sessions' summaries, places and links, and the free text of their
matches (reasons, the matching's reasons). Kept for the ESF+ audit: each session's time,
status and minutes held, and the matches' history, linked only to the participant reference.

For a mentor (a person with a ``MentorProfile``): their profile, weekly hours, time away,
memberships, the notes they wrote and the messages they sent. Erased: bio, photo,
organisation and the rest that identifies them on the profile, their hours and time away, the
notes and their messages; their memberships end, as if they left (their mentees go back to the
pool). Kept, anonymised: the memberships and matches, as the programme's history (the account
itself is anonymised by coaching's provider).
"""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coaching.models import Language, MeetingMode, Sector
from coaching.personal_data import ANONYMISED, DELETED, KEPT
from coaching.services.data import ESF_AUDIT
from mentors.models import (
    ActionItem,
    AvailabilityException,
    AvailabilityWindow,
    CalendarFeed,
    ChangeRequest,
    Match,
    MatchEvent,
    MentorMembership,
    MentorNote,
    MentorProfile,
    Message,
    Session,
    SessionFeedback,
)
from mentors.services.profiles import WORKING, membership_end

PROVIDER_KEY = "mentors"


def _when(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _iso(value):
    return value.isoformat() if value else None


def _labels(codes, choices) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or ()) or "—"


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# --- The participant's side ------------------------------------------------------------------


def _participant_sections(user) -> list[dict]:
    matches = list(
        Match.objects.filter(participant__user=user)
        .select_related("mentor__user")
        .order_by("created_at", "pk")
    )
    if not matches:
        return []
    sessions = list(
        Session.objects.filter(participant__user=user)
        .select_related("mentor__user")
        .order_by("starts_at", "pk")
    )
    items = list(ActionItem.objects.filter(match__participant__user=user).order_by("created_at"))
    feedback = list(
        SessionFeedback.objects.filter(session__participant__user=user)
        .select_related("session")
        .order_by("created_at")
    )
    thread = list(
        Message.objects.filter(match__participant__user=user)
        .select_related("sender", "match__mentor__user")
        .order_by("created_at", "pk")
    )

    def minutes(session) -> str:
        if session.minutes_held is None:
            return ""
        return " · " + _("%(minutes)s minutes") % {"minutes": session.minutes_held}

    return [
        {
            "title": _("Your mentors"),
            "intro": _("The mentors proposed to you or who mentored you, and when."),
            "rows": [
                (
                    str(m.mentor),
                    f"{m.get_status_display()} · {_when(m.created_at)}"
                    + (f" – {_when(m.ended_at)}" if m.ended_at else ""),
                )
                for m in matches
            ],
            "data": [
                {
                    "mentor": str(m.mentor),
                    "status": m.status,
                    "proposed_at": _iso(m.created_at),
                    "accepted_at": _iso(m.accepted_at),
                    "ended_at": _iso(m.ended_at),
                    "end_reason": m.end_reason,
                }
                for m in matches
            ],
        },
        {
            "title": _("Mentoring sessions"),
            "rows": [
                (
                    _when(s.starts_at),
                    f"{s.get_status_display()}{minutes(s)}"
                    + (f" · {s.summary}" if s.summary else ""),
                )
                for s in sessions
            ],
            "data": [
                {
                    "mentor": str(s.mentor),
                    "starts_at": _iso(s.starts_at),
                    "ends_at": _iso(s.ends_at),
                    "mode": s.mode,
                    "place": s.place,
                    "link": s.link,
                    "status": s.status,
                    "minutes_held": s.minutes_held,
                    "summary": s.summary,
                    "cancel_reason": s.cancel_reason,
                }
                for s in sessions
            ],
        },
        {
            "title": _("Action items"),
            "rows": [
                (
                    i.text,
                    " · ".join(
                        [str(i.get_owner_display())]
                        + ([_("by %(date)s") % {"date": _when(i.due_on)}] if i.due_on else [])
                        + ([_("done %(when)s") % {"when": _when(i.done_at)}] if i.done_at else [])
                    ),
                )
                for i in items
            ],
            "data": [
                {
                    "text": i.text,
                    "owner": i.owner,
                    "due_on": _iso(i.due_on),
                    "done_at": _iso(i.done_at),
                }
                for i in items
            ],
        },
        {
            "title": _("Your feedback on the sessions"),
            "rows": [
                (
                    _when(f.session.starts_at),
                    _("%(useful)s out of 5") % {"useful": f.useful}
                    + (f" · {f.comment}" if f.comment else ""),
                )
                for f in feedback
            ],
            "data": [
                {
                    "session_starts_at": _iso(f.session.starts_at),
                    "useful": f.useful,
                    "comment": f.comment,
                    "given_at": _iso(f.created_at),
                }
                for f in feedback
            ],
        },
        {
            "title": _("Messages with your mentors"),
            "rows": [
                (
                    f"{_when(m.created_at)} · "
                    + (_("you") if m.sender_id == user.pk else str(m.match.mentor)),
                    m.body,
                )
                for m in thread
            ],
            "data": [
                {
                    "from": "you" if m.sender_id == user.pk else "mentor",
                    "mentor": str(m.match.mentor),
                    "sent_at": _iso(m.created_at),
                    "read_at": _iso(m.read_at),
                    "body": m.body,
                }
                for m in thread
            ],
        },
    ]


def _participant_erase(**whose) -> None:
    """Erase the mentoring of the participations ``whose`` names: ``participant__user=user``
    for the person, ``participant=participant`` for one participation."""
    matches = Match.objects.filter(**whose)
    sessions = Session.objects.filter(**whose)
    Message.objects.filter(match__in=matches).delete()
    MentorNote.objects.filter(session__in=sessions).delete()
    ActionItem.objects.filter(match__in=matches).delete()
    SessionFeedback.objects.filter(session__in=sessions).update(comment="")
    sessions.update(summary="", place="", link="", cancel_reason="")
    matches.update(end_reason="", terms=[])
    MatchEvent.objects.filter(match__in=matches).update(reason="")
    ChangeRequest.objects.filter(**whose).update(reason="")


def _participant_plan() -> list[dict]:
    return [
        {
            "action": DELETED,
            "what": _(
                "Messages with your mentors (both ways), the mentors' private notes on your "
                "sessions, and the action items"
            ),
        },
        {
            "action": ANONYMISED,
            "what": _(
                "Session summaries, places and links, your feedback comments, and the reasons "
                "given for your matches"
            ),
        },
        {
            "action": KEPT,
            "what": _(
                "Each session's time, status and minutes held, your feedback scores, and the "
                "history of your matches"
            ),
            "why": str(ESF_AUDIT),
        },
    ]


# --- The mentor's side -----------------------------------------------------------------------


def _mentor_sections(profile: MentorProfile, user) -> list[dict]:
    windows = list(AvailabilityWindow.objects.filter(profile=profile))
    away = list(AvailabilityException.objects.filter(profile=profile))
    memberships = list(MentorMembership.objects.filter(profile=profile).select_related("site"))
    notes = list(
        MentorNote.objects.filter(author=user).select_related("session").order_by("created_at")
    )
    sent = list(Message.objects.filter(sender=user, match__mentor=profile).order_by("created_at"))
    skills = ", ".join(skill.name for skill in profile.skills.all()) or "—"
    rows = [
        (_("Kind of mentor"), profile.get_kind_display()),
        (_("Organisation"), profile.organisation or "—"),
        (_("About you"), profile.bio or "—"),
        (_("Photo"), profile.photo.name or "—"),
        (_("Description of the photo"), profile.photo_alt or "—"),
        (_("Gender"), profile.get_gender_display() or "—"),
        (_("Sectors you know"), _labels(profile.sectors, Sector.choices)),
        (_("Skills"), skills),
        (_("Languages you speak"), _labels(profile.languages, Language.choices)),
        (_("Municipality"), profile.municipality or "—"),
        (_("How you meet"), _labels(profile.meeting_modes, MeetingMode.choices)),
        (_("Mentees at a time"), str(profile.capacity)),
    ]
    return [
        {
            "title": _("Your mentor profile"),
            "rows": rows,
            "data": {
                "kind": profile.kind,
                "organisation": profile.organisation,
                "bio": profile.bio,
                "photo": profile.photo.name,
                "photo_alt": profile.photo_alt,
                "gender": profile.gender,
                "sectors": profile.sectors,
                "skills": [skill.name for skill in profile.skills.all()],
                "languages": profile.languages,
                "municipality": profile.municipality,
                "meeting_modes": profile.meeting_modes,
                "capacity": profile.capacity,
                "created_at": _iso(profile.created_at),
            },
        },
        {
            "title": _("Your weekly availability and time away"),
            "rows": [
                (str(w.get_weekday_display()), f"{w.starts:%H:%M}–{w.ends:%H:%M}") for w in windows
            ]
            + [
                (_("Away"), f"{_when(e.starts_on)} – {_when(e.ends_on)} {e.note}".strip())
                for e in away
            ],
            "data": {
                "weekly": [
                    {"weekday": w.weekday, "from": f"{w.starts:%H:%M}", "to": f"{w.ends:%H:%M}"}
                    for w in windows
                ],
                "away": [
                    {"from": _iso(e.starts_on), "to": _iso(e.ends_on), "note": e.note} for e in away
                ],
            },
        },
        {
            "title": _("Your memberships"),
            "rows": [
                (
                    m.site.site_name or m.site.hostname,
                    f"{m.get_status_display()} · {_when(m.applied_at)}",
                )
                for m in memberships
            ],
            "data": [
                {
                    "site": m.site.site_name or m.site.hostname,
                    "status": m.status,
                    "applied_at": _iso(m.applied_at),
                    "decided_at": _iso(m.decided_at),
                    "motivation": m.motivation,
                    "reason": m.reason,
                }
                for m in memberships
            ],
        },
        {
            "title": _("Your private notes on sessions"),
            "rows": [(_when(n.session.starts_at), n.body) for n in notes],
            "data": [
                {
                    "session_starts_at": _iso(n.session.starts_at),
                    "note": n.body,
                    "written_at": _iso(n.created_at),
                }
                for n in notes
            ],
        },
        {
            "title": _("Messages you wrote as a mentor"),
            "rows": [(_when(m.created_at), m.body) for m in sent],
            "data": [{"sent_at": _iso(m.created_at), "body": m.body} for m in sent],
        },
    ]


def _mentor_erase(profile: MentorProfile, user) -> None:
    if profile.photo:
        storage, name = profile.photo.storage, profile.photo.name
        # The file goes once the erasure is committed: a rollback keeps the profile whole.
        transaction.on_commit(lambda: storage.delete(name))
    MentorProfile.objects.filter(pk=profile.pk).update(
        bio="", photo="", photo_alt="", organisation="", municipality="", gender=""
    )
    AvailabilityWindow.objects.filter(profile=profile).delete()
    AvailabilityException.objects.filter(profile=profile).delete()
    MentorMembership.objects.filter(profile=profile).update(motivation="", reason="")
    MentorNote.objects.filter(author=user).delete()
    Message.objects.filter(sender=user, match__mentor=profile).delete()
    # An erased mentor mentors no more: they leave every site as if they had asked (their
    # mentees go back to the pool), and an application still waiting is closed.
    why = _("The mentor's personal data was erased.")
    for membership in MentorMembership.objects.filter(profile=profile, status__in=WORKING):
        membership_end(membership=membership, by=user, reason=why)
    MentorMembership.objects.filter(profile=profile, status=MentorMembership.Status.APPLIED).update(
        status=MentorMembership.Status.REJECTED, reason=why
    )


def _mentor_plan() -> list[dict]:
    return [
        {
            "action": DELETED,
            "what": _(
                "Your private notes, the messages you wrote as a mentor, your weekly hours "
                "and time away"
            ),
        },
        {
            "action": ANONYMISED,
            "what": _(
                "Your mentor profile: about you, photo, organisation, municipality, gender; "
                "your reasons in the memberships"
            ),
        },
        {
            "action": KEPT,
            "what": _(
                "Your memberships (ended) and the matches and sessions you mentored, without "
                "your name"
            ),
            "why": str(ESF_AUDIT),
        },
    ]


class MentoringPersonalData:
    """Matches, sessions, action items, feedback and messages of a participant; the profile,
    hours, memberships, notes and messages of a mentor."""

    key = PROVIDER_KEY

    def export(self, *, user, by):
        sections = _participant_sections(user)
        profile = MentorProfile.objects.filter(user=user).first()
        if profile is not None:
            sections += _mentor_sections(profile, user)
        return sections

    def erase(self, *, user, by, reason, now):
        plan = self.erasure_plan(user=user)
        with transaction.atomic():
            _participant_erase(participant__user=user)
            profile = MentorProfile.objects.filter(user=user).first()
            if profile is not None:
                _mentor_erase(profile, user)
            CalendarFeed.objects.filter(user=user).delete()
        return plan

    def erase_participation(self, *, participant, by, reason, now):
        """One participation's mentoring, while the person's other participation stays."""
        plan = self.participation_erasure_plan(participant=participant)
        with transaction.atomic():
            _participant_erase(participant=participant)
        return plan

    def participation_erasure_plan(self, *, participant):
        return _participant_plan() if Match.objects.filter(participant=participant).exists() else []

    def erasure_plan(self, *, user):
        plan = []
        if Match.objects.filter(participant__user=user).exists():
            plan += _participant_plan()
        if MentorProfile.objects.filter(user=user).exists():
            plan += _mentor_plan()
        return plan
