"""Walk the running site as its people do and keep screenshots of each screen.

    python bench/walk.py [--base http://127.0.0.1:8000] [--out var/walk]

Run it against ``make run`` (the demo, dev settings, SQLite): it reads and writes the same
database to compute authenticator codes the way an app on the person's phone would. Each
screen is saved at 375 px (a cheap phone) and 1280 px, in Italian and English, so a person
can read them one by one; it prints one line per screen and any axe-core violation. It also
tries the ways in an attacker would (Wagtail's own sign-in page, a password without the
second factor) and prints what each one got.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_site.settings.dev")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

import django  # noqa: E402

django.setup()

from allauth.mfa import app_settings as mfa_settings  # noqa: E402
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value  # noqa: E402
from django.conf import settings  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import axe_violations, format_violations  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PASSWORD = getattr(settings, "AVVIO_DEMO_PASSWORD", "avvio-demo-2026")
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


class Walk:
    def __init__(self, browser, base: str, out: Path):
        self.browser, self.base, self.out = browser, base.rstrip("/"), out
        self.problems = 0

    def context(self, viewport: str, language: str):
        return self.browser.new_context(
            viewport=VIEWPORTS[viewport], locale="it-IT" if language == "it" else "en-GB"
        )

    def shot(self, page, name: str, *, axe: bool = True) -> None:
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        line = f"{name:55} {page.url[len(self.base) :]}"
        if axe and page.url.startswith(self.base) and "/admin/" not in page.url:
            violations = axe_violations(page)
            if violations:
                self.problems += 1
                line += "\n" + format_violations(violations)
        print(line)

    def sign_in(self, page, language: str, email: str) -> None:
        page.goto(f"{self.base}/{language}/account/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()

    def staff_first_sign_in(self, viewport: str, language: str, email: str) -> None:
        """A staff member's first sign-in: password, set up the app, then the admin."""
        from allauth.mfa.models import Authenticator

        from portal_site.accounts.models import User

        Authenticator.objects.filter(user__email=email).delete()
        tag = f"{viewport}-{language}-staff"
        context = self.context(viewport, language)
        page = context.new_page()
        self.sign_in(page, language, email)
        self.shot(page, f"{tag}-01-after-password")
        page.goto(f"{self.base}/admin/")
        self.shot(page, f"{tag}-02-admin-asks-setup")
        if "/reauthenticate/" in page.url:
            # allauth asks for the password once more before adding a second factor.
            page.fill("input[name=password]", PASSWORD)
            page.locator("form button[type=submit]").first.click()
            self.shot(page, f"{tag}-02b-setup-form")
        # The secret is shown beside the QR code, as a person would type it into their app.
        values = [field.input_value() for field in page.locator("input[readonly]").all()]
        secret = next(value for value in values if re.fullmatch(r"[A-Z2-7]{16,}", value))
        page.fill("input[name=code]", code_for(secret))
        page.locator("form button[type=submit]").last.click()
        self.shot(page, f"{tag}-03-after-setup")
        page.goto(f"{self.base}/admin/")
        self.shot(page, f"{tag}-04-admin", axe=False)
        page.goto(f"{self.base}/admin/coaching_participant/")
        self.shot(page, f"{tag}-05-participants", axe=False)
        manage = page.locator("a[href*='/manage/']").first
        if manage.count():
            manage.click()
            self.shot(page, f"{tag}-06-manage", axe=False)
        context.close()
        user = User.objects.get(email=email)
        assert Authenticator.objects.filter(user=user, type="totp").exists()

    def attacker(self, viewport: str, language: str, email: str) -> None:
        """The password alone, through every door: none reaches the second factor's pages."""
        tag = f"{viewport}-{language}-attacker"
        context = self.context(viewport, language)
        page = context.new_page()
        response = page.request.post(
            f"{self.base}/{language}/_util/login/",
            form={"username": email, "password": PASSWORD},
            max_redirects=0,
        )
        print(f"{tag}: POST /_util/login/ -> {response.status} {response.headers.get('location')}")
        self.sign_in(page, language, email)
        self.shot(page, f"{tag}-01-password-only")
        for path in ("account/2fa/recovery-codes/", "account/reauthenticate/", "account/2fa/"):
            page.goto(f"{self.base}/{language}/{path}")
            print(f"{tag}: {path} -> {page.url[len(self.base) :]}")
            assert "recovery-codes" not in page.url or "code" in page.url
        self.shot(page, f"{tag}-02-where-it-ends")
        context.close()

    def participant(self, viewport: str, language: str, email: str) -> None:
        tag = f"{viewport}-{language}-participant"
        context = self.context(viewport, language)
        page = context.new_page()
        self.sign_in(page, language, email)
        self.shot(page, f"{tag}-01-dashboard")
        for step in ("about", "work"):
            page.goto(f"{self.base}/{language}/path/join/{step}/")
            self.shot(page, f"{tag}-02-intake-{step}")
        path = "percorso" if language == "it" else "path"
        screens = [
            ("03-review", f"/{language}/path/join/review/"),
            ("04-erasure-confirm", f"/{language}/path/erasure/"),
            ("05-my-data", f"/{language}/path/my-data/read/"),
            ("06-search-quote", f"/{language}/search/?q=iva%22"),
            ("07-account", f"/{language}/account/profile/"),
            ("08-programme-page", f"/{language}/{path}/"),
        ]
        for name, address in screens:
            page.goto(self.base + address)
            self.shot(page, f"{tag}-{name}")
        # The language switch on a page that is not a Wagtail page keeps the page.
        page.goto(f"{self.base}/{language}/account/profile/")
        other = "en" if language == "it" else "it"
        page.locator(f'a[hreflang="{other}"]').first.click()
        page.wait_for_load_state()
        print(f"{tag}: language switch on the account page -> {page.url[len(self.base) :]}")
        context.close()

    def library(self, viewport: str, language: str) -> None:
        """An anonymous reader: the library (filters folded on a phone), a lesson's quiz."""
        tag = f"{viewport}-{language}-library"
        context = self.context(viewport, language)
        page = context.new_page()
        library = "biblioteca" if language == "it" else "library"
        page.goto(f"{self.base}/{language}/{library}/")
        self.shot(page, f"{tag}-01-library")
        page.goto(f"{self.base}/{language}/{library}/?q=forfetario")
        self.shot(page, f"{tag}-02-search-synonym")
        links = page.locator(f"main a[href^='/{language}/{library}/']").all()
        lesson = next(
            (
                href
                for href in (link.get_attribute("href") for link in links)
                if href.count("/") >= 5 and "/rss/" not in href
            ),
            None,
        )
        if lesson:
            page.goto(self.base + lesson)
            self.shot(page, f"{tag}-03-lesson")
        context.close()

    def staff_home(self, viewport: str, language: str, email: str, role: str) -> None:
        """What each staff role lands on in the admin (their second factor is set up here)."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import decrypt

        tag = f"{viewport}-{language}-{role}"
        context = self.context(viewport, language)
        page = context.new_page()
        self.sign_in(page, language, email)
        authenticator = Authenticator.objects.filter(user__email=email, type="totp").first()
        if authenticator is None:
            values = [field.input_value() for field in page.locator("input[readonly]").all()]
            secret = next(value for value in values if re.fullmatch(r"[A-Z2-7]{16,}", value))
        else:
            secret = decrypt(authenticator.data["secret"])
        page.fill("input[name=code]", code_for(secret))
        # Enter submits the code's own form (the page has a "cancel" form too).
        page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state()
        page.goto(f"{self.base}/admin/")
        self.shot(page, f"{tag}-01-admin-home", axe=False)
        context.close()

    def mentor(self, viewport: str, language: str, email: str) -> None:
        """The demo mentor: their space, a mentee, a session and its report, the messages,
        their availability, profile and calendar."""
        tag = f"{viewport}-{language}-mentor"
        context = self.context(viewport, language)
        page = context.new_page()
        self.sign_in(page, language, email)
        base = f"{self.base}/{language}/mentoring"
        page.goto(f"{base}/")
        self.shot(page, f"{tag}-01-space")
        mentee = page.locator("a[href*='/mentoring/mentees/']").first
        if mentee.count():
            mentee.click()
            page.wait_for_load_state()
            self.shot(page, f"{tag}-02-mentee")
            session = page.locator("a[href*='/mentoring/sessions/']").first
            if session.count():
                session.click()
                page.wait_for_load_state()
                self.shot(page, f"{tag}-03-session")
                report = page.locator("a[href*='/report/']").first
                if report.count():
                    report.click()
                    page.wait_for_load_state()
                    self.shot(page, f"{tag}-04-report")
            page.go_back()
        for name, path in (
            ("05-availability", "availability/"),
            ("06-profile", "profile/"),
            ("07-calendar", "calendar/"),
        ):
            page.goto(f"{base}/{path}")
            self.shot(page, f"{tag}-{name}")
        context.close()

    def mentee(self, viewport: str, language: str, email: str) -> None:
        """The demo's mentored participant (given the demo password here): their dashboard,
        their mentor, booking a session, the messages, their preferences."""
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(email=email)
        if not user.has_usable_password():
            from allauth.account.models import EmailAddress

            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        tag = f"{viewport}-{language}-mentee"
        context = self.context(viewport, language)
        page = context.new_page()
        self.sign_in(page, language, email)
        self.shot(page, f"{tag}-01-dashboard")
        page.goto(f"{self.base}/{language}/mentoring/my-mentor/")
        self.shot(page, f"{tag}-02-my-mentor")
        links = (("03-book", "a[href*='/book/']"), ("04-messages", "a[href*='/messages/']"))
        for name, selector in links:
            page.goto(f"{self.base}/{language}/path/dashboard/")
            link = page.locator(selector).first
            if link.count():
                link.click()
                page.wait_for_load_state()
                self.shot(page, f"{tag}-{name}")
        page.goto(f"{self.base}/{language}/path/preferences/")
        self.shot(page, f"{tag}-05-preferences")
        page.goto(f"{self.base}/{language}/mentoring/apply/")
        self.shot(page, f"{tag}-06-become-a-mentor")
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "var" / "walk"))
    parser.add_argument("--viewport", choices=[*VIEWPORTS, "all"], default="all")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    viewports = list(VIEWPORTS) if args.viewport == "all" else [args.viewport]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        walk = Walk(browser, args.base, out)
        for viewport in viewports:
            for language in ("it", "en"):
                walk.staff_first_sign_in(viewport, language, "coordinamento@avvio.example")
                walk.attacker(viewport, language, "coordinamento@avvio.example")
                walk.participant(viewport, language, "partecipante@avvio.example")
                walk.library(viewport, language)
                walk.mentor(viewport, language, "mentore@avvio.example")
                walk.mentee(viewport, language, "marco.demo@example.org")
                for email, role in (
                    ("redazione@avvio.example", "editor"),
                    ("ragioneria@avvio.example", "finance"),
                ):
                    walk.staff_home(viewport, language, email, role)
        browser.close()
    print(f"Screenshots in {out}; pages with axe violations: {walk.problems}")
    return 1 if walk.problems else 0


if __name__ == "__main__":
    sys.exit(main())
