"""Demo data for ``manage.py load_demo``: the skills list and the mentoring plan of the site,
in Italian and English, and the demo mentor with a profile, an accepted mentee (Marco), one
session held (summary, action item, feedback) and one to come.

Idempotent: every record is found by its natural key first, what exists is never changed (an
editor's or a coordinator's changes stay), and the match moves only through
``mentors.services.matches``.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Locale

from coaching.models import MeetingMode, Need, Participant, Stage
from mentors import roles
from mentors.models import (
    ActionItem,
    AvailabilityWindow,
    Match,
    MentorMembership,
    MentorProfile,
    Milestone,
    Session,
    SessionFeedback,
    Skill,
)
from mentors.services import matches

ROME = ZoneInfo("Europe/Rome")

#: (Italian name, English name, the needs it helps with).
SKILLS = [
    ("Marketing e vendite", "Marketing and sales", [Need.BUSINESS_PLAN]),
    ("Contabilità e fisco", "Accounting and tax", [Need.LEGAL, Need.FUNDING]),
    ("Aspetti legali e permessi", "Legal matters and permits", [Need.LEGAL]),
    ("Digitale e vendita online", "Digital and online sales", [Need.TRAINING]),
    ("Economia verde", "Green economy", [Need.TRAINING, Need.FUNDING]),
    ("Artigianato", "Crafts", [Need.TRAINING]),
    ("Cibo e ristorazione", "Food and catering", [Need.TRAINING, Need.LEGAL]),
    ("Piano d'impresa", "Business plan", [Need.BUSINESS_PLAN, Need.FUNDING]),
    ("Finanziamenti e microcredito", "Funding and microcredit", [Need.FUNDING]),
    ("Italiano per il lavoro", "Italian for work", [Need.LANGUAGE]),
]

#: (Italian name, English name, Italian description, English description, stage reached).
MILESTONES = [
    (
        "Idea verificata",
        "Idea validated",
        "Hai parlato con possibili clienti e sai chi comprerà.",
        "You have talked to possible customers and know who will buy.",
        "",
    ),
    (
        "Piano d'impresa scritto",
        "Business plan drafted",
        "La prima versione del piano è pronta.",
        "The first version of the plan is ready.",
        Stage.BUSINESS_PLAN,
    ),
    (
        "Piano rivisto con il mentore",
        "Plan reviewed with the mentor",
        "Il mentore ha letto il piano e lo avete corretto insieme.",
        "Your mentor has read the plan and you have corrected it together.",
        "",
    ),
    (
        "Domanda di contributo inviata",
        "Grant applied for",
        "Hai inviato la domanda per il microcontributo.",
        "You have sent the application for the microgrant.",
        Stage.FUNDING,
    ),
    (
        "Attività registrata",
        "Business registered",
        "L'attività è registrata e hai la partita IVA.",
        "The business is registered and you have a VAT number.",
        Stage.START_UP,
    ),
]

PROFILE = {
    "kind": MentorProfile.Kind.PROFESSIONAL,
    "organisation": "Studio Esposito, commercialisti",
    "bio": (
        "Commercialista da quindici anni, aiuto chi apre una piccola attività a mettere in "
        "regola conti, tasse e permessi. Parlo italiano, inglese e francese."
    ),
    "gender": "woman",
    "sectors": ["food", "trade", "crafts"],
    "languages": ["it", "en", "fr"],
    "municipality": "Napoli",
    "meeting_modes": [MeetingMode.IN_PERSON, MeetingMode.REMOTE],
    "capacity": 3,
}
#: The demo mentor's skills, by their Italian names in ``SKILLS``.
PROFILE_SKILLS = ["Contabilità e fisco", "Aspetti legali e permessi", "Cibo e ristorazione"]
#: Weekly hours (day, from, to), Europe/Rome.
WINDOWS = [
    (1, datetime.time(15), datetime.time(18)),
    (3, datetime.time(9), datetime.time(13)),
]

SUMMARY = (
    "Abbiamo guardato i costi per il banco al mercato e le licenze necessarie. Marco porta "
    "al prossimo incontro i preventivi dell'attrezzatura."
)
ACTION_ITEM = "Chiedere due preventivi per il banco e l'attrezzatura"


def _translations(source, english: Locale, fields: dict):
    """The English copy of ``source``, made once (as wagtail-localize would)."""
    existing = source.get_translation_or_none(english)
    if existing is not None:
        return existing
    copy = source.copy_for_translation(english)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def load_skills(*, site, italian: Locale, english: Locale) -> dict[str, Skill]:
    skills = {}
    for order, (name_it, name_en, needs) in enumerate(SKILLS):
        skill, _ = Skill.objects.get_or_create(
            site=site,
            locale=italian,
            name=name_it,
            defaults={"meets_needs": [str(n) for n in needs], "sort_order": order},
        )
        _translations(skill, english, {"name": name_en})
        skills[name_it] = skill
    return skills


def load_milestones(*, site, italian: Locale, english: Locale) -> list[Milestone]:
    milestones = []
    for order, (name_it, name_en, text_it, text_en, stage) in enumerate(MILESTONES):
        milestone, _ = Milestone.objects.get_or_create(
            site=site,
            locale=italian,
            name=name_it,
            defaults={"description": text_it, "stage": stage, "sort_order": order},
        )
        _translations(milestone, english, {"name": name_en, "description": text_en})
        milestones.append(milestone)
    return milestones


def load_mentor(*, user, site, coordinator, skills: dict[str, Skill]) -> MentorProfile:
    profile, created = MentorProfile.objects.get_or_create(user=user, defaults=PROFILE)
    if created:
        profile.skills.set([skills[name] for name in PROFILE_SKILLS])
        for weekday, starts, ends in WINDOWS:
            AvailabilityWindow.objects.create(
                profile=profile, weekday=weekday, starts=starts, ends=ends
            )
    MentorMembership.objects.get_or_create(
        profile=profile,
        site=site,
        defaults={
            "status": MentorMembership.Status.APPROVED,
            "motivation": "Voglio restituire quello che ho imparato.",
            "decided_by": coordinator,
            "decided_at": timezone.now(),
        },
    )
    return profile


def load_match(*, participant, profile, coordinator) -> Match | None:
    """Marco's match with the demo mentor, proposed, confirmed and accepted through the
    service. None when Marco has another mentor, or cannot have one (not on the path)."""
    match = participant.mentor_matches.filter(status__in=Match.OPEN).first()
    if match is None:
        if participant.status != Participant.Status.ELIGIBLE:
            return None
        match = matches.match_propose(
            participant=participant,
            mentor=profile,
            by=coordinator,
            reason="Demo: la mentore conosce il settore alimentare.",
        )
    if match.mentor_id != profile.pk:
        return None
    if match.status == Match.Status.PROPOSED:
        match = matches.match_confirm(match=match, by=coordinator)
    if match.status == Match.Status.CONFIRMED:
        match = matches.match_accept(match=match, by=profile.user)
    return match


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ROME)


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def load_sessions(*, match: Match, now) -> None:
    """One session held last week or before (Tuesday 15:00, 55 minutes, a summary, an action
    item and the participant's feedback) and one confirmed for a Thursday to come."""
    today = timezone.localdate(now)
    if not match.sessions.filter(status=Session.Status.HELD).exists():
        day = _weekday_on_or_after(today - datetime.timedelta(days=13), 1)
        held = Session.objects.create(
            match=match,
            mentor=match.mentor,
            participant=match.participant,
            starts_at=_at(day, 15),
            ends_at=_at(day, 16),
            mode=MeetingMode.IN_PERSON,
            place="Sportello Avvio, via Roma 1",
            status=Session.Status.HELD,
            requested_by=match.participant.user,
            summary=SUMMARY,
            minutes_held=55,
        )
        ActionItem.objects.create(
            match=match,
            session=held,
            text=ACTION_ITEM,
            owner=ActionItem.Owner.PARTICIPANT,
            due_on=today + datetime.timedelta(days=5),
            created_by=match.mentor.user,
        )
        SessionFeedback.objects.create(session=held, useful=4, comment="Molto chiaro, grazie.")
    upcoming = match.sessions.filter(status=Session.Status.CONFIRMED, ends_at__gt=now)
    if not upcoming.exists():
        day = _weekday_on_or_after(today + datetime.timedelta(days=2), 3)
        Session.objects.create(
            match=match,
            mentor=match.mentor,
            participant=match.participant,
            starts_at=_at(day, 10),
            ends_at=_at(day, 11),
            mode=MeetingMode.REMOTE,
            link="https://meet.example.org/avvio-demo",
            status=Session.Status.CONFIRMED,
            requested_by=match.mentor.user,
        )


def load(*, site, home_page, users, stdout):
    italian = Locale.objects.get(language_code="it")
    english = Locale.objects.get_or_create(language_code="en")[0]
    skills = load_skills(site=site, italian=italian, english=english)
    milestones = load_milestones(site=site, italian=italian, english=english)
    mentor_user = users.get(roles.MENTOR)
    coordinator = users.get(roles.COORDINATOR)
    match = None
    if mentor_user is not None:
        profile = load_mentor(user=mentor_user, site=site, coordinator=coordinator, skills=skills)
        marco = Participant.objects.filter(user__email="marco.demo@example.org", site=site).first()
        if marco is not None:
            match = load_match(participant=marco, profile=profile, coordinator=coordinator)
        if match is not None:
            load_sessions(match=match, now=timezone.now())
    stdout.write(
        f"Mentoring: {len(skills)} skills, {len(milestones)} milestones"
        f"{', Marco mentored by ' + str(match.mentor) if match else ''}.\n"
    )
