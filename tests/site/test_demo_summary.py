"""load_demo ends by saying who can sign in, in which role, with which password, and how
the second factor really starts (issue 9, item 22)."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from portal_site.core.demo import DEMO_USERS


@pytest.mark.django_db
def test_load_demo_prints_the_users_their_roles_and_the_password_once():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    password = settings.AVVIO_DEMO_PASSWORD
    assert output.count(password) == 1
    for role, (email, first_name, last_name) in DEMO_USERS.items():
        line = next(line for line in output.splitlines() if email in line)
        assert line.split()[0] == str(role).split()[0]
        assert f"{first_name} {last_name}" in line
        assert output.count(email) == 1
    # Only the demo users: not the e-mail addresses of the demo participants.
    assert "@example.org" not in output
    assert "the first time they open /admin/" not in output
    assert "right after the first sign-in" in output
    assert "authenticator app (TOTP)" in output


@pytest.mark.django_db
def test_load_demo_tells_each_apps_details_when_asked():
    out = io.StringIO()
    call_command("load_demo", stdout=out, verbosity=2)
    assert "Coaching:" in out.getvalue()
