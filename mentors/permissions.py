"""Who may edit a site's mentoring settings in the Wagtail admin.

Wagtail's policy for site settings lets a holder of the model permission edit the settings of
every site; the Coordinator group holds ``mentors.change_matchingsettings`` for all its members,
so that would let one municipality's coordinator change another's weights. This policy keeps
Wagtail's rule and narrows it with the one site scoping rule (``coaching.selectors``).
"""

from wagtail.models import Site
from wagtail.permission_policies.sites import SitePermissionPolicy


class StaffSitePermissionPolicy(SitePermissionPolicy):
    """Wagtail's site-setting permissions, on the coordinator's own sites only."""

    def _site_ids(self, user):
        from coaching.selectors import StaffRole, staff_site_ids

        return staff_site_ids(user, StaffRole.COORDINATOR)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        site_ids = self._site_ids(user)
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        return site_ids is None or site_id in site_ids

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        site_ids = self._site_ids(user)
        return sites if site_ids is None else sites.filter(pk__in=site_ids)

    def user_has_any_permission(self, user, actions):
        """The menu item shows only to people who can edit some site's settings."""
        if not super().user_has_any_permission(user, actions):
            return False
        site_ids = self._site_ids(user)
        return site_ids is None or bool(site_ids)
