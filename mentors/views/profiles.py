"""profiles views."""

urlpatterns: list = []
