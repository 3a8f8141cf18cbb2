"""Microgrants in Wagtail: roles, the admin screens (each ``admin`` module registers its
own hooks), who may read a frozen plan version, personal data."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from coaching.grants import roles, selectors
from coaching.grants.admin import applications, evaluation, expenses, ledger, payouts  # noqa: F401
from coaching.grants.models import GrantLogEntry
from coaching.grants.models.log import SITE_LOOKUPS
from coaching.grants.personal_data import GrantsPersonalData
from coaching.plans.selectors import VERSION_READERS_HOOK


@hooks.register("register_avvio_roles")
def register_roles():
    return roles.roles()


@hooks.register(VERSION_READERS_HOOK)
def evaluators_read_frozen_versions(user, version) -> bool:
    return selectors.may_read_plan_version(user, version)


#: The log actions of the services written here; each ``admin`` module registers those of
#: its own services the same way.
ACTIONS = (
    ("grants.application_start", _("Start an application"), _("Application started")),
    ("grants.application_submit", _("Submit an application"), _("Application submitted")),
    ("grants.tranche_due", _("Tranche due"), _("Tranche due: its condition holds")),
)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action, label, message)
    # Grant records log to their own, site-scoped entries (``models.log``), never to
    # Wagtail's ModelLogEntry, which the site history shows across sites.
    for model in apps.get_app_config("grants").get_models():
        if model._meta.model_name in SITE_LOOKUPS:
            actions.register_model(model, GrantLogEntry)


@hooks.register("register_personal_data")
def register_personal_data():
    return GrantsPersonalData()
