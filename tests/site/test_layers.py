"""The import contracts in ``pyproject.toml`` (``[tool.importlinter]``), run by ``make lint``.

The host (``portal_site``) imports the apps, never the reverse; ``mentors`` may import
``coaching``; ``resources`` imports neither; no two modules of an app import each other.
The second test shows the contract is not a formality: the same contracts, checked on a
copy of the code with one upward import added, fail.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
#: Import name -> folder: the host's folder is mapped to ``portal_site`` (see the README).
PACKAGES = {
    "portal_site": "site",
    "coaching": "coaching",
    "mentors": "mentors",
    "resources": "resources",
}


def _lint_imports(cwd: Path, *args: str, pythonpath: Path | None = None):
    # On PYTHONPATH the copy is found before the editable install of the real tree.
    env = {**os.environ, "PYTHONPATH": str(pythonpath)} if pythonpath else None
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_the_code(destination: Path) -> None:
    for package, folder in PACKAGES.items():
        shutil.copytree(
            ROOT / folder,
            destination / package,
            ignore=shutil.ignore_patterns("locale", "static", "templates", "__pycache__"),
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "upward_import"),
    [
        ("resources/feeds.py", "import portal_site.urls"),
        ("coaching/selectors.py", "import mentors.apps"),
        ("resources/services.py", "import coaching.selectors"),
    ],
)
def test_an_upward_import_breaks_the_layers_contract(tmp_path, module, upward_import):
    """A copy of the code (the real tree is never touched), checked with the real contracts."""
    _copy_the_code(tmp_path)
    kept = _lint_imports(tmp_path, "--contract", "layers", pythonpath=tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{upward_import}  # noqa\n")
    broken = _lint_imports(tmp_path, "--contract", "layers", pythonpath=tmp_path)

    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "BROKEN" in broken.stdout
    assert upward_import.split()[1] in broken.stdout


@pytest.mark.parametrize(
    ("module", "cyclic_import"),
    [
        # The library's page types once built their context with the selectors, which query
        # those page types (issue 10): now they ask resources.page_context instead.
        ("resources/models/pages.py", "import resources.selectors"),
        ("coaching/services/exit.py", "import coaching.tasks"),
    ],
)
def test_an_import_cycle_breaks_the_acyclic_contract(tmp_path, module, cyclic_import):
    _copy_the_code(tmp_path)
    kept = _lint_imports(tmp_path, "--contract", "acyclic", pythonpath=tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{cyclic_import}  # noqa\n")
    broken = _lint_imports(tmp_path, "--contract", "acyclic", pythonpath=tmp_path)

    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "BROKEN" in broken.stdout
