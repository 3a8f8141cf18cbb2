"""A participant's first use on a 375 px phone, in Italian and in English: sign up, confirm the
address, sign in, walk every intake step, check the answers, send, and land on the dashboard,
with axe-core on every page (issue 9, items 4, 5, 6 and 8)."""

import re

import pytest
from django.core import mail

from coaching.intake import STEPS
from coaching.models import Participant

pytestmark = pytest.mark.browser

PASSWORD = "Una-passphrase-lunga-2026"

TEXT = {
    "it": {
        "counter": "Passo {n} di {total}",
        "name_question": "Come vuoi che ti chiamiamo?",
        "review": "Controlla e invia",
        "send": "Invia la mia domanda",
        "sent": "La tua domanda è stata inviata.",
        "when": "giorni lavorativi",
        "receipt": "Abbiamo ricevuto la tua domanda",
        "status": "In attesa di decisione",
        "not_given": "Non indicato",
    },
    "en": {
        "counter": "Step {n} of {total}",
        "name_question": "What name should we call you?",
        "review": "Check and send",
        "send": "Send my application",
        "sent": "Your application has been sent.",
        "when": "working days",
        "receipt": "We have received your application",
        "status": "Waiting for a decision",
        "not_given": "Not given",
    },
}

#: What Amina types or chooses on each step: (kind, name, value).
ANSWERS = {
    "contact": [
        ("fill", "preferred_name", "Amina"),
        ("fill", "phone", "333 1234567"),
        ("fill", "municipality", "Napoli"),
        ("fill", "languages", "Italiano, Wolof"),
    ],
    "about": [
        ("fill", "birth_year", "1990"),
        ("select", "birth_month", "5"),
        ("check", "gender", "woman"),
        ("check", "citizenship", "non_eu"),
        ("check", "foreign_background", "yes"),
    ],
    "work": [
        ("check", "labour_status", "unemployed"),
        ("fill", "unemployed_months", "14"),
        ("check", "works_without_contract", "not_said"),
        ("check", "in_education", "no"),
    ],
    "education": [("check", "education_level", "isced_3"), ("check", "housing", "stable")],
    "idea": [
        ("select", "idea_sector", "food"),
        ("check", "idea_stage", "testing"),
        ("fill", "idea_description", "Cibo di strada al mercato"),
    ],
    "needs": [
        ("check", "needs", "mentor"),
        ("check", "needs", "funding"),
        ("check", "preferred_languages", "it"),
        ("check", "meeting_modes", "remote"),
        ("check", "availability", "0-morning"),
        ("check", "availability", "2-evening"),
        ("check", "mentor_gender", "any"),
    ],
    "consent": [("box", "privacy_notice", ""), ("box", "special_category", "")],
}


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _check_page(page, axe) -> None:
    assert page.locator("h1").count() == 1, page.url
    _fits_the_phone(page)
    axe(page)


def _submit(page, selector) -> None:
    """Press the form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).last.click()


def _answer(page, answers) -> None:
    for kind, name, value in answers:
        if kind == "fill":
            page.locator(f'[name="{name}"]').fill(value)
        elif kind == "select":
            page.locator(f'select[name="{name}"]').select_option(value)
        elif kind == "box":
            page.locator(f'label[for="id_{name}"]').click()
        else:
            field = page.locator(f'input[name="{name}"][value="{value}"]')
            page.locator(f'label[for="{field.get_attribute("id")}"]').click()
            assert field.is_checked(), (name, value)


def _sign_up_and_sign_in(page, axe, base, language, email) -> None:
    page.goto(f"{base}/{language}/account/signup/")
    _check_page(page, axe)
    page.locator('input[name="email"]').fill(email)
    page.locator('input[name="password1"]').fill(PASSWORD)
    page.locator('input[name="password2"]').fill(PASSWORD)
    _submit(page, 'main form [type="submit"]')
    _check_page(page, axe)
    (confirmation,) = [m for m in mail.outbox if email in m.to]
    link = re.search(r"https?://\S+/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(link)
    _check_page(page, axe)
    _submit(page, 'main form [type="submit"]')
    page.goto(f"{base}/{language}/account/login/")
    # Confirming the address may sign the person in already; otherwise they sign in now.
    if page.locator('input[name="login"]').count():
        page.locator('input[name="login"]').fill(email)
        page.locator('input[name="password"]').fill(PASSWORD)
        _submit(page, 'main form [type="submit"]')


@pytest.mark.parametrize("language", ["it", "en"])
def test_sign_up_intake_review_and_send_on_a_phone(live_server, page, axe, site, language):
    text = TEXT[language]
    base = live_server.url
    email = f"amina.{language}@example.org"
    _sign_up_and_sign_in(page, axe, base, language, email)

    page.goto(f"{base}/{language}/path/join/")
    _check_page(page, axe)
    assert page.locator("main ol > li").count() == len(STEPS)
    _submit(page, 'main form [type="submit"]')
    assert page.url == f"{base}/{language}/path/join/contact/"

    total = len(STEPS)
    for number, step in enumerate(STEPS, start=1):
        assert page.url == f"{base}/{language}/path/join/{step.key}/"
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_text(text["counter"].format(n=number, total=total)).count() == 1
        _check_page(page, axe)
        if step.key == "contact":
            assert (
                page.locator('label[for="id_preferred_name"]')
                .inner_text()
                .startswith(text["name_question"])
            )
        if step.key == "special":
            _submit(page, 'button[value="skip"]')
        else:
            _answer(page, ANSWERS[step.key])
            _submit(page, 'button[value="continue"]')

    assert page.url == f"{base}/{language}/path/join/review/", page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == text["review"]
    _check_page(page, axe)
    for step in STEPS:
        assert page.locator(f"#review-{step.key}").count() == 1, step.key
    main = page.locator("main").inner_text()
    assert "Amina" in main and text["not_given"] in main and "None" not in main
    with page.expect_navigation():
        page.get_by_role("button", name=text["send"]).click()
    assert page.url == f"{base}/{language}/path/dashboard/"
    _check_page(page, axe)
    main = page.locator("main").inner_text()
    assert text["sent"] in main
    assert text["status"] in main
    assert text["when"] in main
    person = Participant.objects.get(user__email=email)
    assert person.status == Participant.Status.SUBMITTED
    assert person.preferred_name == "Amina"
    receipts = [m for m in mail.outbox if m.subject == text["receipt"]]
    assert [m.to for m in receipts] == [[email]]

    # Back on the review, nothing can be sent twice.
    page.goto(f"{base}/{language}/path/join/review/")
    _check_page(page, axe)
    assert page.get_by_role("button", name=text["send"]).count() == 0
