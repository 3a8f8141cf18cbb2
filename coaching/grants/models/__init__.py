"""The records of microgrants: calls, applications, evaluation, awards, tranches, the
ledger and expense reports."""

from coaching.grants.models.applications import (
    ApplicationDocument,
    BudgetLine,
    Endorsement,
    GrantApplication,
)
from coaching.grants.models.calls import (
    CallQuestion,
    GrantCallPage,
    GrantCriterion,
    RequiredDocument,
    TrancheRule,
)
from coaching.grants.models.evaluation import Assignment, Score
from coaching.grants.models.expenses import Expense, ExpenseReport
from coaching.grants.models.log import GrantLogEntry
from coaching.grants.models.payouts import Award, LedgerEntry, PayeeAccount, StripeEvent, Tranche

__all__ = [
    "ApplicationDocument",
    "Assignment",
    "Award",
    "BudgetLine",
    "CallQuestion",
    "Endorsement",
    "Expense",
    "ExpenseReport",
    "GrantApplication",
    "GrantCallPage",
    "GrantCriterion",
    "GrantLogEntry",
    "LedgerEntry",
    "PayeeAccount",
    "RequiredDocument",
    "Score",
    "StripeEvent",
    "Tranche",
    "TrancheRule",
]
