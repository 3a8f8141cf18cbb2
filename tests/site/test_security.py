"""Public pages carry a strict Content-Security-Policy and ship no inline code."""

import re

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/it/", "/en/", "/it/account/login/", "/it/search/?q=x"])
def test_public_pages_send_a_strict_csp(client, home_page, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/it/", "/it/account/login/", "/it/account/signup/"])
def test_public_pages_have_no_inline_scripts_or_styles(client, home_page, path):
    html = client.get(path).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script on {path}: {tag}"
    assert "<style" not in html, f"inline <style> on {path}"
    assert " style=" not in html, f"style attribute on {path}"


@pytest.mark.django_db
def test_nothing_loads_from_another_origin(client, home_page):
    html = client.get("/it/").content.decode()
    external_assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', html)
    assert not external_assets
