from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    # Not at "" : /<lang>/path/ is the editors' Wagtail page about the path.
    path("dashboard/", views.dashboard, name="dashboard"),
    path("join/", views.join, name="join"),
    path("join/review/", views.intake_review, name="intake_review"),
    path("join/<slug:step>/", views.intake_step, name="intake_step"),
    path("consents/", views.consents, name="consents"),
    path("preferences/", views.preferences, name="preferences"),
    path("my-data/", views.export_own_data, name="export"),
    path("my-data/read/", views.own_data_page, name="my_data"),
    path("my-data/pdf/", views.own_data_pdf, name="my_data_pdf"),
    path("erasure/", views.erasure_request, name="erasure_request"),
    path("erasure/withdraw/", views.erasure_withdraw, name="erasure_withdraw"),
    path("follow-up/<int:pk>/", views.follow_up, name="follow_up"),
    path("handover/", views.handover_claim, name="handover_claim"),
    path("staff/enrol/", views.assisted_enrol, name="assisted_enrol"),
    path("staff/<int:pk>/review/", views.staff_intake_review, name="staff_intake_review"),
    path("staff/<int:pk>/<slug:step>/", views.staff_intake_step, name="staff_intake_step"),
    path("staff/consent-document/<int:pk>/", views.consent_document, name="consent_document"),
]
