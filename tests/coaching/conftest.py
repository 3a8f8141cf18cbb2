import pytest

from tests.coaching.factories import assign


@pytest.fixture
def site_coordinator(coordinator, site):
    """A coordinator assigned to the default site."""
    return assign(coordinator, site)


@pytest.fixture(autouse=True)
def _private_storage(private_storage_root):
    return private_storage_root
