from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.notifications_mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("due/", views.due_list, name="due"),
]
