"""The grant call's page: everything an applicant must know (window in Italian time, money,
caps and categories not funded, tranches, criteria with weights, documents, questions that
open without JavaScript) and, for each reader, the apply button or the sentence that says why
not. And the editor's form: weights and tranches add up to 100, the call closes after it
opens, its budget rules are the municipality's own and fit in its budget."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from coaching.grants.models import CallQuestion, GrantCallPage
from coaching.grants.services.applications import window_problem
from coaching.models import Participant
from tests.coaching.factories import make_participant, sign_in
from tests.grants.factories import make_application, make_call, make_ready_plan, make_rules

pytestmark = pytest.mark.django_db


def _it(text_or_function, *args) -> str:
    with translation.override("it"):
        value = text_or_function(*args) if callable(text_or_function) else gettext(text_or_function)
    return escape(value)


@pytest.fixture
def call(site):
    call = make_call(site=site)
    call.faqs.add(CallQuestion(question="Posso presentare due domande?", answer="<p>No.</p>"))
    call.save_revision().publish()
    return GrantCallPage.objects.get(pk=call.pk)


def _page(call, user=None) -> str:
    client = Client()
    if user is not None:
        sign_in(client, user)
    response = client.get(call.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_everything_an_applicant_must_know(call):
    page = _page(call)
    with translation.override("it"):
        opens = formats.date_format(timezone.localtime(call.opens_at), "DATETIME_FORMAT")
    assert call.intro.replace("'", "&#x27;") in page
    assert escape(opens) in page
    assert "20.000,00 €" in page  # budget
    assert "1.000,00 €" in page and "8.000,00 €" in page  # smallest and largest grant
    assert "30 %" in page and "20 %" in page  # caps
    with translation.override("it"):
        vehicles = escape(
            str(dict(call.rules.caps.model._meta.get_field("category").choices)["vehicles"])
        )
    assert vehicles in page
    assert "70 %" in page and "30 %" in page  # tranches
    assert "Fattibilità" in page and "60 %" in page and "Impatto sociale" in page
    assert "Documento d&#x27;identità" in page
    assert "<details" in page and "<summary" in page and "Posso presentare due domande?" in page


def test_anonymous_readers_are_asked_to_sign_in(call):
    page = _page(call)
    assert _it("Sign in to apply.") in page
    assert "/account/login/?next=" in page
    assert "/apply/" not in page


def test_an_eligible_participant_with_a_ready_plan_gets_the_apply_button(call, site):
    participant = make_participant(site=site, status="eligible")
    plan = make_ready_plan(participant=participant)
    page = _page(call, participant.user)
    assert f'action="/it/grants/calls/{call.pk}/apply/"' in page
    assert f'value="{plan.pk}"' in page


def test_without_a_ready_plan_the_page_says_so(call, site):
    participant = make_participant(site=site, status="eligible")
    page = _page(call, participant.user)
    assert "/apply/" not in page
    assert "/it/plans/" in page


def test_a_participant_not_found_eligible_is_told_why(call, site):
    participant = make_participant(site=site, status="eligible")
    make_ready_plan(participant=participant)
    # Left the path after the plan was made ready (a shortcut: exits have their own tests).
    Participant.objects.filter(pk=participant.pk).update(status=Participant.Status.EXITED)
    page = _page(call, participant.user)
    assert _it("The call is open to participants the programme found eligible.") in page
    assert "/apply/" not in page


@pytest.mark.parametrize(("opens", "closes"), [(3, 30), (-30, -3)])
def test_outside_the_window_the_page_says_when_it_opens_or_closed(site, opens, closes):
    now = timezone.now()
    call = make_call(
        site=site,
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
    )
    participant = make_participant(site=site, status="eligible")
    make_ready_plan(participant=participant)
    page = _page(call, participant.user)
    assert _it(window_problem, call) in page
    assert "/apply/" not in page


def test_an_applicant_is_led_to_their_application(call, site):
    application = make_application(call=call)
    page = _page(call, application.participant.user)
    assert f"/it/grants/applications/{application.pk}/" in page
    assert "/apply/" not in page


# --- The editor's form -------------------------------------------------------------------------


def _when(days) -> str:
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


def _data(rules, **overrides):
    data = {
        "title": "Bando 2028",
        "slug": "bando-2028",
        "intro": "Per chi avvia un'impresa.",
        "body": rich_text("<p>Il bando.</p>"),
        "rules": rules.pk,
        "budget": "20000",
        "opens_at": _when(1),
        "closes_at": _when(30),
        "requires_ready_plan": "on",
        "requires_eligible_participant": "on",
        "evaluators_per_application": "2",
        "disagreement_threshold": "2",
        "criteria": inline_formset(
            [
                {"name": "Fattibilità", "weight": "60", "min_score": "0", "max_score": "10"},
                {"name": "Impatto", "weight": "40", "min_score": "0", "max_score": "10"},
            ],
            min=1,
        ),
        "tranche_rules": inline_formset(
            [
                {"percent": "70", "condition": "on_award"},
                {"percent": "30", "condition": "after_expenses"},
            ],
            min=1,
        ),
        "required_documents": inline_formset([]),
        "faqs": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def _form(site, data):
    form_class = GrantCallPage.get_edit_handler().get_form_class()
    return form_class(data, instance=GrantCallPage(), parent_page=site.root_page)


def _errors(form) -> list[str]:
    texts = [str(error) for errors in form.errors.values() for error in errors]
    for formset in form.formsets.values():
        texts += [str(error) for error in formset.non_form_errors()]
    return texts


def test_a_sound_call_passes(site):
    form = _form(site, _data(make_rules(site=site)))
    assert form.is_valid(), _errors(form)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "criteria": inline_formset(
                    [
                        {"name": "A", "weight": "60", "min_score": "0", "max_score": "10"},
                        {"name": "B", "weight": "30", "min_score": "0", "max_score": "10"},
                    ],
                    min=1,
                )
            },
            None,
            "The criteria's weights add up to 90 %: they must add up to 100 %.",
        ),
        (
            {"tranche_rules": inline_formset([{"percent": "70", "condition": "on_award"}], min=1)},
            None,
            "The tranches' shares add up to 70 %: they must add up to 100 %.",
        ),
        (
            {"opens_at": _when(10), "closes_at": _when(5)},
            "closes_at",
            "The call must close after it opens.",
        ),
    ],
)
def test_the_form_refuses_a_call_that_does_not_add_up(site, overrides, field, message):
    with translation.override("en"):
        form = _form(site, _data(make_rules(site=site), **overrides))
        assert not form.is_valid()
        errors = form.errors.get(field or "__all__", [])
        assert message in errors


def test_the_budget_rules_of_another_municipality_are_refused(site, other_site):
    with translation.override("en"):
        form = _form(site, _data(make_rules(site=other_site)))
        assert not form.is_valid()
        assert "Choose budget rules of this municipality" in form.errors["rules"][0]
        # And the editor is offered their own municipality's rules only.
        ours = make_rules(site=site)
        assert list(_form(site, None).fields["rules"].queryset) == [ours]


def test_rules_whose_grants_do_not_fit_in_the_budget_are_refused(site):
    rules = make_rules(site=site, min_grant="1000", max_grant="8000")
    with translation.override("en"):
        form = _form(site, _data(rules, budget="5000"))
        assert not form.is_valid()
        assert form.errors["budget"] == [
            "The budget (5000 €) is smaller than the largest grant of the rules chosen "
            "(8000 €): raise the budget or choose other rules."
        ]
    assert _form(site, _data(rules, budget=str(Decimal("8000")))).is_valid()


def _edit_data(call, weights):
    criteria = [
        {
            "id": criterion.pk,
            "name": criterion.name,
            "weight": weight,
            "min_score": criterion.min_score,
            "max_score": criterion.max_score,
        }
        for criterion, weight in zip(call.criteria.all(), weights, strict=True)
    ]
    tranches = [
        {"id": rule.pk, "percent": str(rule.percent), "condition": rule.condition}
        for rule in call.tranche_rules.all()
    ]
    documents = [
        {"id": document.pk, "name": document.name, "required": "on"}
        for document in call.required_documents.all()
    ]
    return _data(
        call.rules,
        title=call.title,
        slug=call.slug,
        criteria=inline_formset(criteria, initial=len(criteria), min=1),
        tranche_rules=inline_formset(tranches, initial=len(tranches), min=1),
        required_documents=inline_formset(documents, initial=len(documents)),
        faqs=inline_formset([]),
    )


def test_editing_a_saved_call_counts_the_rows_left_as_they_were(call, site):
    form_class = GrantCallPage.get_edit_handler().get_form_class()
    same = form_class(_edit_data(call, ["60", "40"]), instance=call, parent_page=site.root_page)
    assert same.is_valid(), _errors(same)
    with translation.override("en"):
        changed = form_class(
            _edit_data(call, ["50", "40"]), instance=call, parent_page=site.root_page
        )
        assert not changed.is_valid()
        assert (
            "The criteria's weights add up to 90 %: they must add up to 100 %."
            in (changed.errors["__all__"])
        )


def test_the_admin_editor_shows_the_refusal(call, editor):
    client = Client()
    sign_in(client, editor)
    url = f"/admin/pages/{call.pk}/edit/"
    assert client.get(url).status_code == 200
    data = _edit_data(call, ["50", "40"])
    data["comments-TOTAL_FORMS"] = "0"
    data["comments-INITIAL_FORMS"] = "0"
    data["comments-MIN_NUM_FORMS"] = "0"
    data["comments-MAX_NUM_FORMS"] = "1000"
    response = client.post(url, data)
    assert response.status_code == 200
    message = _it(
        lambda: (
            gettext("The criteria's weights add up to %(total)s %%: they must add up to 100 %%.")
            % {"total": "90"}
        )
    )
    assert message in response.content.decode()
    call.refresh_from_db()
    assert [c.weight for c in call.criteria.all()] == [Decimal("60"), Decimal("40")]
