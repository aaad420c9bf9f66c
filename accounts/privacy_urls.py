from django.urls import path

from accounts import privacy

app_name = "privacy"

urlpatterns = [
    path("", privacy.notice, name="notice"),
    # Before the versions: "rights" is not a version.
    path("rights/", privacy.rights, name="rights"),
    path("<slug:version>/", privacy.notice, name="notice_version"),
]
