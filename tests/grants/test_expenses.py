"""Expense reports: the beneficiary adds receipts one at a time, removes them while the
report is a draft and submits it; a coordinator of the site checks each line, and the last
line checked closes the report, makes the next tranche due when accepted spending covers
what was paid, and tells the beneficiary. Nobody else sees or changes any of it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching.grants.models import Expense, ExpenseReport, GrantLogEntry, Tranche
from coaching.grants.services.expenses import (
    expense_add,
    expense_flags,
    expense_remove,
    expense_review,
    report_submit,
)
from coaching.models import AccessLog, Notification
from coaching.plans.models import CategoryRule
from tests.coaching.factories import make_participant, sign_in
from tests.concurrency import at_once
from tests.grants.factories import make_application, make_award, make_call, make_staff, pay_first

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def pdf(name="scontrino.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def storage(private_storage_root):
    return private_storage_root


@pytest.fixture
def award(site):
    return make_award(call=make_call(site=site))


@pytest.fixture
def owner(award):
    return award.application.participant.user


@pytest.fixture
def lines(award):
    return {line.category: line for line in award.application.budget_lines.all()}


@pytest.fixture
def site_coordinator(site):
    return make_staff("Coordinator", site=site)


def add(award, line, *, by, amount="100.00", vat="22.00", supplier="Ferramenta Rossi", **kw):
    return expense_add(
        award=award,
        budget_line=line,
        supplier=supplier,
        description=kw.pop("description", "Attrezzi"),
        spent_on=kw.pop("spent_on", timezone.localdate()),
        amount=Decimal(amount),
        vat=Decimal(vat),
        receipt=kw.pop("receipt", None) or pdf(),
        by=by,
    )


def stored_files(root):
    folder = root / "private"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- Services --------------------------------------------------------------------------------


def test_add_makes_the_draft_and_stores_the_receipt_privately(award, owner, lines, storage):
    expense, created = add(award, lines["equipment"], by=owner)
    assert created
    assert expense.report.status == ExpenseReport.Status.DRAFT
    assert expense.receipt_name == "scontrino.pdf"
    assert expense.receipt.name.startswith("grants/receipts/")
    assert expense.receipt.name.endswith(".pdf") and "scontrino" not in expense.receipt.name
    assert len(stored_files(storage)) == 1
    entry = GrantLogEntry.objects.get(action="grants.expense_add")
    assert entry.object_id == str(expense.pk) and entry.user == owner


def test_the_same_receipt_sent_twice_is_added_once(award, owner, lines):
    first, created = add(award, lines["equipment"], by=owner)
    again, created_again = add(award, lines["equipment"], by=owner)
    assert created and not created_again
    assert again.pk == first.pk
    assert Expense.objects.count() == 1


def test_a_file_that_is_not_a_pdf_jpg_or_png_is_refused_and_not_stored(
    award, owner, lines, storage
):
    html = SimpleUploadedFile("fattura.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        add(award, lines["equipment"], by=owner, receipt=html)
    assert "receipt" in error.value.error_dict
    assert not Expense.objects.exists() and stored_files(storage) == []


def test_a_file_too_big_is_refused(award, owner, lines, settings, storage):
    settings.COACHING_GRANT_UPLOAD_MAX_SIZE = 100
    big = pdf(content=PDF + b"0" * 200)
    with pytest.raises(ValidationError):
        add(award, lines["equipment"], by=owner, receipt=big)
    assert stored_files(storage) == []


def test_only_the_owner_adds_removes_and_submits(award, owner, lines, site):
    stranger = make_participant(site=site, status="eligible").user
    with pytest.raises(PermissionDenied):
        add(award, lines["equipment"], by=stranger)
    expense, _ = add(award, lines["equipment"], by=owner)
    with pytest.raises(PermissionDenied):
        expense_remove(expense=expense, by=stranger)
    with pytest.raises(PermissionDenied):
        report_submit(report=expense.report, by=stranger)


def test_a_line_of_another_grant_is_refused(award, owner, site):
    other = make_application(call=award.application.call, submitted=True)
    with pytest.raises(ValidationError):
        add(award, other.budget_lines.first(), by=owner)


def test_remove_while_draft_only(award, owner, lines, storage, django_capture_on_commit_callbacks):
    expense, _ = add(award, lines["equipment"], by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        expense_remove(expense=expense, by=owner)
    assert not Expense.objects.exists()
    assert stored_files(storage) == []
    assert GrantLogEntry.objects.filter(action="grants.expense_remove").count() == 1
    kept, _ = add(award, lines["digital"], by=owner)
    report_submit(report=kept.report, by=owner)
    with pytest.raises(ValidationError):
        expense_remove(expense=kept, by=owner)
    assert Expense.objects.filter(pk=kept.pk).exists()


def test_submit_needs_a_receipt_and_is_safe_twice(award, owner, lines):
    empty = ExpenseReport.objects.create(award=award)
    with pytest.raises(ValidationError):
        report_submit(report=empty, by=owner)
    empty.delete()
    expense, _ = add(award, lines["equipment"], by=owner)
    report, sent = report_submit(report=expense.report, by=owner)
    again, sent_again = report_submit(report=expense.report, by=owner)
    assert sent and not sent_again
    assert again.status == ExpenseReport.Status.SUBMITTED
    assert GrantLogEntry.objects.filter(action="grants.report_submit").count() == 1
    # A new receipt after that starts a new draft.
    later, _ = add(award, lines["digital"], by=owner, amount="50.00")
    assert later.report_id != report.pk


def test_review_is_for_the_sites_coordinators_and_rejection_needs_a_reason(
    award, owner, lines, site_coordinator, other_site
):
    expense, _ = add(award, lines["equipment"], by=owner)
    report_submit(report=expense.report, by=owner)
    elsewhere = make_staff("Coordinator", site=other_site)
    editor = make_staff("Editor")
    for person in (elsewhere, editor, owner):
        with pytest.raises(PermissionDenied):
            expense_review(expense=expense, accepted=True, reason="", by=person)
    with pytest.raises(ValidationError):
        expense_review(expense=expense, accepted=False, reason="  ", by=site_coordinator)
    expense.refresh_from_db()
    assert expense.review == Expense.Review.PENDING


def test_the_next_tranche_unlocks_when_accepted_spending_covers_what_was_paid(
    award, owner, lines, site_coordinator, django_capture_on_commit_callbacks
):
    first = pay_first(award)
    second = award.tranches.get(number=2)
    assert second.status == Tranche.Status.WAITING
    oven, _ = add(award, lines["equipment"], by=owner, amount="3000.00", vat="660.00")
    laptop, _ = add(award, lines["digital"], by=owner, amount="500.00", vat="110.00")
    report_submit(report=oven.report, by=owner)
    assert first.amount == Decimal("3500.00")

    expense_review(expense=oven, accepted=True, reason="", by=site_coordinator)
    second.refresh_from_db()
    assert second.status == Tranche.Status.WAITING  # one line still to check
    told_before = Notification.objects.filter(user=owner).count()
    with django_capture_on_commit_callbacks(execute=True):
        expense_review(expense=laptop, accepted=True, reason="", by=site_coordinator)
    second.refresh_from_db()
    report = ExpenseReport.objects.get(pk=oven.report_id)
    assert report.status == ExpenseReport.Status.REVIEWED and report.reviewed_at
    assert second.status == Tranche.Status.DUE
    assert GrantLogEntry.objects.filter(action="grants.report_reviewed").count() == 1
    assert GrantLogEntry.objects.filter(action="grants.expense_accept").count() == 2
    # The beneficiary is told, on their dashboard and by e-mail.
    assert Notification.objects.filter(user=owner).count() == told_before + 1
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert reverse("grants:expense_report", args=[award.pk]) in mail.outbox[0].body


def test_the_next_tranche_stays_waiting_when_accepted_spending_falls_short(
    award, owner, lines, site_coordinator
):
    pay_first(award)
    oven, _ = add(award, lines["equipment"], by=owner, amount="3000.00")
    laptop, _ = add(award, lines["digital"], by=owner, amount="500.00")
    report_submit(report=oven.report, by=owner)
    expense_review(expense=oven, accepted=True, reason="", by=site_coordinator)
    expense_review(
        expense=laptop, accepted=False, reason="Fattura intestata ad altri", by=site_coordinator
    )
    assert ExpenseReport.objects.get(pk=oven.report_id).status == ExpenseReport.Status.REVIEWED
    assert award.tranches.get(number=2).status == Tranche.Status.WAITING
    laptop.refresh_from_db()
    assert laptop.review_reason == "Fattura intestata ad altri"
    entry = GrantLogEntry.objects.get(action="grants.expense_reject")
    assert entry.data["reason"] == "Fattura intestata ad altri"


def test_the_same_decision_twice_is_made_once(award, owner, lines, site_coordinator):
    oven, _ = add(award, lines["equipment"], by=owner)
    report_submit(report=oven.report, by=owner)
    expense_review(expense=oven, accepted=True, reason="", by=site_coordinator)
    expense_review(expense=oven, accepted=True, reason="", by=site_coordinator)
    assert GrantLogEntry.objects.filter(action="grants.expense_accept").count() == 1
    assert GrantLogEntry.objects.filter(action="grants.report_reviewed").count() == 1


def test_flags(award, owner, lines, site, site_coordinator):
    line = lines["running"]  # 1000.00 budgeted
    first, _ = add(award, line, by=owner, amount="700.00")
    before = timezone.localdate(award.awarded_at) - datetime.timedelta(days=3)
    second, _ = add(award, line, by=owner, amount="400.00", spent_on=before, supplier="B")
    # The line's category made ineligible by the call's rules.
    rules = award.application.call.rules
    CategoryRule.objects.filter(rules=rules, category="running").update(
        ineligible=True, max_percent=None
    )
    flags = expense_flags(
        Expense.objects.select_related("budget_line", "report__award__application__call")
    )
    category = line.get_category_display()
    for expense in (first, second):
        assert any("1.100,00" in text for text in flags[expense.pk]), flags
        assert any(str(category) in text for text in flags[expense.pk]), flags
    assert len(flags[first.pk]) == 2
    assert len(flags[second.pk]) == 3
    ok, _ = add(award, lines["equipment"], by=owner, amount="100.00", supplier="C")
    assert expense_flags([Expense.objects.get(pk=ok.pk)]) == {ok.pk: []}


# --- Public pages ------------------------------------------------------------------------------


def report_url(award):
    return reverse("grants:expense_report", args=[award.pk])


def form_data(line, **overrides):
    data = {
        "budget_line": line.pk,
        "supplier": "Ferramenta Rossi",
        "description": "Trapano",
        "spent_on": timezone.localdate().isoformat(),
        "amount": "120.50",
        "vat": "26.51",
        "receipt": pdf(),
    }
    data.update(overrides)
    return data


def test_the_owner_adds_removes_and_submits_through_the_page(client, award, owner, lines):
    client.force_login(owner)
    page = client.get(report_url(award))
    assert page.status_code == 200
    assert "Forno e banco" in page.content.decode()
    response = client.post(report_url(award), form_data(lines["equipment"]))
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.amount == Decimal("120.50") and expense.vat == Decimal("26.51")
    page = client.get(report_url(award)).content.decode()
    assert "Ferramenta Rossi" in page
    assert reverse("grants:receipt", args=[expense.pk]) in page
    remove = reverse("grants:expense_remove", args=[award.pk, expense.pk])
    assert client.post(remove).status_code == 302
    assert client.post(remove).status_code == 302  # twice: nothing more happens
    assert not Expense.objects.exists()
    client.post(report_url(award), form_data(lines["equipment"]))
    submit = reverse("grants:report_submit", args=[award.pk])
    assert client.post(submit).status_code == 302
    assert client.post(submit).status_code == 302
    assert ExpenseReport.objects.get().status == ExpenseReport.Status.SUBMITTED
    assert GrantLogEntry.objects.filter(action="grants.report_submit").count() == 1


def test_a_refused_file_keeps_what_was_typed_and_stores_nothing(
    client, award, owner, lines, storage
):
    client.force_login(owner)
    fake = SimpleUploadedFile("ricevuta.png", b"MZ\x90\x00 not an image at all")
    response = client.post(
        report_url(award), form_data(lines["equipment"], receipt=fake, supplier="Bottega Verdi")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bottega Verdi" in html
    assert 'aria-invalid="true"' in html and "id_receipt_error" in html
    assert not Expense.objects.exists() and stored_files(storage) == []


def test_a_png_receipt_is_accepted(client, award, owner, lines):
    client.force_login(owner)
    png = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    response = client.post(report_url(award), form_data(lines["equipment"], receipt=png))
    assert response.status_code == 302
    assert Expense.objects.get().receipt.name.endswith(".png")


def test_bad_numbers_are_explained_not_a_server_error(client, award, owner, lines):
    client.force_login(owner)
    response = client.post(
        report_url(award), form_data(lines["equipment"], amount="-3", vat="abc", spent_on="ieri")
    )
    assert response.status_code == 400
    assert not Expense.objects.exists()


def test_the_owner_downloads_the_receipt_as_an_attachment_logged(client, award, owner, lines):
    expense, _ = add(award, lines["equipment"], by=owner)
    client.force_login(owner)
    response = client.get(reverse("grants:receipt", args=[expense.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "scontrino.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    log = AccessLog.objects.get()
    assert log.actor == owner and log.details["expense"] == expense.pk


def test_anonymous_people_are_sent_to_sign_in(client, award, owner, lines):
    expense, _ = add(award, lines["equipment"], by=owner)
    for url in (
        reverse("grants:my_grants"),
        report_url(award),
        reverse("grants:receipt", args=[expense.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(report_url(award), form_data(lines["equipment"]))
    assert response.status_code == 302 and Expense.objects.count() == 1


def test_another_participant_neither_sees_nor_changes_the_report(client, award, owner, lines, site):
    expense, _ = add(award, lines["equipment"], by=owner)
    stranger = make_participant(site=site, status="eligible").user
    client.force_login(stranger)
    assert client.get(report_url(award)).status_code == 404
    assert client.post(report_url(award), form_data(lines["equipment"])).status_code == 404
    assert client.get(reverse("grants:receipt", args=[expense.pk])).status_code == 404
    remove = reverse("grants:expense_remove", args=[award.pk, expense.pk])
    assert client.post(remove).status_code == 404
    assert client.post(reverse("grants:report_submit", args=[award.pk])).status_code == 404
    assert Expense.objects.count() == 1
    assert ExpenseReport.objects.get().status == ExpenseReport.Status.DRAFT
    assert not AccessLog.objects.exists()


def test_receipts_for_coordinators_of_the_site_only_once_submitted(
    award, owner, lines, site_coordinator, other_site
):
    expense, _ = add(award, lines["equipment"], by=owner)
    url = reverse("grants:receipt", args=[expense.pk])
    ours, theirs, editor = Client(), Client(), Client()
    sign_in(ours, site_coordinator)
    assert ours.get(url).status_code == 404  # a draft is the beneficiary's own
    report_submit(report=expense.report, by=owner)
    response = ours.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    log = AccessLog.objects.get(actor=site_coordinator)
    assert log.participant == award.application.participant
    assert log.action == AccessLog.Action.VIEW_PARTICIPANT
    sign_in(theirs, make_staff("Coordinator", site=other_site))
    assert theirs.get(url).status_code == 404
    sign_in(editor, make_staff("Editor"))
    assert editor.get(url).status_code == 404


# --- The coordinators' admin -------------------------------------------------------------------


def admin_report(report):
    return reverse("grants_expenses:report", args=[report.pk])


def refused(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


@pytest.fixture
def submitted(award, owner, lines):
    oven, _ = add(award, lines["equipment"], by=owner, amount="3000.00", supplier="Forni Spa")
    add(award, lines["digital"], by=owner, amount="600.00", supplier="PC Shop")
    report_submit(report=oven.report, by=owner)
    return ExpenseReport.objects.get(pk=oven.report_id)


def test_the_coordinator_reviews_line_by_line_in_the_admin(
    client, award, submitted, site_coordinator, django_capture_on_commit_callbacks
):
    pay_first(award)
    sign_in(client, site_coordinator)
    index = client.get(reverse("grants_expenses:index"))
    assert index.status_code == 200 and admin_report(submitted) in index.content.decode()
    page = client.get(admin_report(submitted))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Forni Spa" in html and "PC Shop" in html
    oven, laptop = submitted.expenses.order_by("pk")
    assert reverse("grants:receipt", args=[oven.pk]) in html
    # A rejection without a reason is refused, with the form shown again.
    response = client.post(
        admin_report(submitted), {"expense": laptop.pk, f"e{laptop.pk}-decision": "reject"}
    )
    assert response.status_code == 400
    laptop.refresh_from_db()
    assert laptop.review == Expense.Review.PENDING
    client.post(admin_report(submitted), {"expense": oven.pk, f"e{oven.pk}-decision": "accept"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_report(submitted),
            {
                "expense": laptop.pk,
                f"e{laptop.pk}-decision": "reject",
                f"e{laptop.pk}-reason": "Non pertinente",
            },
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ExpenseReport.Status.REVIEWED
    # 3000 accepted against 3500 paid: the second tranche still waits.
    assert award.tranches.get(number=2).status == Tranche.Status.WAITING
    assert len(mail.outbox) == 1


def test_other_sites_coordinators_get_404_and_others_are_refused(
    client, submitted, other_site, mentor
):
    sign_in(client, make_staff("Coordinator", site=other_site))
    index = client.get(reverse("grants_expenses:index"))
    assert admin_report(submitted) not in index.content.decode()
    assert client.get(admin_report(submitted), follow=True).status_code == 404
    oven = submitted.expenses.first()
    response = client.post(
        admin_report(submitted), {"expense": oven.pk, f"e{oven.pk}-decision": "accept"}, follow=True
    )
    assert response.status_code == 404
    oven.refresh_from_db()
    assert oven.review == Expense.Review.PENDING
    for person in (make_staff("Editor"), make_staff("Finance officer")):
        sign_in(client, person)
        assert refused(client.get(admin_report(submitted)))
        assert refused(client.get(reverse("grants_expenses:index")))
    # A mentor has no way into the admin: sent away before any of it is shown.
    client.force_login(mentor)
    response = client.get(admin_report(submitted))
    assert response.status_code == 302 and "/admin/" not in response["Location"]


def test_anonymous_people_are_sent_to_sign_in_from_the_admin(client, submitted):
    response = client.get(admin_report(submitted))
    assert response.status_code == 302 and "login" in response["Location"]


# --- At once -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_receipt_sent_twice_at_once_is_added_once(site, storage):
    award = make_award(call=make_call(site=site))
    owner = award.application.participant.user
    line = award.application.budget_lines.first()
    results = at_once(lambda: add(award, line, by=owner), lambda: add(award, line, by=owner))
    assert sorted(created for _expense, created in results) == [False, True], results
    assert ExpenseReport.objects.filter(award=award).count() == 1
    assert Expense.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_submitted_twice_at_once_is_submitted_once(site, storage):
    award = make_award(call=make_call(site=site))
    owner = award.application.participant.user
    expense, _ = add(award, award.application.budget_lines.first(), by=owner)
    report = expense.report
    results = at_once(*[lambda: report_submit(report=report, by=owner) for _ in range(2)])
    assert sorted(sent for _report, sent in results) == [False, True], results
    assert GrantLogEntry.objects.filter(action="grants.report_submit").count() == 1
