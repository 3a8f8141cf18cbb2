"""matches views."""

urlpatterns: list = []
