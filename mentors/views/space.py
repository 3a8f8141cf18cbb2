"""space views."""

urlpatterns: list = []
