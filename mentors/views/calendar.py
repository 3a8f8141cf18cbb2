"""calendar views."""

urlpatterns: list = []
