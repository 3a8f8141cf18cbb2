"""Browser test helpers: accessibility checks with axe-core from npm, injected into the page
under test; tabs signed in at a phone's or a desktop's size; screenshots; the checks every
page of the grants' browser tests passes."""

from pathlib import Path

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
#: Each of the site's languages at each viewport: ``parametrize(("language", "viewport"), CASES)``.
CASES = [(language, viewport) for language in ("it", "en") for viewport in VIEWPORTS]
SHOTS = Path("/tmp/shots")
#: The outermost elements that reach past the right edge of the window.
WIDE = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right
        <= window.innerWidth + 1)
    .map(e => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 10)"""

AXE_PATH = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: True once every finite CSS animation and transition on the page has ended.
SETTLED = """() => document.getAnimations().every(animation =>
    animation.playState !== "running"
    || animation.effect.getComputedTiming().iterations === Infinity)"""


def axe_violations(page) -> list[dict]:
    if not AXE_PATH.exists():
        raise AssertionError(f"axe-core is missing at {AXE_PATH}: run `npm ci`.")
    # Colours are checked as they end up: a message fading in is measured half transparent.
    page.wait_for_function(SETTLED, timeout=10_000)
    # Evaluated rather than added as a <script>: the site's CSP (script-src 'self') blocks
    # inline scripts, and the check must run with the real CSP in force.
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found violations on {page.url}:\n" + format_violations(
        violations
    )


def session_cookie(user) -> str:
    """The value of ``user``'s session cookie once signed in: staff pass the second factor
    (TOTP) as they must in the admin, others just sign in (``tests.coaching.factories``)."""
    from django.test import Client

    from tests.coaching.factories import sign_in

    client = Client()
    sign_in(client, user)
    return client.cookies["sessionid"].value


def new_tab(browser, server, viewport: str, cookie: str | None = None):
    """``(context, tab)``: a fresh browser context at the ``viewport`` named in
    ``VIEWPORTS``, signed in to ``server`` with the session ``cookie`` if one is given."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="it-IT")
    if cookie:
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": server.url}])
    return context, context.new_page()


def screenshot(tab, name: str) -> None:
    """The whole page, to ``/tmp/shots/{name}.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_page_checked(tab, axe, language: str, viewport: str) -> None:
    """One h1, the page's language, no axe violations, and no sideways scrolling on a phone."""
    assert tab.locator("html").get_attribute("lang") == language
    assert tab.locator("h1").count() == 1
    axe(tab)
    if viewport == "phone":
        width = tab.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"] + 1, (
            f"{tab.url} scrolls sideways: {width} px, past the edge: {tab.evaluate(WIDE)}"
        )


def dismiss_help_badges(user) -> None:
    """As after a first visit: Wagtail's "new in this menu" badge on Help pulses for 25 s,
    and axe measures colours only once animations end (``SETTLED``)."""
    from wagtail.users.models import UserProfile
    from wagtail.utils.version import get_main_version

    profile = UserProfile.get_for_user(user)
    version = get_main_version(include_patch=False)
    profile.dismissibles = {
        "help": True,
        "editor-guide": True,
        f"whats-new-in-wagtail-{version}": True,
    }
    profile.save()
