"""Evaluation: coordinators assign evaluators of the application's site, each evaluator
declares (no) conflict of interest before reading it, scores every criterion with a reason and
submits once; the ranking of a call is worked out from the submitted scores.

The score of one evaluation is out of 100: each criterion's score is placed on its own range
(``min_score`` → 0, ``max_score`` → 1) and weighted by the criterion's weight::

    evaluation = 100 × Σ weight_i × (score_i − min_i) / (max_i − min_i) / Σ weight_i

(with weights adding up to 100, as editors write them, that is ``Σ weight_i × share_i``).
The application's score is the mean of its submitted evaluations; evaluators disagree when
their evaluations differ by more than the call's ``disagreement_threshold`` points. Scores are
``Decimal`` to two places, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.grants.models import (
    Assignment,
    Award,
    GrantApplication,
    GrantCallPage,
    GrantCriterion,
    Score,
)
from coaching.grants.services.audit import grant_log
from coaching.selectors import StaffRole, may_act_on_site, site_staff

POINTS = Decimal("0.01")
#: Applications that take part in the ranking: past the applicant's hands, not withdrawn.
RANKED = (
    GrantApplication.Status.SUBMITTED,
    GrantApplication.Status.AWARDED,
    GrantApplication.Status.REJECTED,
)


def _points(value: Decimal) -> Decimal:
    return Decimal(value).quantize(POINTS, rounding=ROUND_HALF_UP)


# --- Assigning -------------------------------------------------------------------------------


def assignable_evaluators(application: GrantApplication):
    """Who may evaluate ``application``: evaluators of its site, never the applicant, none
    assigned to it already (a conflict declared stays an assignment: that person is out)."""
    assigned = application.assignments.values_list("evaluator_id", flat=True)
    return (
        site_staff(application.site_id, role=StaffRole.EVALUATOR)
        .exclude(pk=application.participant.user_id)
        .exclude(pk__in=assigned)
        .order_by("last_name", "first_name", "pk")
    )


def counting_assignments(application: GrantApplication):
    """The assignments that count towards the evaluators needed: none with a conflict."""
    return application.assignments.exclude(conflict=Assignment.Conflict.CONFLICT)


def assignments_missing(application: GrantApplication) -> int:
    """How many more evaluators the coordinator should assign to reach the call's number."""
    needed = application.call.evaluators_per_application
    return max(0, needed - counting_assignments(application).count())


@transaction.atomic
def assignment_create(*, application: GrantApplication, evaluator, by) -> tuple[Assignment, bool]:
    """Ask ``evaluator`` to score ``application``; ``(assignment, False)`` when they already
    were (the same form sent twice). Only a coordinator of the application's site assigns,
    only a submitted application, only an evaluator of that site who is not the applicant."""
    if not may_act_on_site(by, application.site_id, role=StaffRole.COORDINATOR):
        raise PermissionDenied
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    existing = Assignment.objects.filter(application=application, evaluator=evaluator).first()
    if existing is not None:
        return existing, False
    if application.status != GrantApplication.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted application waiting for a decision can be given evaluators."),
            code="not_submitted",
        )
    if evaluator.pk == application.participant.user_id:
        raise ValidationError(_("Applicants cannot evaluate their own application."), code="own")
    if (
        not site_staff(application.site_id, role=StaffRole.EVALUATOR)
        .filter(pk=evaluator.pk)
        .exists()
    ):
        raise ValidationError(
            _("Choose an evaluator who evaluates for this municipality."), code="not_evaluator"
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                application=application, evaluator=evaluator, assigned_by=by
            )
    except IntegrityError:
        return Assignment.objects.get(application=application, evaluator=evaluator), False
    grant_log(
        instance=assignment,
        action="grants.assignment_create",
        by=by,
        data={"application": application.reference, "evaluator": evaluator.pk},
    )
    return assignment, True


# --- Declaring -------------------------------------------------------------------------------


def _own_locked(assignment: Assignment, by) -> Assignment:
    if assignment.evaluator_id != getattr(by, "pk", None):
        raise PermissionDenied
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


@transaction.atomic
def assignment_declare(
    *, assignment: Assignment, conflict: bool, note: str = "", by
) -> tuple[Assignment, bool]:
    """The evaluator's declaration, once: no conflict of interest (they may read the
    application) or a conflict, with what it is (the assignment no longer counts and the
    coordinator assigns someone else). ``(assignment, False)`` when already declared."""
    assignment = _own_locked(assignment, by)
    if assignment.conflict != Assignment.Conflict.UNDECLARED:
        return assignment, False
    note = (note or "").strip()
    if conflict and not note:
        raise ValidationError(
            {"note": _("Say what the conflict of interest is, in a few words.")},
            code="no_note",
        )
    assignment.conflict = Assignment.Conflict.CONFLICT if conflict else Assignment.Conflict.NONE
    assignment.conflict_note = note if conflict else ""
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
    grant_log(
        instance=assignment,
        action="grants.assignment_declare",
        by=by,
        data={"conflict": assignment.conflict, "application": assignment.application.reference},
    )
    return assignment, True


# --- Scoring ---------------------------------------------------------------------------------


def criteria_of(call_or_id) -> list[GrantCriterion]:
    call_id = getattr(call_or_id, "pk", call_or_id)
    return list(GrantCriterion.objects.filter(page_id=call_id).order_by("sort_order", "pk"))


