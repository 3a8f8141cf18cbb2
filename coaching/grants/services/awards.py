"""Deciding applications and the beneficiary's answer.

A coordinator awards a grant (within the call's budget, its rules' smallest and largest
grant and the amount asked for, once the evaluations the call needs are in) or rejects the
application with the reasons. The call's row is locked while an award is added, so two
coordinators awarding at the same moment cannot spend more than the budget: the second waits
for the first, then sees what is left. The beneficiary accepts the award by signing the
agreement generated from it (``coaching.grants.agreement``), which makes its tranches, or
declines it, which gives its amount back to the call's budget.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coaching.grants.agreement import agreement_terms_html, euros, signing_name
from coaching.grants.models import Award, GrantApplication, GrantCallPage, Tranche
from coaching.grants.models.calls import tranche_split
from coaching.grants.models.money import CENT
from coaching.grants.services.audit import grant_log
from coaching.grants.services.evaluation import submitted_evaluations
from coaching.grants.services.tranches import tranches_create, tranches_unlock
from coaching.selectors import StaffRole, may_act_on_site
from coaching.services.notify import language_for, participant_notify

FOLDER = "grants/emails"


def committed(call: GrantCallPage | int) -> Decimal:
    """The total of the call's awards that hold budget (offered or accepted)."""
    call_id = getattr(call, "pk", call)
    total = (
        Award.objects.filter(application__call_id=call_id)
        .exclude(status__in=Award.RELEASED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0")


def budget_left(call: GrantCallPage) -> Decimal:
    return call.budget - committed(call)


def _award_url(award: Award, user) -> str:
    with translation.override(language_for(user)):
        return f"{award.site.root_url}{reverse('grants:award', args=[award.pk])}"


def _locked_application(application: GrantApplication, by) -> GrantApplication:
    if not may_act_on_site(by, application.site_id, role=StaffRole.COORDINATOR):
        raise PermissionDenied
    return (
        GrantApplication.objects.select_for_update(of=("self",))
        .select_related("participant__user", "site")
        .get(pk=application.pk)
    )


def award_problems(application: GrantApplication, amount: Decimal, *, left: Decimal) -> list[str]:
    """Why ``amount`` may not be awarded to ``application`` now, in words (none: it may)."""
    call = application.call
    rules = call.rules
    problems = []
    needed = call.evaluators_per_application
    done = submitted_evaluations(application).count()
    if done < needed:
        problems.append(
            _("The call needs %(needed)d evaluations before a decision; %(done)d are submitted.")
            % {"needed": needed, "done": done}
        )
    if amount <= 0:
        problems.append(_("Give an amount above zero."))
    elif any(share < CENT for _rule, share in tranche_split(call.pk, amount)):
        problems.append(_("The amount is too small to pay in the call’s tranches."))
    if amount > application.requested_amount:
        problems.append(
            _("The applicant asked for %(asked)s: the grant cannot be larger.")
            % {"asked": euros(application.requested_amount)}
        )
    if rules.min_grant is not None and amount < rules.min_grant:
        problems.append(
            _("The call's smallest grant is %(min)s.") % {"min": euros(rules.min_grant)}
        )
    if rules.max_grant is not None and amount > rules.max_grant:
        problems.append(_("The call's largest grant is %(max)s.") % {"max": euros(rules.max_grant)})
    if amount > left:
        problems.append(
            _(
                "Not enough budget left: the call has %(left)s left of %(budget)s, "
                "and this grant is %(amount)s."
            )
            % {"left": euros(left), "budget": euros(call.budget), "amount": euros(amount)}
        )
    return problems


@transaction.atomic
def award_grant(*, application: GrantApplication, amount: Decimal, by) -> tuple[Award, bool]:
    """Award ``amount`` to the submitted ``application``; ``(award, False)`` when it was
    awarded already (the same click twice). Refused with every reason at once."""
    amount = Decimal(amount)
    # The call first, always in this order: every award of the call waits here for the one
    # before it, so the budget read below is the budget left.
    call = GrantCallPage.objects.select_for_update().get(pk=application.call_id)
    application = _locked_application(application, by)
    existing = Award.objects.filter(application=application).first()
    if existing is not None:
        return existing, False
    if application.status != GrantApplication.Status.SUBMITTED:
        raise ValidationError(
            _("This application is %(status)s: it cannot be awarded.")
            % {"status": application.get_status_display().lower()},
            code="not_submitted",
        )
    application.call = call
    left = budget_left(call)
    problems = award_problems(application, amount, left=left)
    if problems:
        raise ValidationError(problems, code="cannot_award")
    award = Award.objects.create(
        application=application, site_id=application.site_id, amount=amount, awarded_by=by
    )
    application.status = GrantApplication.Status.AWARDED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    grant_log(
        instance=award,
        action="grants.award_grant",
        by=by,
        data={
            "application": application.reference,
            "amount": str(amount),
            "budget_left": str(left - amount),
        },
    )
    participant = application.participant
    participant_notify(
        participant=participant,
        folder=FOLDER,
        template="award_offered",
        context={
            "award": award,
            "call": call,
            "amount": lambda: euros(amount),
            "url": _award_url(award, participant.user),
        },
    )
    return award, True


@transaction.atomic
def application_reject(
    *, application: GrantApplication, reason: str, by
) -> tuple[GrantApplication, bool]:
    """Reject the submitted ``application`` with ``reason`` (told to the applicant);
    ``(application, False)`` when it was rejected already."""
    application = _locked_application(application, by)
    if application.status == GrantApplication.Status.REJECTED:
        return application, False
    if application.status != GrantApplication.Status.SUBMITTED:
        raise ValidationError(
            _("This application is %(status)s: it cannot be rejected.")
            % {"status": application.get_status_display().lower()},
            code="not_submitted",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the application is not funded: the applicant reads it.")},
            code="no_reason",
        )
    application.status = GrantApplication.Status.REJECTED
    application.rejection_reason = reason
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save(
        update_fields=["status", "rejection_reason", "decided_by", "decided_at", "updated_at"]
    )
    grant_log(
        instance=application,
        action="grants.application_reject",
        by=by,
        data={"reason": reason},
    )
    participant_notify(
        participant=application.participant,
        folder=FOLDER,
        template="award_rejected",
        context={"application": application, "call": application.call, "reason": reason},
    )
    return application, True


# --- The beneficiary's answer ----------------------------------------------------------------


def _normal(name: str) -> str:
    return " ".join((name or "").casefold().split())


def _own_locked_award(award: Award, by) -> Award:
    if award.application.participant.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    return (
        Award.objects.select_for_update(of=("self",))
        .select_related("application__participant__user", "application__call")
        .get(pk=award.pk)
    )


@transaction.atomic
def award_accept(*, award: Award, signed_name: str, fingerprint: str, by) -> tuple[Award, bool]:
    """The beneficiary signs the agreement they read (``fingerprint``: the SHA-256 of its
    terms as shown to them) by typing their full name: the award is accepted, its
    tranches are made and the first due. ``(award, False)`` when it was accepted already."""
    award = _own_locked_award(award, by)
    if award.status == Award.Status.ACCEPTED:
        return award, False
    if award.status != Award.Status.OFFERED:
        raise ValidationError(
            _("This award is %(status)s: it can no longer be accepted.")
            % {"status": award.get_status_display().lower()},
            code="not_offered",
        )
    expected = signing_name(award)
    signed_name = " ".join((signed_name or "").split())
    if not signed_name:
        raise ValidationError({"signed_name": _("Type your full name to sign.")}, code="no_name")
    if expected and _normal(signed_name) != _normal(expected):
        raise ValidationError(
            {
                "signed_name": _(
                    "Type your full name as the agreement names you: %(name)s. If it is "
                    "wrong, write to the programme before signing."
                )
                % {"name": expected}
            },
            code="wrong_name",
        )
    terms = agreement_terms_html(award)
    current = hashlib.sha256(terms.encode("utf-8")).hexdigest()
    if fingerprint != current:
        raise ValidationError(
            _(
                "The agreement has changed since you opened this page. Read it again "
                "(download it once more) and then sign."
            ),
            code="stale",
        )
    award.status = Award.Status.ACCEPTED
    award.signed_name = signed_name
    award.signed_at = timezone.now()
    award.agreement_sha256 = current
    award.agreement_terms = terms
    award.save(
        update_fields=[
            "status",
            "signed_name",
            "signed_at",
            "agreement_sha256",
            "agreement_terms",
        ]
    )
    grant_log(
        instance=award,
        action="grants.award_accept",
        by=by,
        data={"signed_name": signed_name, "agreement_sha256": current},
    )
    tranches_create(award)
    tranches_unlock(award, by=by)
    return award, True


@transaction.atomic
def award_decline(*, award: Award, by) -> tuple[Award, bool]:
    """The beneficiary turns the offered award down: its amount goes back to the call's
    budget. ``(award, False)`` when it was declined already."""
    award = _own_locked_award(award, by)
    if award.status == Award.Status.DECLINED:
        return award, False
    if award.status != Award.Status.OFFERED:
        raise ValidationError(
            _("This award is %(status)s: it can no longer be declined.")
            % {"status": award.get_status_display().lower()},
            code="not_offered",
        )
    award.status = Award.Status.DECLINED
    award.save(update_fields=["status"])
    grant_log(
        instance=award,
        action="grants.award_decline",
        by=by,
        data={"amount": str(award.amount)},
    )
    return award, True


#: Tranches a revocation cancels: nothing of them reached Stripe.
CANCELLABLE = (
    Tranche.Status.WAITING,
    Tranche.Status.DUE,
    Tranche.Status.REQUESTED,
    Tranche.Status.APPROVED,
    Tranche.Status.FAILED,
)


@transaction.atomic
def award_revoke(*, award: Award, reason: str, by) -> tuple[Award, bool]:
    """A coordinator of the site withdraws an award nothing of which was paid (the agreement
    broken, the activity never started): its tranches are cancelled and its amount goes back
    to the call's budget. Money already paid is never "revoked": what the beneficiary gives
    back is a repayment in the ledger. ``(award, False)`` when it was revoked already."""
    if not may_act_on_site(by, award.site_id, role=StaffRole.COORDINATOR):
        raise PermissionDenied
    locked = Award.objects.select_for_update().get(pk=award.pk)
    if locked.status == Award.Status.REVOKED:
        return locked, False
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the award is revoked.")}, code="no_reason")
    if locked.status not in (Award.Status.OFFERED, Award.Status.ACCEPTED):
        raise ValidationError(
            _("This award is %(status)s: it can no longer be revoked.")
            % {"status": locked.get_status_display().lower()},
            code="not_revocable",
        )
    tranches = list(locked.tranches.select_for_update().order_by("number"))
    if any(t.status not in CANCELLABLE for t in tranches) or locked.ledger.exists():
        raise ValidationError(
            _(
                "Part of this grant was paid or is being paid: it cannot be revoked. Record "
                "what the beneficiary gives back as a repayment."
            ),
            code="paid",
        )
    for tranche in tranches:
        tranche.status = Tranche.Status.CANCELLED
    Tranche.objects.bulk_update(tranches, ["status"])
    locked.status = Award.Status.REVOKED
    locked.save(update_fields=["status"])
    grant_log(
        instance=locked,
        action="grants.award_revoke",
        by=by,
        data={"amount": str(locked.amount), "reason": reason, "tranches": len(tranches)},
    )
    return locked, True
