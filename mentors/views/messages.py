"""messages views."""

urlpatterns: list = []
