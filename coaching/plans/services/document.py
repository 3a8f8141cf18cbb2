"""A plan as one document: the snapshot kept in ``PlanVersion.data``, and a read-only view of
it for templates (the version page, the comparison, the PDF). Import it from
``coaching.plans.document``; it lives among the services because it reads the finance
inputs through ``services.finance``, and ``services.versions`` takes snapshots.

The snapshot holds everything the plan says (texts, canvas, every financial input) and no
ids, so an old version reads the same after the plan's template, sections or cost lines
changed or went away. Its shape (``schema`` 1) is written out in the issue's common brief.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils import translation

from coaching.plans import canvas
from coaching.plans.models import BudgetCategory, BusinessPlan, FundingSource, PlanSection
from coaching.plans.services import finance

SCHEMA = 1


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _section_title(section: PlanSection) -> str:
    if section.kind == PlanSection.Kind.CANVAS:
        return str(canvas.TITLES.get(section.key, section.title or section.key))
    return section.title or section.key


def snapshot(plan: BusinessPlan) -> dict:
    """The whole plan as it is now, as JSON-ready data (money as strings of Decimals)."""
    sections = list(plan.sections.order_by("kind", "position", "pk"))
    canvas_order = {code: index for index, code in enumerate(canvas.CODES)}
    sections.sort(
        key=lambda s: (
            s.kind != PlanSection.Kind.CANVAS,
            canvas_order.get(s.key, len(canvas_order)) if s.kind == PlanSection.Kind.CANVAS else 0,
            s.position,
            s.pk,
        )
    )
    with translation.override(plan.language):
        parts = [
            {
                "kind": section.kind,
                "key": section.key,
                "title": _section_title(section),
                "text": section.text,
                "done": section.done,
            }
            for section in sections
        ]
    return {
        "schema": SCHEMA,
        "title": plan.title,
        "language": plan.language,
        "status": plan.status,
        "template": plan.template.name if plan.template_id else "",
        "call_rules": finance.call_rules_data(plan.call_rules),
        "sections": parts,
        "finance": finance.plan_finance_data(plan),
    }


def content_of(data: dict) -> dict:
    """What a snapshot says, without the status it was taken in: two snapshots with the same
    content are the same plan."""
    return {key: value for key, value in data.items() if key != "status"}


@dataclass(frozen=True)
class DocumentPart:
    """One text of the document: a canvas box or a section."""

    kind: str
    key: str
    title: str
    text: str
    done: bool

    @property
    def is_canvas(self) -> bool:
        return self.kind == PlanSection.Kind.CANVAS


class PlanDocument:
    """A snapshot for reading: canvas boxes and sections in order, titled in the plan's
    language, and the financial figures computed from the snapshot's inputs."""

    def __init__(self, data: dict):
        self.data = data
        self.title = data.get("title", "")
        self.language = data.get("language") or translation.get_language()
        self.status = data.get("status", "")
        self.template = data.get("template", "")
        self.call_rules = data.get("call_rules")
        self.finance = data.get("finance") or {}

    @classmethod
    def of_plan(cls, plan: BusinessPlan) -> PlanDocument:
        return cls(snapshot(plan))

    @property
    def status_label(self) -> str:
        try:
            return BusinessPlan.Status(self.status).label
        except ValueError:
            return self.status

    def _parts(self, kind: str) -> list[DocumentPart]:
        return [
            DocumentPart(
                kind=part.get("kind", ""),
                key=part.get("key", ""),
                title=part.get("title") or part.get("key", ""),
                text=part.get("text", ""),
                done=bool(part.get("done")),
            )
            for part in self.data.get("sections", [])
            if part.get("kind") == kind
        ]

    @cached_property
    def canvas(self) -> list[DocumentPart]:
        """The nine boxes in the canvas's order, titled in the plan's language."""
        boxes = {part.key: part for part in self._parts(PlanSection.Kind.CANVAS)}
        with translation.override(self.language):
            return [
                DocumentPart(
                    kind=box.kind,
                    key=code,
                    title=str(canvas.TITLES[code]),
                    text=box.text,
                    done=box.done,
                )
                for code in canvas.CODES
                if (box := boxes.get(code)) is not None
            ]

    @cached_property
    def sections(self) -> list[DocumentPart]:
        return self._parts(PlanSection.Kind.SECTION)

    @cached_property
    def parts(self) -> list[DocumentPart]:
        """Canvas first, then the sections: the order every view of a version shows."""
        return [*self.canvas, *self.sections]

    @cached_property
    def startup_costs(self) -> list[dict]:
        """The start-up cost lines with their category's name and amounts as Decimals."""
        return [
            {
                **row,
                "category_label": _label(BudgetCategory, row.get("category", "")),
                "amount": _decimal(row.get("amount")),
            }
            for row in self.finance.get("startup_costs") or []
        ]

    @cached_property
    def funding(self) -> list[dict]:
        return [
            {
                **row,
                "kind_label": _label(FundingSource.Kind, row.get("kind", "")),
                "amount": _decimal(row.get("amount")),
            }
            for row in self.finance.get("funding") or []
        ]

    @cached_property
    def running_costs(self) -> list[dict]:
        return [
            {**row, "monthly_amount": _decimal(row.get("monthly_amount"))}
            for row in self.finance.get("running_costs") or []
        ]

    @cached_property
    def figures(self):
        """``financials.Figures`` of the snapshot's inputs (``services.finance.figures_from``)."""
        return finance.figures_from(self.finance)
