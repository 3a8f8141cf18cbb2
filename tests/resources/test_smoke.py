import pytest

pytestmark = pytest.mark.django_db


def test_pages_render(client, course, lessons):
    for url in [course.get_parent().url, course.url, lessons[0].url, lessons[2].url]:
        response = client.get(url)
        assert response.status_code == 200, url
