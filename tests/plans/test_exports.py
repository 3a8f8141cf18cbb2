"""The financial model downloads as a workbook for those who may read the plan, nobody else."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.coaching.factories import make_participant
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def test_the_owner_downloads_the_workbook_privately(client):
    plan = make_plan()
    client.force_login(plan.participant.user)
    response = client.get(reverse("plans:xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith(f'-{plan.pk}.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) >= 2


def test_another_participant_gets_a_404(client):
    plan = make_plan()
    stranger = make_participant(status="eligible")
    client.force_login(stranger.user)
    assert client.get(reverse("plans:xlsx", args=[plan.pk])).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client):
    plan = make_plan()
    response = client.get(reverse("plans:xlsx", args=[plan.pk]))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
