"""Keep the role groups in step with the apps' declarations, and each municipality's role
groups with sites, home pages and staff assignments."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, Site

from coaching.models import StaffSiteAssignment
from portal_site.accounts import services
from portal_site.accounts.models import SiteRoleGroup, User


@receiver(post_migrate)
def sync_site_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # Once per migrate (or flush), when the last app is done and every permission exists
    # (Django sends the signal only for apps that have models). Not after migrating this app
    # backwards, when its table is gone.
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    if SiteRoleGroup._meta.db_table not in connections[using].introspection.table_names():
        return
    if not Site.objects.using(using).exists():
        # A flush (tests, `manage.py flush`) empties every table and sends this signal too;
        # permissions that data migrations made are gone, and there is nothing to give them
        # to. The next migrate or `sync_roles` applies the roles.
        return
    services.roles_sync()
    services.site_roles_sync_all()


@receiver(post_save, sender=Site)
def sync_site_roles_of_saved_site(sender, instance, raw=False, **kwargs):
    if not raw:
        services.site_roles_sync(site=instance)


@receiver(post_delete, sender=SiteRoleGroup)
def delete_group_of_deleted_site(sender, instance, **kwargs):
    """A deleted site's role groups go with it: their members would keep its page rights."""
    Group.objects.filter(pk=instance.group_id).delete()


@receiver(post_save)
def sync_site_roles_for_new_home_translation(sender, instance, created, raw=False, **kwargs):
    """A new translation of a site's root page belongs to that site's pages too.

    Connected for every model: Django sends the signal with the page's own class as sender.
    """
    if raw or not created or not isinstance(instance, Page):
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
    """Whatever changed someone's groups (a role given or taken, a site group ticked by hand),
    their site role groups are worked out again; the work it does itself changes nothing
    more, so this ends."""
    if reverse and action == "pre_clear":
        # group.user_set.clear() names nobody afterwards: remember who was in it.
        instance._site_roles_members = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        users = [instance]
    else:
        if action == "post_clear":
            pk_set = getattr(instance, "_site_roles_members", [])
        users = User.objects.filter(pk__in=pk_set or [])
    for user in users:
        services.user_site_groups_sync(user=user)


@receiver(pre_delete, sender=Group)
def remember_members_of_deleted_group(sender, instance, **kwargs):
    # Deleting a group sends no m2m signal for its members.
    instance._site_roles_members = list(instance.user_set.values_list("pk", flat=True))


@receiver(post_delete, sender=Group)
def sync_members_of_deleted_group(sender, instance, **kwargs):
    for user in User.objects.filter(pk__in=getattr(instance, "_site_roles_members", [])):
        services.user_site_groups_sync(user=user)
