from django.urls import path

from accounts import accessibility

app_name = "accessibility"

urlpatterns = [
    path("", accessibility.statement, name="statement"),
]
