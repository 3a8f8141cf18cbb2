"""Microgrants' personal data: what the grant records hold about an applicant, a mentor who
endorsed and an evaluator who scored.

Registered in ``wagtail_hooks.py`` under ``register_personal_data``; the registry
(``coaching.personal_data``) walks it for a person's export and erasure.

For an applicant: their applications (reference, call, status, amounts, declarations, the
names of the documents uploaded, the budget lines), awards, tranches and expenses. Erased:
drafts never submitted, with their documents. Kept: every submitted application and what
hangs on it (evaluation, award, payments, receipts), because the ESF+ audit of the grant
relies on them (Regulation (EU) 2021/1060 art. 82); they stay linked to the participant
reference only, as coaching keeps it.

For a mentor: the endorsements they wrote (kept: part of the application's record, no longer
signed once the account is anonymised). For an evaluator: their declarations and scores
(kept: the evaluation's record).
"""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.grants.models import Assignment, Endorsement, GrantApplication
from coaching.grants.models.money import euros
from coaching.models import Participant
from coaching.personal_data import DELETED, KEPT

PROVIDER_KEY = "grants"

GRANT_AUDIT = gettext_lazy(
    "Kept for the ESF+ audit of the grant: submitted applications, their evaluation, awards, "
    "payments and receipts are kept as long as the fund requires (Regulation (EU) 2021/1060 "
    "art. 82), linked only to the participant reference."
)


def _when(value) -> str:
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _applications(participants):
    return (
        GrantApplication.objects.filter(participant__in=participants)
        .select_related("call")
        .prefetch_related("budget_lines", "documents")
        .order_by("created_at", "pk")
    )


def _application_section(application: GrantApplication) -> dict:
    rows = [
        (_("Call"), application.call.title),
        (_("Reference"), application.reference),
        (_("Status"), application.get_status_display()),
        (_("Amount requested"), euros(application.requested_amount)),
        (_("Project summary"), application.project_summary or "—"),
        (
            _("De minimis aid received in the last three years"),
            euros(application.de_minimis_received),
        ),
        (_("Submitted"), _when(application.submitted_at)),
    ]
    rows += [
        (_("Budget line: %(line)s") % {"line": line.description}, euros(line.amount))
        for line in application.budget_lines.all()
    ]
    rows += [(_("Document"), document.original_name) for document in application.documents.all()]
    award = getattr(application, "award", None)
    data = {
        "reference": application.reference,
        "call": application.call.title,
        "status": application.status,
        "requested_amount": str(application.requested_amount),
        "project_summary": application.project_summary,
        "de_minimis_received": None
        if application.de_minimis_received is None
        else str(application.de_minimis_received),
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "documents": [document.original_name for document in application.documents.all()],
    }
    if award is not None:
        rows.append((_("Amount awarded"), euros(award.amount)))
        rows += [
            (
                _("Tranche %(number)s") % {"number": t.number},
                f"{euros(t.amount)} · {t.get_status_display()}",
            )
            for t in award.tranches.order_by("number")
        ]
        expenses = [e for report in award.expense_reports.all() for e in report.expenses.all()]
        rows += [
            (
                f"{e.spent_on:%Y-%m-%d} · {e.supplier}",
                f"{euros(e.amount)} · {e.get_review_display()}",
            )
            for e in expenses
        ]
        data["award"] = {
            "amount": str(award.amount),
            "status": award.status,
            "signed_name": award.signed_name,
            "tranches": [
                {"number": t.number, "amount": str(t.amount), "status": t.status}
                for t in award.tranches.order_by("number")
            ],
            "expenses": [
                {
                    "supplier": e.supplier,
                    "description": e.description,
                    "spent_on": e.spent_on.isoformat(),
                    "amount": str(e.amount),
                    "vat": str(e.vat),
                    "review": e.review,
                }
                for e in expenses
            ],
        }
    return {
        "title": _("Grant application %(reference)s") % {"reference": application.reference},
        "intro": _("What you sent to the call, and what came of it."),
        "rows": rows,
        "data": data,
    }


