"""sessions views."""

urlpatterns: list = []
