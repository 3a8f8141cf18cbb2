"""Once the person is accepted, the entry answers are the coordinator's to correct.

The person sees them as text and cannot change them; a coordinator of their site corrects
them with a reason, and the old value, the new one, the reason, who and when are kept.
"""

import pytest
from django.core.exceptions import ValidationError

from coaching import services
from coaching.models import EntryRecord, Participant
from tests.coaching.factories import COMPLETE_ANSWERS, assign, make_participant, sign_in

pytestmark = pytest.mark.django_db

REFUSED_IT = (
    "Queste risposte sono state usate quando la tua domanda è stata accettata e non si possono "
    "più cambiare da qui. Chiedi al personale del programma di correggerle."
)
LOCKED_IT = "Se qualcosa non è corretto, chiedi al personale del programma di correggerlo"


def _about(**changes):
    return {**COMPLETE_ANSWERS["about"], "birth_month": "5", **changes}


def _work(**changes):
    return {**COMPLETE_ANSWERS["work"], "in_education": "no", **changes}


def _entry_form(person, **changes):
    """The coordinator's correction form as the manage page fills it in, with changes."""
    data = {"action": "entry"}
    for step in ("about", "work", "education"):
        for name, value in COMPLETE_ANSWERS[step].items():
            data[f"entry-{name}"] = value
    data["entry-in_education"] = "no"
    data.update({f"entry-{name}": value for name, value in changes.items()})
    return data


