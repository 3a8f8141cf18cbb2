"""Italian is the default language: every interface string has an Italian translation.

Source strings are English, so the English catalogue needs no translations; the Italian one
must be complete (nothing empty, nothing fuzzy) and compiled.
"""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path
    for folder in ("site", "coaching", "mentors", "resources")
    for path in (ROOT / folder).glob("locale/it/LC_MESSAGES/django.po")
)


def test_every_package_with_strings_has_an_italian_catalogue():
    assert ROOT / "site/locale/it/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_italian_catalogue_is_complete_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"Untranslated in {po_path}: {untranslated}"
    assert not fuzzy, f"Fuzzy in {po_path}: {fuzzy}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make compilemessages`."
    compiled = {entry.msgid for entry in polib.mofile(str(mo_path))}
    missing = {entry.msgid for entry in catalogue.translated_entries()} - compiled
    assert not missing, f"{mo_path} is out of date: run `make compilemessages`."
