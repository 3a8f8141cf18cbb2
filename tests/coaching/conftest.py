import pytest
from django.utils.functional import empty

from coaching.models.consent import private_storage
from tests.coaching.factories import assign


@pytest.fixture
def site_coordinator(coordinator, site):
    """A coordinator assigned to the default site."""
    return assign(coordinator, site)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploads go to a throwaway folder; the lazy storage re-reads the setting."""
    settings.COACHING_PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The hand-over rate limit counts in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
