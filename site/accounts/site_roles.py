"""Keep each municipality's role groups in step with sites, home pages and staff assignments."""

from django.apps import apps as global_apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site

from coaching.models import StaffSiteAssignment
from portal_site.accounts import services
from portal_site.accounts.models import SiteRoleGroup, User


@receiver(post_migrate)
def sync_site_roles_after_migrate(sender, **kwargs):
    # Once per migrate (or flush), when the last app is done and every permission exists
    # (Django sends the signal only for apps that have models).
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        services.site_roles_sync_all()


@receiver(post_save, sender=Site)
def sync_site_roles_of_saved_site(sender, instance, raw=False, **kwargs):
    if not raw:
        services.site_roles_sync(site=instance)


@receiver(post_save)
def sync_site_roles_for_new_home_translation(sender, instance, created, raw=False, **kwargs):
    """A new translation of a site's home page belongs to that site's pages too.

    Connected for every model: Django sends the signal with the page's own class as sender.
    """
    if raw or not created or not isinstance(instance, Page) or instance.depth != 2:
        return
    sites = Site.objects.filter(root_page__translation_key=instance.translation_key)
    for site in sites.select_related("root_page"):
        services.site_roles_sync(site=site)


@receiver([post_save, post_delete], sender=StaffSiteAssignment)
def sync_groups_of_assigned_user(sender, instance, raw=False, **kwargs):
    if not raw:
        services.user_site_groups_sync(user=instance.user)


@receiver(m2m_changed, sender=User.groups.through)
def sync_groups_after_role_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    managed = set(SiteRoleGroup.objects.values_list("group_id", flat=True))
    if reverse:
        # group.user_set.add(...): pk_set holds users.
        if instance.pk in managed:
            return
        users = User.objects.filter(pk__in=pk_set) if pk_set else User.objects.none()
    else:
        if pk_set is not None and set(pk_set) <= managed:
            return
        users = [instance]
    for user in users:
        services.user_site_groups_sync(user=user)
