"""Awards on the public site (being built)."""

urlpatterns: list = []
