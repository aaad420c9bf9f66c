from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("export/log/", views.export_log, name="export_log"),
    path("export/mine/", views.export_mine, name="export_mine"),
    path("export/<int:pk>/", views.export_detail, name="export_detail"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
]
