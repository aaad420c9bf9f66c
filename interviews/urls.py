from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("all/", views.interview_list, name="interview_list"),
    path("<int:pk>/", views.interview_detail, name="interview_detail"),
    path("<int:pk>/assessment/", views.interview_assess, name="interview_assess"),
    path("<int:pk>/status/", views.interview_set_status, name="interview_set_status"),
    path("<int:pk>/move/", views.interview_reschedule, name="interview_reschedule"),
    path("tranches/", views.tranche_list, name="tranche_list"),
    path("tranches/new/", views.tranche_create, name="tranche_create"),
    path("tranches/<int:pk>/", views.tranche_detail, name="tranche_detail"),
    path("tranches/<int:pk>/edit/", views.tranche_update, name="tranche_update"),
    path(
        "tranches/<int:pk>/candidates/",
        views.tranche_candidate_options,
        name="tranche_candidate_options",
    ),
]
