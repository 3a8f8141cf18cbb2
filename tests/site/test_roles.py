"""Roles are groups; each staff role finds in the Wagtail admin only what it may use."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.admin.auth import user_has_any_page_permission

from portal_site.accounts import selectors
from portal_site.accounts.roles import STAFF_ROLES, Role, user_has_role
from tests.factories import TEST_PASSWORD, UserFactory
from tests.site.helpers_mfa import sign_in_with_totp


def admin_menu(client) -> dict[str, str]:
    """The admin sidebar's menu as {url: label}, read from the page Wagtail renders.

    Submenus (Reports, Settings, Help) are flattened: their own entry maps "#<name>" to the
    label, followed by their items.
    """
    response = client.get("/admin/")
    assert response.status_code == 200
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.text,
        re.S,
    )
    assert match, "The admin page has no sidebar."
    props = json.loads(match.group(1))
    main_menu = next(
        module for module in props["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule"
    )
    items: dict[str, str] = {}

    def walk(entries):
        for entry in entries:
            options = entry["_args"][0]
            label = options["label"]
            if entry["_type"] == "wagtail.sidebar.SubMenuItem":
                items[f"#{options['name']}"] = label
                walk(entry["_args"][1])
            else:
                items[options["url"]] = label

    walk(main_menu["_args"][0])
    return items


def test_roles_are_the_programme_groups(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


@pytest.mark.parametrize(
    ("role", "has_access"),
    [
        (Role.PARTICIPANT, False),
        (Role.MENTOR, False),
        (Role.EDITOR, True),
        (Role.COORDINATOR, True),
        (Role.FINANCE_OFFICER, True),
    ],
)
def test_admin_access_belongs_to_staff_roles_only(db, user_with_role, role, has_access):
    person = user_with_role(role.value)
    assert user_has_role(person, role)
    assert person.has_perm("wagtailadmin.access_admin") is has_access
    assert selectors.user_is_staff(person) is has_access
    assert (role in STAFF_ROLES) is has_access


def test_django_staff_flags_make_staff_too(db):
    assert selectors.user_is_staff(UserFactory(is_staff=True))
    admin = get_user_model().objects.create_superuser("root@example.org", TEST_PASSWORD)
    assert selectors.user_is_staff(admin)
    assert not selectors.user_is_staff(UserFactory())
    assert not selectors.user_is_staff(UserFactory(is_staff=True, is_active=False))


@pytest.mark.django_db
def test_editor_menu(client, site, editor):
    sign_in_with_totp(client, editor)
    menu = admin_menu(client)
    for url in (
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/settings/core/sitesettings/",
        "/admin/settings/core/navigationsettings/",
        "/admin/redirects/",
        "/admin/localize/reports/translations/",
        "#reports",
        "#settings",
        "#help",
    ):
        assert url in menu, (url, menu)
    for url in ("/admin/users/", "/admin/groups/", "/admin/sites/", "/admin/locales/"):
        assert url not in menu, (url, menu)


#: What the host site puts in the admin for editors only (content, media, site set-up).
EDITORIAL_ITEMS = (
    "/admin/images/",
    "/admin/documents/",
    "#settings",
    "/admin/settings/core/sitesettings/",
    "/admin/settings/core/navigationsettings/",
    "/admin/redirects/",
    "/admin/localize/reports/translations/",
    "/admin/users/",
    "/admin/groups/",
)


@pytest.mark.django_db
@pytest.mark.parametrize("role_fixture", ["coordinator", "finance_officer"])
def test_coordinator_and_finance_officer_do_not_see_editorial_tools(
    client, site, request, role_fixture
):
    person = request.getfixturevalue(role_fixture)
    sign_in_with_totp(client, person)
    menu = admin_menu(client)
    for url in EDITORIAL_ITEMS:
        assert url not in menu, (url, menu)
    # Pages (and Wagtail's editor help) follow page permissions, which the content apps'
    # migrations grant (coordinators approve content in the moderation workflow).
    may_edit_pages = user_has_any_page_permission(person)
    assert ("/admin/pages/" in menu) is may_edit_pages
    assert ("#help" in menu) is may_edit_pages
    # The editorial areas stay closed when opened by address, too.
    for path in ("/admin/images/", "/admin/documents/", "/admin/redirects/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        assert response.get("Location", "/admin/") == "/admin/", path


@pytest.mark.django_db
def test_finance_officer_sees_only_the_dashboard_for_now(client, site, finance_officer):
    sign_in_with_totp(client, finance_officer)
    menu = admin_menu(client)
    # Grants and payments will add their own items, each behind its own permission.
    assert not any(url.startswith(("/admin/pages/", "#help", "#reports")) for url in menu), menu


@pytest.mark.django_db
def test_superuser_sees_everything(client, site):
    admin = get_user_model().objects.create_superuser("root@example.org", TEST_PASSWORD)
    UserFactory(email=admin.email)  # the verified e-mail address allauth needs
    sign_in_with_totp(client, admin)
    menu = admin_menu(client)
    for url in (
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/localize/reports/translations/",
        "#help",
    ):
        assert url in menu, (url, menu)


@pytest.mark.django_db
def test_a_person_with_two_roles_gets_both(client, site, editor):
    editor.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
    sign_in_with_totp(client, editor)
    assert "/admin/pages/" in admin_menu(client)


def test_deleting_a_participants_account_in_the_admin_is_refused_clearly(client, site):
    from coaching.models import Participant
    from tests.coaching.factories import make_participant
    from tests.site.helpers_mfa import sign_in_with_totp

    admin = UserFactory(is_staff=True, is_superuser=True)
    person = make_participant(status="submitted")
    sign_in_with_totp(client, admin)
    url = reverse("wagtailusers_users:delete", args=[person.user.pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "vanno conservati" in response.content.decode()
    assert Participant.objects.filter(pk=person.pk).exists()
