"""Business-plan models, split by sub-domain; import them from here."""

from coaching.plans.models.finance import (
    MAX_AMOUNT,
    BudgetCategory,
    Forecast,
    FundingSource,
    RunningCost,
    StartupCost,
    VatRate,
)
from coaching.plans.models.plan import (
    SECTION_MAX_LENGTH,
    BusinessPlan,
    PlanSection,
    SectionConflict,
)
from coaching.plans.models.review import COMMENT_MAX_LENGTH, PlanComment
from coaching.plans.models.rules import CallRules, CategoryRule
from coaching.plans.models.templates import PlanTemplate, PlanTemplateSection
from coaching.plans.models.versions import PlanVersion

__all__ = [
    "COMMENT_MAX_LENGTH",
    "MAX_AMOUNT",
    "SECTION_MAX_LENGTH",
    "BudgetCategory",
    "BusinessPlan",
    "CallRules",
    "CategoryRule",
    "Forecast",
    "FundingSource",
    "PlanComment",
    "PlanSection",
    "PlanTemplate",
    "PlanTemplateSection",
    "PlanVersion",
    "RunningCost",
    "SectionConflict",
    "StartupCost",
    "VatRate",
]
