"""Factories and helpers for coaching tests."""

import copy

import factory
from wagtail.models import Site

from coaching import services
from coaching.demo import ANSWERS as DEMO_ANSWERS
from coaching.models import Cohort, Participant, StaffSiteAssignment
from tests.factories import UserFactory

#: The demo's complete intake (``coaching.demo.ANSWERS``), with an English idea the tests
#: look for and the special-category consent given, so that every step applies.
COMPLETE_ANSWERS = copy.deepcopy(DEMO_ANSWERS)
COMPLETE_ANSWERS["idea"]["idea_description"] = "Street food"
COMPLETE_ANSWERS["consent"]["special_category"] = True


class CohortFactory(factory.django.DjangoModelFactory):
    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.Faker("date_this_year")
    ends_on = factory.LazyAttribute(lambda o: o.starts_on.replace(year=o.starts_on.year + 1))
    capacity = 20

    class Meta:
        model = Cohort


def make_participant(*, user=None, site=None, status="draft", answers=True, by=None):
    """A participant with a complete intake, submitted or decided as asked."""
    user = user or UserFactory()
    site = site or Site.objects.get(is_default_site=True)
    participant = services.participant_start(user=user, site=site)
    if answers:
        for step, data in COMPLETE_ANSWERS.items():
            if step == "contact":
                # Greeted by the name they use, as in the intake.
                data = {**data, "preferred_name": user.first_name or data["preferred_name"]}
            participant = services.intake_save_step(
                participant=participant, step=step, data=data, by=user
            )
    if status in {"submitted", "eligible", "declined"}:
        participant = services.participant_submit(participant=participant, by=user)
    if status in {"eligible", "declined"}:
        participant = services.participant_decide(
            participant=participant,
            eligible=status == "eligible",
            reason="Test decision",
            by=by,
        )
    return Participant.objects.get(pk=participant.pk)


def assign(user, site=None):
    site = site or Site.objects.get(is_default_site=True)
    StaffSiteAssignment.objects.get_or_create(user=user, site=site)
    return user


def sign_in(client, user):
    """Staff pass the second factor as they must in the admin; others just sign in."""
    from django.core.cache import cache

    from tests.site.helpers_mfa import sign_in_with_totp

    if user.is_staff:
        client.logout()
        cache.clear()
        sign_in_with_totp(client, user, next_url="/admin/")
    else:
        client.force_login(user)


def enrol_assisted(client, coordinator, **extra):
    """A coordinator enrols Amina Diallo on the staff's assisted form, with a signed paper
    consent form; ``extra`` adds or replaces answers."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, coordinator)
    data = {
        "first_name": "Amina",
        "last_name": "Diallo",
        "email": "",
        "language": "it",
        "consent_method": "paper_form",
        "document": SimpleUploadedFile("consenso.pdf", b"%PDF-1.4 signed", "application/pdf"),
        "share_with_mentor": "on",
        **extra,
    }
    return client.post("/it/path/staff/enrol/", data)
