from django.urls import path

from resources import feeds, views

app_name = "resources"

urlpatterns = [
    path("lessons/<int:page_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<int:page_id>/not-done/", views.lesson_undone, name="lesson_undone"),
    path("lessons/<int:page_id>/print/", views.lesson_print, name="lesson_print"),
    path("quiz/<int:page_id>/<str:block_id>/", views.quiz, name="quiz"),
    path("video/<int:page_id>/<str:block_id>/", views.video, name="video"),
    path("my-progress/", views.my_progress, name="my_progress"),
    path(
        "certificates/<uuid:certificate_id>/pdf/",
        views.certificate_pdf_view,
        name="certificate_pdf",
    ),
    path(
        "certificates/<uuid:certificate_id>/",
        views.certificate_verify,
        name="certificate_verify",
    ),
    path("opportunities/rss/", feeds.OpportunitiesFeed(), name="opportunities_rss"),
    path("opportunities/atom/", feeds.OpportunitiesAtomFeed(), name="opportunities_atom"),
]
