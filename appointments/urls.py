from django.urls import path

from appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("interviews/<int:pk>/invitation.ics", views.interview_ics, name="interview_ics"),
    path(
        "entries/<int:pk>/schedule/",
        views.company_interview_schedule,
        name="company_interview_schedule",
    ),
    path("company/<int:pk>/", views.company_interview_detail, name="company_interview_detail"),
    path(
        "company/<int:pk>/move/",
        views.company_interview_reschedule,
        name="company_interview_reschedule",
    ),
    path(
        "company/<int:pk>/status/",
        views.company_interview_set_status,
        name="company_interview_set_status",
    ),
    path(
        "company/<int:pk>/invitation.ics", views.company_interview_ics, name="company_interview_ics"
    ),
    path("feed/", views.feed_manage, name="feed_manage"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    # A calendar app's subscription: no login, the secret address is the key.
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