def _score_problems(criteria, scores: dict, comment: str, *, complete: bool) -> dict:
    """Field errors of ``scores`` (``{criterion_id: (score | None, comment)}``), keyed as the
    evaluation form names its fields."""
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        score, why = scores.get(criterion.pk, (None, ""))
        if score is not None and not criterion.min_score <= score <= criterion.max_score:
            errors[f"score_{criterion.pk}"] = [
                _("Give a score from %(low)d to %(high)d.")
                % {"low": criterion.min_score, "high": criterion.max_score}
            ]
        if complete and score is None:
            errors[f"score_{criterion.pk}"] = [_("Give this criterion a score.")]
        if complete and not (why or "").strip():
            errors[f"comment_{criterion.pk}"] = [_("Say why you gave this score.")]
    if complete and not (comment or "").strip():
        errors["comment"] = [_("Write an overall comment.")]
    return errors


@transaction.atomic
def evaluation_save(
    *, assignment: Assignment, scores: dict, comment: str, submit: bool, by
) -> tuple[Assignment, bool]:
    """Keep the evaluator's scores and reasons (``{criterion_id: (score | None, comment)}``)
    and overall comment; with ``submit``, every criterion scored with a reason, and then the
    evaluation is final. ``(assignment, False)`` when it was submitted already (a second
    click): nothing changes after submission."""
    assignment = _own_locked(assignment, by)
    if assignment.submitted_at is not None:
        return assignment, False
    if assignment.conflict != Assignment.Conflict.NONE:
        raise PermissionDenied
    if assignment.application.status == GrantApplication.Status.WITHDRAWN:
        raise ValidationError(_("The applicant withdrew this application."), code="withdrawn")
    criteria = criteria_of(assignment.application.call_id)
    errors = _score_problems(criteria, scores, comment, complete=submit)
    if errors:
        raise ValidationError(errors, code="scores")
    for criterion in criteria:
        score, why = scores.get(criterion.pk, (None, ""))
        if score is None:
            assignment.scores.filter(criterion=criterion).delete()
            continue
        assignment.scores.update_or_create(
            criterion=criterion, defaults={"score": score, "comment": (why or "").strip()}
        )
    assignment.comment = (comment or "").strip()
    fields = ["comment"]
    if submit:
        assignment.submitted_at = timezone.now()
        fields.append("submitted_at")
    assignment.save(update_fields=fields)
    grant_log(
        instance=assignment,
        action="grants.evaluation_submit" if submit else "grants.evaluation_save",
        by=by,
        data={
            "application": assignment.application.reference,
            "scores": {str(pk): value[0] for pk, value in scores.items()},
        },
    )
    return assignment, True


# --- Ranking ---------------------------------------------------------------------------------


def weighted_score(criteria, scores: dict[int, int]) -> Decimal | None:
    """One evaluation out of 100 (see the module's docstring); ``None`` if a criterion has
    no score."""
    total_weight = sum((Decimal(c.weight) for c in criteria), Decimal("0"))
    if not criteria or total_weight <= 0:
        return None
    total = Decimal("0")
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None:
            return None
        span = Decimal(criterion.max_score - criterion.min_score)
        total += Decimal(criterion.weight) * (Decimal(score) - criterion.min_score) / span
    return _points(100 * total / total_weight)


def submitted_evaluations(application: GrantApplication):
    return application.assignments.filter(
        conflict=Assignment.Conflict.NONE, submitted_at__isnull=False
    )


@dataclass
class RankedApplication:
    application: GrantApplication
    evaluations: list[Decimal] = field(default_factory=list)
    assigned: int = 0
    needed: int = 0
    score: Decimal | None = None
    spread: Decimal | None = None
    disagreement: bool = False
    award: object = None
    rank: int | None = None

    @property
    def done(self) -> int:
        return len(self.evaluations)

    @property
    def complete(self) -> bool:
        return self.done >= self.needed


@dataclass
class Ranking:
    call: GrantCallPage
    rows: list[RankedApplication]

    @property
    def final(self) -> bool:
        """Every application has the evaluations the call asks for."""
        return all(row.complete for row in self.rows)


def call_ranking(call: GrantCallPage, applications) -> Ranking:
    """The ranking of ``applications`` (the coordinator's, of this call: the caller scopes
    them through ``selectors``), best first; those without any submitted evaluation last.
    A fixed number of queries however many applications and evaluators."""
    criteria = criteria_of(call)
    rows = {
        application.pk: RankedApplication(
            application=application, needed=call.evaluators_per_application
        )
        for application in applications.filter(call=call, status__in=RANKED)
    }
    assignments = Assignment.objects.filter(application_id__in=rows).exclude(
        conflict=Assignment.Conflict.CONFLICT
    )
    by_assignment: dict[int, dict[int, int]] = {}
    for score in Score.objects.filter(
        assignment__in=assignments.filter(submitted_at__isnull=False)
    ):
        by_assignment.setdefault(score.assignment_id, {})[score.criterion_id] = score.score
    for assignment in assignments:
        row = rows[assignment.application_id]
        row.assigned += 1
        if assignment.submitted_at is not None and assignment.conflict == Assignment.Conflict.NONE:
            value = weighted_score(criteria, by_assignment.get(assignment.pk, {}))
            if value is not None:
                row.evaluations.append(value)
    for award in Award.objects.filter(application_id__in=rows):
        rows[award.application_id].award = award
    threshold = Decimal(call.disagreement_threshold)
    for row in rows.values():
        if row.evaluations:
            row.score = _points(sum(row.evaluations) / len(row.evaluations))
            row.spread = max(row.evaluations) - min(row.evaluations)
            row.disagreement = row.spread > threshold
    ordered = sorted(
        rows.values(),
        key=lambda row: (
            row.score is None,
            -(row.score or 0),
            row.application.submitted_at or row.application.created_at,
        ),
    )
    for position, row in enumerate(ordered, start=1):
        row.rank = position if row.score is not None else None
    return Ranking(call=call, rows=ordered)
