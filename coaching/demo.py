"""Demo data for ``manage.py load_demo``: a cohort, checklists, participants at several stages.

Idempotent: everything is keyed on natural keys and the services skip what is already done.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from coaching import roles, services
from coaching.models import (
    ChecklistItem,
    Cohort,
    Participant,
    PrivacyNotice,
    StaffSiteAssignment,
    Stage,
)

# Coordinators write the checklist in the municipality's language (items are not translated
# yet: see the closing note of issue 5), so the demo writes it in Italian.
CHECKLISTS = {
    Stage.INTAKE: ["Completa tutti i passi della domanda"],
    Stage.ORIENTATION: ["Vieni all'incontro di benvenuto", "Leggi la guida al percorso"],
    Stage.TRAINING: ["Scegli un corso nella biblioteca", "Completa la prima lezione"],
    Stage.MENTORING: ["Prenota il primo incontro con il tuo mentore"],
    Stage.BUSINESS_PLAN: ["Scrivi la prima versione del tuo piano d'impresa"],
    Stage.FUNDING: ["Leggi il bando per i microcontributi"],
    Stage.START_UP: ["Registra la tua attività e apri la partita IVA"],
    Stage.FOLLOW_UP: ["Rispondi alle domande di verifica"],
    Stage.EXIT: ["Raccontaci come stai andando dopo il percorso"],
}

#: A complete intake, as its services take it (``coaching.intake.STEPS``): the demo
#: participants' answers, and the test factories' (``tests/coaching/factories.py``).
ANSWERS = {
    "contact": {
        "preferred_name": "Amina",
        "legal_name": "",
        "phone": "333 1234567",
        "municipality": "Napoli",
        "languages": "Italiano",
    },
    "about": {
        "birth_year": 1990,
        "birth_month": 5,
        "gender": "woman",
        "citizenship": "non_eu",
        "foreign_background": "yes",
    },
    "work": {
        "labour_status": "unemployed",
        "unemployed_months": 18,
        "works_without_contract": "yes",
        "in_education": False,
    },
    "education": {"education_level": "isced_2", "housing": "insecure"},
    "idea": {
        "idea_sector": "food",
        "idea_stage": "selling",
        "idea_description": "Cibo di strada senegalese al mercato",
    },
    "needs": {
        "needs": ["mentor", "legal"],
        "preferred_languages": ["it", "fr"],
        "meeting_modes": ["in_person", "remote"],
        "availability": ["0-morning", "1-morning", "2-morning", "3-morning", "4-morning"],
        "mentor_gender": "any",
    },
    "consent": {"privacy_notice": True, "share_with_mentor": True, "follow_up_contact": True},
}

PEOPLE = [
    ("amina.demo@example.org", "Amina", "Diallo", Stage.TRAINING),
    ("marco.demo@example.org", "Marco", "Esposito", Stage.MENTORING),
    ("ioana.demo@example.org", "Ioana", "Popescu", Stage.EXIT),
]


#: The demo municipality's notice: the full text is the host's page with this slug, in Italian
#: and English (``portal_site.core.demo_privacy``).
PRIVACY_NOTICE_VERSION = "2026-01"
PRIVACY_PAGE_SLUG = "privacy"


def load_privacy_notice(*, site, home_page) -> PrivacyNotice:
    """The site's own notice, linked to its full text page, once (what people read is frozen)."""
    page = Page.objects.child_of(home_page).filter(slug=PRIVACY_PAGE_SLUG).first()
    notice, _ = PrivacyNotice.objects.get_or_create(
        site=site,
        version=PRIVACY_NOTICE_VERSION,
        defaults={"page": page, "published_at": timezone.now()},
    )
    return notice


def answers_for(name: str) -> dict:
    """The demo's complete intake (``ANSWERS``), with the name this person uses."""
    return {**ANSWERS, "contact": {**ANSWERS["contact"], "preferred_name": name}}


def _enrol(user, site, coordinator, stage, now, name):
    participant = services.participant_start(user=user, site=site)
    if participant.status == Participant.Status.DRAFT:
        for step, data in answers_for(name).items():
            participant = services.intake_save_step(
                participant=participant, step=step, data=data, by=user, now=now
            )
        participant = services.participant_submit(participant=participant, by=user, now=now)
    if stage is None:
        return participant
    if participant.status == Participant.Status.SUBMITTED:
        participant = services.participant_decide(
            participant=participant, eligible=True, reason="", by=coordinator, now=now
        )
    if stage == Stage.EXIT:
        if participant.status == Participant.Status.ELIGIBLE:
            services.participant_exit(
                participant=participant,
                by=coordinator,
                exit_date=timezone.localdate() - datetime.timedelta(days=30),
                in_employment=True,
                business_registered=True,
                registration_date=timezone.localdate() - datetime.timedelta(days=40),
                legal_form="flat_rate",
                vat_number="01114601006",
            )
    elif participant.status == Participant.Status.ELIGIBLE:
        services.stage_change(participant=participant, to_stage=stage, by=coordinator, now=now)
    return participant


def load(*, site, home_page, users, stdout):
    coordinator = users.get(roles.COORDINATOR)
    if coordinator is not None:
        StaffSiteAssignment.objects.get_or_create(user=coordinator, site=site)
    today = timezone.localdate()
    cohort, _ = Cohort.objects.get_or_create(
        site=site,
        name="Primavera 2026",
        defaults={
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=180),
            "capacity": 25,
        },
    )
    for stage, texts in CHECKLISTS.items():
        for order, text in enumerate(texts):
            ChecklistItem.objects.get_or_create(
                site=None, stage=stage, text=text, defaults={"sort_order": order}
            )
    load_privacy_notice(site=site, home_page=home_page)
    now = timezone.now()
    User = get_user_model()
    participant_user = users.get(roles.PARTICIPANT)
    if participant_user is not None:
        name = participant_user.first_name or ANSWERS["contact"]["preferred_name"]
        _enrol(participant_user, site, coordinator, None, now, name)
    for email, first, last, stage in PEOPLE:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save()
        participant = _enrol(user, site, coordinator, stage, now, first)
        if participant.cohort_id is None:
            Participant.objects.filter(pk=participant.pk).update(cohort=cohort)
    mentor = users.get(roles.MENTOR)
    if mentor is not None:
        # Mentors work for a site; their profile and mentees are the mentors app's demo data.
        StaffSiteAssignment.objects.get_or_create(user=mentor, site=site)
    stdout.write(
        f"Coaching: cohort '{cohort.name}', {ChecklistItem.objects.count()} checklist items, "
        f"{Participant.objects.filter(site=site).count()} participants.\n"
    )
