from django.urls import path

from reports import dashboard_views, export_views, views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("export/", export_views.export, name="export"),
    path("export/log/", export_views.export_log, name="export_log"),
]
