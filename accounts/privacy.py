"""The privacy notice given to candidates (GDPR art. 13-14) and the page on their rights.

Every version of the notice a candidate may have consented to stays readable at its own
address: a consent records the version it was given with (`ConsentRecord.notice_version`),
and the notice of that version is the one that applies to it. A new version is a new
template under templates/privacy/notice/ and a row in NOTICE_VERSIONS; the old ones are never
edited. The pages are public: candidates have no login.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.checks import Error, Tags, register
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@dataclass(frozen=True)
class NoticeVersion:
    version: str
    published: datetime.date

    @property
    def template_name(self) -> str:
        return f"privacy/notice/{self.version}.html"


# Every version ever published, the newest first.
NOTICE_VERSIONS = (NoticeVersion("2026-01", datetime.date(2026, 1, 1)),)


def notice_version_get(version: str) -> NoticeVersion | None:
    return next((notice for notice in NOTICE_VERSIONS if notice.version == version), None)


def privacy_contacts() -> dict:
    """Who the pages name, as configured (PRIVACY_* and RETENTION_MONTHS settings)."""
    return {
        "controller": settings.PRIVACY_CONTROLLER,
        "controller_email": settings.PRIVACY_CONTROLLER_EMAIL,
        "dpo_name": settings.PRIVACY_DPO_NAME,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
        "retention_months": settings.RETENTION_MONTHS,
    }


@login_not_required
@require_GET
def notice(request: HttpRequest, version: str | None = None) -> HttpResponse:
    """The notice of `version`, or the current one (PRIVACY_NOTICE_VERSION); 404 if unknown."""
    shown = notice_version_get(version or settings.PRIVACY_NOTICE_VERSION)
    if shown is None:
        raise Http404
    context = {
        "notice": shown,
        "is_current": shown.version == settings.PRIVACY_NOTICE_VERSION,
        "versions": NOTICE_VERSIONS,
        "current_version": settings.PRIVACY_NOTICE_VERSION,
        "privacy": privacy_contacts(),
    }
    return render(request, "privacy/notice_detail.html", context)


@login_not_required
@require_GET
def rights(request: HttpRequest) -> HttpResponse:
    """The data subject's rights and how to exercise them."""
    return render(request, "privacy/rights.html", {"privacy": privacy_contacts()})


@register(Tags.compatibility)
def check_notice_version(app_configs, **kwargs) -> list[Error]:
    """Consents are recorded with PRIVACY_NOTICE_VERSION: that notice must exist."""
    if notice_version_get(settings.PRIVACY_NOTICE_VERSION) is not None:
        return []
    return [
        Error(
            f"PRIVACY_NOTICE_VERSION is {settings.PRIVACY_NOTICE_VERSION!r}, which is not a "
            "published privacy notice: consents would be recorded against a notice nobody "
            "can read.",
            hint="Use one of "
            + ", ".join(notice.version for notice in NOTICE_VERSIONS)
            + ", or add the new version to accounts.privacy.NOTICE_VERSIONS with its template.",
            id="accounts.E001",
        )
    ]
