from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("export/log/", views.export_log, name="export_log"),
]
