"""The grant records' log entries: Wagtail's, with the municipality they belong to.

Wagtail's own ``ModelLogEntry`` is shown in the admin's site history to anyone holding any
permission on a model, across every site. Grant records are one municipality's business: their
entries carry the record's site, and ``viewable_by_user`` gives coordinators and finance
officers only their sites' entries (within what their permissions already allow) and an
evaluator only the entries of their own assignments. ``wagtail_hooks`` registers this model
for every grant record, so ``wagtail.log_actions.log`` writes here.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from coaching.exports import spreadsheet_safe

#: How each grant record leads to its site (model name → lookup).
SITE_LOOKUPS = {
    "grantapplication": "site_id",
    "award": "site_id",
    "ledgerentry": "site_id",
    "tranche": "award__site_id",
    "expensereport": "award__site_id",
    "expense": "report__award__site_id",
    "budgetline": "application__site_id",
    "applicationdocument": "application__site_id",
    "endorsement": "application__site_id",
    "assignment": "application__site_id",
    "score": "assignment__application__site_id",
    "payeeaccount": "participant__site_id",
}


def site_id_of(instance) -> int | None:
    lookup = SITE_LOOKUPS.get(instance._meta.model_name)
    if lookup is None:
        return None
    return (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list(lookup, flat=True)
        .first()
    )


class GrantLogEntryManager(ModelLogEntryManager):
    def get_instance_title(self, instance):
        # Labels are exported by Wagtail's site history as they are: a supplier typed as a
        # formula must not become one in a spreadsheet.
        return spreadsheet_safe(super().get_instance_title(instance))

    def log_action(self, instance, action, **kwargs):
        kwargs.setdefault("site_id", site_id_of(instance))
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        from coaching.selectors import StaffRole, staff_site_ids

        if user.is_superuser:
            return self.all()
        site_ids = set()
        for role in (StaffRole.COORDINATOR, StaffRole.FINANCE_OFFICER):
            site_ids |= staff_site_ids(user, role) or set()
        # Not ``super().viewable_by_user``: Wagtail caches the permitted content types on the
        # user from whichever log model asks first, and ModelLogEntry's list has no grants.
        permitted = [
            content_type.pk
            for model, content_type in ContentType.objects.get_for_models(
                *self.model._meta.apps.get_app_config("grants").get_models()
            ).items()
            if any(
                user.has_perm(f"grants.{action}_{model._meta.model_name}")
                for action in ("view", "add", "change", "delete")
            )
        ]
        within_permissions = self.filter(content_type_id__in=permitted)
        own_assignments = self.filter(
            content_type__app_label="grants",
            content_type__model="assignment",
            object_id__in=[
                str(pk)
                for pk in self.model._meta.apps.get_model("grants", "Assignment")
                .objects.filter(evaluator=user)
                .values_list("pk", flat=True)
            ],
        )
        return within_permissions.filter(site_id__in=site_ids) | own_assignments


class GrantLogEntry(BaseLogEntry):
    object_id = models.CharField(max_length=255, db_index=True)
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GrantLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("grant log entry")
        verbose_name_plural = _("grant log entries")

    def __str__(self):
        return f"{self.action} · {self.label}"

    @property
    def object_verbose_name(self):
        model_class = self.content_type.model_class()
        return model_class._meta.verbose_name.title() if model_class else ""
