"""The roles microgrants need, as data (see ``coaching.roles``). Coordinators run calls,
evaluations, awards and expense checks; finance officers approve and pay tranches; evaluators
score what they are assigned. What each sees is ``selectors``' rule, never a permission alone.
"""

from coaching.conf import app_settings
from coaching.roles import COORDINATOR, EVALUATOR, FINANCE_OFFICER

COORDINATOR_PERMISSIONS = (
    "grants.view_grantapplication",
    "grants.view_assignment",
    "grants.add_assignment",
    "grants.view_award",
    "grants.add_award",
    "grants.view_tranche",
    "grants.view_ledgerentry",
    "grants.view_expensereport",
    "grants.view_expense",
)
FINANCE_OFFICER_PERMISSIONS = (
    "grants.view_award",
    "grants.view_tranche",
    "grants.change_tranche",
    "grants.view_ledgerentry",
    "grants.add_ledgerentry",
)
EVALUATOR_PERMISSIONS = ("grants.view_assignment", "grants.change_assignment")


def roles() -> dict[str, dict]:
    return {
        COORDINATOR: {
            "group": app_settings.COORDINATOR_GROUP,
            "permissions": COORDINATOR_PERMISSIONS,
        },
        FINANCE_OFFICER: {
            "group": app_settings.FINANCE_OFFICER_GROUP,
            "permissions": FINANCE_OFFICER_PERMISSIONS,
        },
        EVALUATOR: {"group": app_settings.EVALUATOR_GROUP, "permissions": EVALUATOR_PERMISSIONS},
    }
