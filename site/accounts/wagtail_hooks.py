"""What each staff role finds in the Wagtail admin's menu, and the host's role declarations.

Wagtail already hides most items from people without the matching permission (pages, images,
documents, snippets, settings, users): the roles' permissions, declared by each app
(``register_avvio_roles``) and granted by ``services.roles_sync``, decide. Two items are shown
to everyone who can open the admin and are trimmed here:

- the Translations report (wagtail-localize shows it to all): only for people who may submit
  translations, i.e. editors;
- the Help menu (Wagtail's editor guide and what is new in Wagtail): only for people who edit
  pages.

Coordinators and finance officers therefore see the dashboard, plus whatever the coaching and
grant apps add for them with their own permission checks. Superusers see everything.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.permission_policies.pages import PagePermissionPolicy

from coaching.selectors import user_has_participant_records
from portal_site.accounts import roles

TRANSLATE_PERMISSION = "wagtail_localize.submit_translation"


def _translations_report_url() -> str:
    try:
        return reverse("wagtail_localize:translations_report")
    except NoReverseMatch:
        return ""


@hooks.register("construct_main_menu")
def hide_help_from_non_editors(request, menu_items):
    if user_has_any_page_permission(request.user):
        return
    menu_items[:] = [item for item in menu_items if item.name != "help"]


@hooks.register("construct_reports_menu")
def hide_translations_report_from_non_translators(request, menu_items):
    if request.user.has_perm(TRANSLATE_PERMISSION):
        return
    url = _translations_report_url()
    menu_items[:] = [item for item in menu_items if not url or item.url != url]


@hooks.register("construct_homepage_summary_items", order=100)
def keep_the_site_summary_for_editors(request, summary_items):
    """The page, image and document counts (and the page search with them, in the host's
    ``wagtailadmin/home.html``) are for people who write pages; coordinators, who only
    approve them, and finance officers land on their own panels instead."""
    if PagePermissionPolicy().user_has_any_permission(request.user, {"add", "change"}):
        return
    summary_items.clear()


@hooks.register("before_delete_user")
def keep_accounts_with_programme_records(request, user):
    """A participant's records outlive the account (ESF+ reporting, consent evidence), so
    the account is erased through the participant's page instead of deleted here."""
    if not user_has_participant_records(user):
        return None
    messages.error(
        request,
        _(
            "This person has records in the self-employment path that must be kept. "
            "Erase their personal data from their participant page instead."
        ),
    )
    return redirect("wagtailusers_users:edit", user.pk)


@hooks.register(roles.ROLES_HOOK)
def register_roles():
    """The host's own rights for its roles (``portal_site.accounts.roles``)."""
    return roles.roles()