def _staff_sections(user) -> list[dict]:
    sections = []
    endorsements = list(Endorsement.objects.filter(mentor=user).select_related("application__call"))
    if endorsements:
        sections.append(
            {
                "title": _("Endorsements you gave to grant applications"),
                "intro": _("What you wrote as a mentor for your mentees' applications."),
                "rows": [(e.application.call.title, e.text or "—") for e in endorsements],
                "data": [
                    {
                        "call": e.application.call.title,
                        "text": e.text,
                        "given_at": e.given_at and e.given_at.isoformat(),
                    }
                    for e in endorsements
                ],
            }
        )
    assignments = list(
        Assignment.objects.filter(evaluator=user)
        .select_related("application__call")
        .prefetch_related("scores")
    )
    if assignments:
        sections.append(
            {
                "title": _("Grant applications you evaluated"),
                "intro": _("Your declarations of interest and your scores."),
                "rows": [
                    (
                        f"{a.application.call.title} · {a.application.reference}",
                        f"{a.get_conflict_display()} · {a.comment or '—'}",
                    )
                    for a in assignments
                ],
                "data": [
                    {
                        "application": a.application.reference,
                        "conflict": a.conflict,
                        "comment": a.comment,
                        "scores": [
                            {"criterion": s.criterion_id, "score": s.score, "comment": s.comment}
                            for s in a.scores.all()
                        ],
                    }
                    for a in assignments
                ],
            }
        )
    return sections


def _plan(applications) -> list[dict]:
    outcomes = []
    if applications.filter(submitted_at__isnull=True).exists():
        outcomes.append(
            {
                "action": DELETED,
                "what": _("Your grant applications never submitted, with their documents"),
            }
        )
    if applications.filter(submitted_at__isnull=False).exists():
        outcomes.append(
            {
                "action": KEPT,
                "what": _("Your submitted grant applications, awards, payments and receipts"),
                "why": str(GRANT_AUDIT),
            }
        )
    return outcomes


def _staff_plan(user) -> list[dict]:
    outcomes = []
    if Endorsement.objects.filter(mentor=user).exists():
        outcomes.append(
            {
                "action": KEPT,
                "what": _("The endorsements you gave to grant applications, no longer signed"),
                "why": str(GRANT_AUDIT),
            }
        )
    if Assignment.objects.filter(evaluator=user).exists():
        outcomes.append(
            {
                "action": KEPT,
                "what": _("Your declarations of interest and scores of grant applications"),
                "why": str(GRANT_AUDIT),
            }
        )
    return outcomes


def _erase(applications) -> None:
    drafts = applications.filter(submitted_at__isnull=True)
    for draft in drafts.prefetch_related("documents"):
        for document in draft.documents.all():
            document.file.delete(save=False)
    drafts.delete()


class GrantsPersonalData:
    """An applicant's grant records; a mentor's endorsements; an evaluator's scores."""

    key = PROVIDER_KEY

    def export(self, *, user, by):
        participants = Participant.objects.filter(user=user)
        return [_application_section(a) for a in _applications(participants)] + _staff_sections(
            user
        )

    def erasure_plan(self, *, user):
        return _plan(_applications(Participant.objects.filter(user=user))) + _staff_plan(user)

    def erase(self, *, user, by, reason, now):
        outcomes = self.erasure_plan(user=user)
        with transaction.atomic():
            _erase(_applications(Participant.objects.filter(user=user)))
        return outcomes

    def participation_erasure_plan(self, *, participant):
        return _plan(_applications([participant]))

    def erase_participation(self, *, participant, by, reason, now):
        outcomes = self.participation_erasure_plan(participant=participant)
        with transaction.atomic():
            _erase(_applications([participant]))
        return outcomes
