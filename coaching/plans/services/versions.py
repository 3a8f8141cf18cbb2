"""Versions of a plan: made at every submission and on request, compared, restored, frozen.

- ``version_create``: a snapshot (``document.snapshot``) numbered 1, 2, … under a row lock on
  the plan, so two at once never take the same number.
- ``version_request``: the owner's "Save a version"; a snapshot identical to the latest
  version is not made twice (a double click makes one).
- ``version_restore``: keeps the current state first, then writes the old texts back through
  ``editing.section_save`` (each a new revision, so a tab still open on the old text gets a
  conflict, not an overwrite) and the financial inputs through ``finance.finance_restore``,
  and keeps the result as a new version.
- ``plan_freeze``: the version a grant application attaches; only of a ready plan. Frozen
  versions are never changed or deleted (nothing here writes an existing version).
- ``versions_compare``: what changed between two versions, word by word and figure by figure.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.plans.models import BudgetCategory, BusinessPlan, FundingSource, PlanVersion
from coaching.plans.services.document import PlanDocument, content_of, snapshot
from coaching.plans.services.editing import section_save
from coaching.plans.services.finance import finance_restore
from coaching.plans.services.plans import plan_log

LOG_VERSION = "plans.version"
LOG_RESTORE = "plans.restore"
LOG_FREEZE = "plans.freeze"

Reason = PlanVersion.Reason


def _locked(plan: BusinessPlan) -> BusinessPlan:
    return (
        BusinessPlan.objects.select_for_update(of=("self",))
        .select_related("template", "call_rules", "participant")
        .get(pk=plan.pk)
    )


def _latest(plan: BusinessPlan, **filters) -> PlanVersion | None:
    return plan.versions.filter(**filters).order_by("-number").first()


def version_make(plan: BusinessPlan, *, by, reason: str, label: str = "", **fields) -> PlanVersion:
    """A new version of ``plan``, which the caller holds locked (``select_for_update``), with
    no history entry of its own: the caller's step (a submission, a restore) names it."""
    number = (plan.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        reason=reason,
        label=(label or "").strip()[:120],
        data=snapshot(plan),
        created_by=by if getattr(by, "is_authenticated", False) else None,
        **fields,
    )


@transaction.atomic
def version_create(*, plan: BusinessPlan, by, reason: str, label: str = "") -> PlanVersion:
    """Keep the plan as it is now as its next version."""
    locked = _locked(plan)
    version = version_make(locked, by=by, reason=reason, label=label)
    plan_log(
        plan=locked,
        action=LOG_VERSION,
        by=by,
        data={"number": version.number, "reason": reason, "label": version.label},
    )
    return version


@transaction.atomic
def version_request(*, plan: BusinessPlan, by, label: str = "") -> tuple[PlanVersion, bool]:
    """The owner's "Save a version". Returns the version and whether it is new: when nothing
    changed since the latest version (a double click, a second press) that one is returned."""
    locked = _locked(plan)
    if locked.participant.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    latest = _latest(locked)
    if latest is not None and content_of(latest.data) == content_of(snapshot(locked)):
        return latest, False
    version = version_make(locked, by=by, reason=Reason.REQUESTED, label=label)
    plan_log(
        plan=locked,
        action=LOG_VERSION,
        by=by,
        data={"number": version.number, "reason": Reason.REQUESTED, "label": version.label},
    )
    return version, True


@transaction.atomic
def version_restore(*, plan: BusinessPlan, version: PlanVersion, by) -> PlanVersion:
    """Bring back the texts and figures of ``version`` as a new version; the state before is
    kept as a version too, so a restore can itself be undone."""
    locked = _locked(plan)
    if version.plan_id != locked.pk:
        raise PermissionDenied
    if locked.participant.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    if not locked.is_editable:
        raise ValidationError(
            _("This plan is %(status)s: it cannot be changed now, so no version can be restored.")
            % {"status": locked.get_status_display().lower()},
            code="not_editable",
        )
    before = version_make(locked, by=by, reason=Reason.BEFORE_RESTORE)
    sections = {(s.kind, s.key): s for s in locked.sections.all()}
    for part in version.data.get("sections", []):
        section = sections.get((part.get("kind"), part.get("key")))
        if section is None:  # the section is gone from the plan: its old text stays in the version
            continue
        section_save(
            section=section,
            text=part.get("text", ""),
            base_revision=section.revision,
            done=bool(part.get("done")),
            by=by,
        )
    finance_restore(locked, version.data.get("finance") or {})
    locked.refresh_from_db()
    restored = version_make(locked, by=by, reason=Reason.RESTORED, restored_from=version)
    plan_log(
        plan=locked,
        action=LOG_RESTORE,
        by=by,
        data={"number": restored.number, "from": version.number, "kept": before.number},
    )
    return restored


