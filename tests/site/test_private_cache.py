"""Pages for a signed-in person are never kept by a browser's or a proxy's cache.

Every response to a signed-in person gets ``Cache-Control: private, no-store`` and
``Vary: Cookie``, whatever the view set; anonymous responses and static files are left as
they are (a later issue makes public pages cacheable).
"""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.cache import cc_delim_re

from coaching.models import ConsentRecord, Participant
from coaching.services.intake import steps_for
from resources.models import Certificate
from tests.coaching.factories import assign, enrol_assisted, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(private_storage_root):
    return private_storage_root


def directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {d.strip().lower() for d in cc_delim_re.split(header) if d.strip()}


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def assert_private(response, url):
    found = directives(response)
    assert {"private", "no-store"} <= found, (url, response.get("Cache-Control"))
    assert "public" not in found, (url, response.get("Cache-Control"))
    assert not any(d.startswith(("max-age=", "s-maxage=")) and d != "max-age=0" for d in found), (
        url,
        response.get("Cache-Control"),
    )
    assert "cookie" in vary(response), (url, response.get("Vary"))


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_a_participant_s_own_pages_are_private(client, participant, site):
    person = make_participant(user=participant, site=site)
    certificate = Certificate.objects.create(
        user=participant,
        course_key=uuid.uuid4(),
        recipient_name="Amina Diallo",
        course_title="Vendere online",
        completed_on=datetime.date(2026, 1, 15),
    )
    client.force_login(participant)
    urls = [
        reverse("coaching:dashboard"),
        reverse("coaching:export"),
        reverse("coaching:consents"),
        reverse("coaching:intake_review"),
        *(reverse("coaching:intake_step", args=[step]) for step in steps_for(person)),
        reverse("resources:my_progress"),
        reverse("resources:certificate_pdf", kwargs={"certificate_id": certificate.pk}),
        reverse("account_profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]
    for url in urls:
        assert_private(get_ok(client, url), url)
    # The data export is a download: the file itself must not be kept either.
    download = client.get(reverse("coaching:export"))
    assert download["Content-Disposition"].startswith("attachment;")
    assert_private(download, "export download")
    # Redirects and form errors to a signed-in person are private too.
    assert_private(client.get(reverse("coaching:join")), "join redirect")
    response = client.post(reverse("coaching:intake_step", args=["contact"]), {})
    assert response.status_code == 400
    assert_private(response, "intake step with errors")


def test_a_coordinator_s_staff_intake_and_consent_form_are_private(client, coordinator, site):
    assign(coordinator, site)
    response = enrol_assisted(client, coordinator, special_category="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_private(response, "assisted enrolment")
    person = Participant.objects.get(user__first_name="Amina")
    record = ConsentRecord.objects.exclude(document="").get(participant=person)
    staff_steps = [step for step in steps_for(person) if step != "consent"]
    assert "special" in staff_steps
    urls = [
        reverse("coaching:assisted_enrol"),
        *(reverse("coaching:staff_intake_step", args=[person.pk, step]) for step in staff_steps),
        reverse("coaching:staff_intake_review", args=[person.pk]),
        reverse("coaching:consent_document", args=[record.pk]),
    ]
    for url in urls:
        assert_private(get_ok(client, url), url)


def test_a_view_s_public_caching_gives_way_for_a_signed_in_person(client, user):
    anonymous = client.get(reverse("robots_txt"))
    assert {"public", "max-age=86400"} <= directives(anonymous)
    client.force_login(user)
    signed_in = client.get(reverse("robots_txt"))
    assert_private(signed_in, "robots.txt")
    assert "max-age=86400" not in directives(signed_in)


def test_anonymous_pages_are_left_alone(client, home_page):
    response = client.get("/it/")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)


def test_static_files_are_served_before_sessions_and_untouched(settings, user):
    # WhiteNoise answers before the session and authentication middleware run, so a
    # signed-in person's stylesheet keeps WhiteNoise's own caching headers.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(user)
    response = client.get("/static/portal_site/dist/avvio.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "private" not in directives(response)
    assert "public" in directives(response)
