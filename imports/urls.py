from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
]
