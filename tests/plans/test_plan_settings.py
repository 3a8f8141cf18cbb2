"""A plan under review or ready keeps the name and call its mentor saw."""

import pytest
from django.core.exceptions import ValidationError

from coaching.plans.models import BusinessPlan
from coaching.plans.services.plans import plan_change
from tests.plans.factories import make_plan

pytestmark = pytest.mark.django_db


def test_a_draft_is_renamed():
    plan = make_plan()
    plan_change(plan=plan, by=plan.participant.user, title="Nuovo nome", call_rules=None)
    plan.refresh_from_db()
    assert plan.title == "Nuovo nome"


@pytest.mark.parametrize("status", [BusinessPlan.Status.SUBMITTED, BusinessPlan.Status.READY])
def test_a_plan_under_review_or_ready_is_not_renamed(status):
    plan = make_plan(title="Il mio piano")
    BusinessPlan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        plan_change(plan=plan, by=plan.participant.user, title="Altro", call_rules=None)
    assert error.value.code == "not_editable"
    plan.refresh_from_db()
    assert plan.title == "Il mio piano"