@transaction.atomic
def plan_freeze(*, plan: BusinessPlan, by) -> PlanVersion:
    """The frozen version of a ready plan, which a grant application attaches. Asked again
    while the plan has not changed, it is the same version."""
    locked = _locked(plan)
    if locked.status != BusinessPlan.Status.READY:
        raise ValidationError(
            _("Only a plan your mentor marked ready can be attached to an application."),
            code="not_ready",
        )
    latest = _latest(locked, frozen=True)
    if latest is not None and content_of(latest.data) == content_of(snapshot(locked)):
        return latest
    version = version_make(locked, by=by, reason=Reason.FROZEN, frozen=True)
    plan_log(plan=locked, action=LOG_FREEZE, by=by, data={"number": version.number})
    return version


# --- Comparing -----------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


def _render(tokens: list[str]) -> str:
    return escape("".join(tokens)).replace("\n", "<br>")


def _marked(tag: str, tokens: list[str]) -> str:
    words = _("removed:") if tag == "del" else _("added:")
    text = _render(tokens)
    if not text.strip():
        return text
    return (
        f'<{tag}><span class="visually-hidden">[{escape(words)} </span>{text}'
        f'<span class="visually-hidden">]</span></{tag}>'
    )


def text_diff(before: str, after: str) -> tuple[SafeString, SafeString, int, int]:
    """The two texts as HTML, words taken away marked ``<del>`` in the first and words put in
    marked ``<ins>`` in the second (each also said in words for screen readers), and how many
    words were removed and added."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    left, right, removed, added = [], [], 0, 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(_render(old[i1:i2]))
            right.append(_render(new[j1:j2]))
            continue
        if i2 > i1:
            left.append(_marked("del", old[i1:i2]))
            removed += sum(1 for token in old[i1:i2] if token.strip())
        if j2 > j1:
            right.append(_marked("ins", new[j1:j2]))
            added += sum(1 for token in new[j1:j2] if token.strip())
    return mark_safe("".join(left)), mark_safe("".join(right)), removed, added


@dataclass(frozen=True)
class SectionChange:
    kind: str
    key: str
    title: str
    before: SafeString
    after: SafeString
    removed: int
    added: int
    #: "same", "changed", "added" (only in the later version), "removed" (only in the earlier)
    change: str
    done_before: bool = False
    done_after: bool = False

    @property
    def changed(self) -> bool:
        return self.change != "same"


@dataclass(frozen=True)
class NumberChange:
    label: str
    before: Decimal | None
    after: Decimal | None
    #: Whole numbers (a month), not euros.
    is_count: bool = False

    @property
    def difference(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class Comparison:
    a: PlanVersion
    b: PlanVersion
    sections: list[SectionChange] = field(default_factory=list)
    totals: list[NumberChange] = field(default_factory=list)
    lines: list[NumberChange] = field(default_factory=list)

    @property
    def sections_changed(self) -> int:
        return sum(1 for change in self.sections if change.changed)

    @property
    def numbers_changed(self) -> int:
        return sum(1 for row in [*self.totals, *self.lines] if row.changed)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _sections(a: PlanDocument, b: PlanDocument) -> list[SectionChange]:
    before = {(part.kind, part.key): part for part in a.parts}
    after = {(part.kind, part.key): part for part in b.parts}
    order = [(part.kind, part.key) for part in b.parts]
    order += [key for key in before if key not in after]
    changes = []
    for key in order:
        old, new = before.get(key), after.get(key)
        left, right, removed, added = text_diff(old.text if old else "", new.text if new else "")
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        elif old.text == new.text and old.done == new.done:
            change = "same"
        else:
            change = "changed"
        part = new or old
        changes.append(
            SectionChange(
                kind=part.kind,
                key=part.key,
                title=part.title,
                before=left,
                after=right,
                removed=removed,
                added=added,
                change=change,
                done_before=bool(old and old.done),
                done_after=bool(new and new.done),
            )
        )
    return changes


#: (label, how to read it from ``financials.Figures``, whole number)
TOTALS = (
    (gettext_lazy("Start-up costs before VAT"), lambda f: f.startup.net, False),
    (gettext_lazy("VAT on start-up costs"), lambda f: f.startup.vat, False),
    (gettext_lazy("Start-up costs with VAT"), lambda f: f.startup.gross, False),
    (gettext_lazy("Funding"), lambda f: f.funding_total, False),
    (gettext_lazy("Funding minus start-up costs"), lambda f: f.funding_gap, False),
    (gettext_lazy("Revenue in year 1"), lambda f: f.years[0].revenue, False),
    (gettext_lazy("Result in year 1 after taxes"), lambda f: f.years[0].result_after_taxes, False),
    (gettext_lazy("Lowest cash balance"), lambda f: f.lowest_cash, False),
    (gettext_lazy("Break-even month"), lambda f: f.break_even_month, True),
)


def _figure(figures, read):
    try:
        value = read(figures)
    except (AttributeError, IndexError, TypeError):
        return None
    return None if value is None else Decimal(value)


def _totals(a: PlanDocument, b: PlanDocument) -> list[NumberChange]:
    fa, fb = a.figures, b.figures
    return [
        NumberChange(
            label=str(label), before=_figure(fa, read), after=_figure(fb, read), is_count=count
        )
        for label, read, count in TOTALS
    ]


def _keyed(rows: list[dict], key, amount: str) -> dict:
    """Lines by what they are; the same line twice gets a number after its name."""
    keyed = {}
    for row in rows:
        name = key(row)
        n, unique = 1, name
        while unique in keyed:
            n += 1
            unique = f"{name} ({n})"
        keyed[unique] = _decimal(row.get(amount))
    return keyed


def _category(code: str) -> str:
    try:
        return str(BudgetCategory(code).label)
    except ValueError:
        return code


def _kind(code: str) -> str:
    try:
        return str(FundingSource.Kind(code).label)
    except ValueError:
        return code


def _lines(a: PlanDocument, b: PlanDocument) -> list[NumberChange]:
    groups = (
        (
            "startup_costs",
            lambda row: (
                _("Start-up cost: %(what)s (%(category)s)")
                % {
                    "what": row.get("description", ""),
                    "category": _category(row.get("category", "")),
                }
            ),
            "amount",
        ),
        (
            "funding",
            lambda row: (
                _("Funding: %(kind)s") % {"kind": _kind(row.get("kind", ""))}
                + (f" – {row['note']}" if row.get("note") else "")
            ),
            "amount",
        ),
        (
            "running_costs",
            lambda row: _("Each month: %(what)s") % {"what": row.get("description", "")},
            "monthly_amount",
        ),
    )
    rows = []
    for part, key, amount in groups:
        before = _keyed(a.finance.get(part) or [], key, amount)
        after = _keyed(b.finance.get(part) or [], key, amount)
        names = [*after, *(name for name in before if name not in after)]
        rows += [
            NumberChange(label=name, before=before.get(name), after=after.get(name))
            for name in names
        ]
    return rows


def versions_compare(a: PlanVersion, b: PlanVersion) -> Comparison:
    """What changed from version ``a`` to version ``b``: each section word by word, the totals
    of the financial model and each cost and funding line."""
    first, second = PlanDocument(a.data), PlanDocument(b.data)
    return Comparison(
        a=a,
        b=b,
        sections=_sections(first, second),
        totals=_totals(first, second),
        lines=_lines(first, second),
    )
