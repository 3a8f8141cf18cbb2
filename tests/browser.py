"""Accessibility checks with axe-core from npm, injected into the page under test."""

from pathlib import Path

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