def test_before_the_decision_the_person_can_still_change_them(client):
    person = make_participant(status="submitted")
    client.force_login(person.user)
    response = client.post("/it/path/join/about/", _about(citizenship="eu"))
    assert response.status_code == 302
    response = client.post("/it/path/join/work/", _work(labour_status="inactive"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.citizenship, person.labour_status) == ("eu", "inactive")


@pytest.mark.parametrize(
    ("step", "data", "field", "stored"),
    [
        ("about", _about(citizenship="italian"), "citizenship", "non_eu"),
        ("about", _about(gender="man"), "gender", "woman"),
        ("work", _work(labour_status="employed"), "labour_status", "unemployed"),
    ],
)
def test_after_acceptance_a_change_is_refused(client, site_coordinator, step, data, field, stored):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    response = client.post(f"/it/path/join/{step}/", data)
    assert response.status_code == 400
    assert REFUSED_IT in response.content.decode()
    person.refresh_from_db()
    assert getattr(person, field) == stored
    assert getattr(EntryRecord.objects.get(participant=person), field) == stored


def test_after_a_decline_the_person_may_still_correct_them(client, site_coordinator):
    """The dashboard tells a declined person to correct the answers and send them again."""
    person = make_participant(status="declined", by=site_coordinator)
    client.force_login(person.user)
    response = client.post("/it/path/join/work/", _work(labour_status="employed"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.labour_status == "employed"


def test_the_service_refuses_whoever_asks(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    for by in (person.user, site_coordinator):
        with pytest.raises(ValidationError):
            services.intake_save_step(
                participant=person,
                step="about",
                data={**COMPLETE_ANSWERS["about"], "citizenship": "eu"},
                by=by,
            )
    person.refresh_from_db()
    assert person.citizenship == "non_eu"


def test_the_steps_show_the_answers_as_text_and_say_how_to_change_them(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    client.force_login(person.user)
    page = client.get("/it/path/join/about/").content.decode()
    assert 'name="citizenship"' not in page
    assert 'name="gender"' not in page
    assert "Di un paese fuori dall&#x27;Unione europea" in page
    assert LOCKED_IT in page
    # Continuing through a read-only step changes nothing and goes on to the next one.
    response = client.post("/it/path/join/about/", {"action": "continue"})
    assert response.status_code == 302
    assert response["Location"] == "/it/path/join/work/"
    person.refresh_from_db()
    assert (person.citizenship, person.gender, person.birth_year) == ("non_eu", "woman", 1990)
    # The other steps (contact details, the idea, the needs) stay the person's own.
    response = client.post(
        "/it/path/join/contact/",
        {
            "preferred_name": "Amina",
            "phone": "333 7654321",
            "municipality": "Caserta",
            "languages": "Italiano",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "333 7654321"


def test_the_staff_intake_steps_are_read_only_too(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    url = f"/it/path/staff/{person.pk}/work/"
    page = client.get(url).content.decode()
    assert 'name="labour_status"' not in page
    assert f"/admin/coaching/participant/{person.pk}/manage/#entry-answers-heading" in page
    response = client.post(url, _work(labour_status="employed"))
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.labour_status == "unemployed"


def test_the_coordinator_corrects_an_answer_with_a_reason_kept_in_history(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    response = client.post(
        url,
        _entry_form(
            person,
            citizenship="eu",
            labour_status="inactive",
            reason="Ha mostrato la carta d'identità rumena",
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    person.refresh_from_db()
    assert (person.citizenship, person.labour_status) == ("eu", "inactive")
    assert person.unemployed_months is None  # as in the intake: only the unemployed say it
    entry = EntryRecord.objects.get(participant=person)
    assert (entry.citizenship, entry.labour_status, entry.long_term_unemployed) == (
        "eu",
        "inactive",
        False,
    )
    assert entry.snapshot["citizenship"] == "eu"
    from coaching.models import EntryAnswerChange

    changes = {
        c.field: (c.old_value, c.new_value, c.reason, c.changed_by)
        for c in EntryAnswerChange.objects.filter(participant=person)
    }
    reason = "Ha mostrato la carta d'identità rumena"
    assert changes == {
        "citizenship": ("non_eu", "eu", reason, site_coordinator),
        "labour_status": ("unemployed", "inactive", reason, site_coordinator),
        "unemployed_months": (18, None, reason, site_coordinator),
    }
    assert all(c.created_at for c in EntryAnswerChange.objects.filter(participant=person))
    page = client.get(url).content.decode()
    assert "Ha mostrato la carta d&#x27;identità rumena" in page
    assert (
        "<td>Cittadinanza</td><td>Di un paese fuori dall&#x27;Unione europea</td>"
        "<td>Di un altro paese dell&#x27;Unione europea</td>"
    ) in page


def test_a_correction_without_a_reason_is_refused(client, site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    response = client.post(url, _entry_form(person, citizenship="eu", reason="  "))
    assert response.status_code == 400
    assert "Scrivi perché cambi queste risposte." in response.content.decode()
    person.refresh_from_db()
    assert person.citizenship == "non_eu"
    from coaching.models import EntryAnswerChange

    assert not EntryAnswerChange.objects.exists()
    with pytest.raises(ValidationError):
        services.entry_answers_correct(
            participant=person, answers={"citizenship": "eu"}, reason="", by=site_coordinator
        )


def test_the_history_cannot_be_rewritten(site_coordinator):
    person = make_participant(status="eligible", by=site_coordinator)
    (change,) = services.entry_answers_correct(
        participant=person, answers={"gender": "not_said"}, reason="Errore", by=site_coordinator
    )
    change.reason = "Altro"
    with pytest.raises(ValidationError):
        change.save()
    with pytest.raises(ValidationError):
        change.delete()


def test_another_sites_coordinator_gets_404(client, site_coordinator, other_site, user_with_role):
    person = make_participant(status="eligible", by=site_coordinator)
    stranger = assign(user_with_role("Coordinator", is_staff=True), other_site)
    sign_in(client, stranger)
    response = client.post(
        f"/admin/coaching/participant/{person.pk}/manage/",
        _entry_form(person, citizenship="eu", reason="Prova"),
        follow=True,
    )
    assert response.status_code == 404
    assert Participant.objects.get(pk=person.pk).citizenship == "non_eu"
    from coaching.models import EntryAnswerChange

    assert not EntryAnswerChange.objects.exists()


def test_the_person_sees_the_corrections_in_their_data_and_erasure_drops_birth_dates(
    site_coordinator,
):
    from coaching.models import EntryAnswerChange

    person = make_participant(status="eligible", by=site_coordinator)
    services.entry_answers_correct(
        participant=person,
        answers={"birth_month": 7, "citizenship": "eu"},
        reason="Documento",
        by=site_coordinator,
    )
    assert EntryRecord.objects.get(participant=person).snapshot["birth_month"] == 7
    data = services.participant_export(participant=person, by=person.user)
    assert {(c["answer"], c["before"], c["after"]) for c in data["entry_answer_corrections"]} == {
        ("birth_month", 5, 7),
        ("citizenship", "non_eu", "eu"),
    }
    services.participant_erase(participant=person, by=site_coordinator, reason="Richiesta")
    kept = {
        c.field: (c.old_value, c.new_value, c.reason)
        for c in EntryAnswerChange.objects.filter(participant=person)
    }
    assert kept == {
        "birth_month": (None, None, "Documento"),
        "citizenship": ("non_eu", "eu", "Documento"),
    }
    with pytest.raises(ValidationError):
        services.entry_answers_correct(
            participant=person, answers={"gender": "man"}, reason="Dopo", by=site_coordinator
        )


NOT_YET_IT = (
    "Queste risposte si possono correggere qui solo dopo che la domanda è stata accettata. "
    "Fino ad allora la persona le cambia compilando la domanda."
)


@pytest.mark.parametrize("status", ["submitted", "declined"])
def test_the_correction_service_refuses_before_the_acceptance(site_coordinator, status):
    """Not only the page: the rule is the service's, whoever calls it."""
    from django.utils import translation

    from coaching.models import EntryAnswerChange

    person = make_participant(status=status, by=site_coordinator)
    with translation.override("it"), pytest.raises(ValidationError) as refused:
        services.entry_answers_correct(
            participant=person, answers={"citizenship": "eu"}, reason="Prova", by=site_coordinator
        )
    assert refused.value.messages == [NOT_YET_IT]
    person.refresh_from_db()
    assert person.citizenship == "non_eu"
    assert not EntryAnswerChange.objects.exists()


def test_the_same_correction_sent_twice_is_kept_once_and_says_so(client, site_coordinator):
    from coaching.models import EntryAnswerChange

    person = make_participant(status="eligible", by=site_coordinator)
    sign_in(client, site_coordinator)
    url = f"/admin/coaching/participant/{person.pk}/manage/"
    data = _entry_form(person, citizenship="eu", reason="Carta d'identità rumena")
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert "Niente da salvare: queste sono già le risposte registrate." in (
        response.content.decode()
    )
    assert list(EntryAnswerChange.objects.values_list("field", "new_value")) == [
        ("citizenship", "eu")
    ]
    assert Participant.objects.get(pk=person.pk).citizenship == "eu"
