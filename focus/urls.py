"""Root URLs. Every page needs a login (LoginRequiredMiddleware) except those marked
login_not_required: login, password reset, health check, language switch, privacy pages and
the accessibility statement, and a user's calendar feed (its secret address is the key)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import healthz

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("catalog/", include("catalog.urls")),
    path("companies/", include("companies.urls")),
    path("candidates/", include("candidates.urls")),
    path("interviews/", include("interviews.urls")),
    path("matching/", include("matching.urls")),
    path("calendar/", include("appointments.urls")),
    path("training/", include("training.urls")),
    path("search/", include("search.urls")),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("imports/", include("imports.urls")),
    path("healthz", healthz, name="healthz"),
    # The privacy notice and the rights page, public: candidates have no login.
    path("privacy/", include("accounts.privacy_urls")),
    # The accessibility statement, public too: it says how to reach the programme another way.
    path("accessibility/", include("accounts.accessibility_urls")),
    # The login page offers the language switch too, before anyone has logged in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The portal's admin site (accounts.admin_site), for the administrator role only.
    path("django-admin/", admin.site.urls),
]
