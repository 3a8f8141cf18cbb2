from django.urls import path

from portal_site.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("delete/", views.delete_request, name="account_delete_request"),
]
