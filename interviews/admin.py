from django.contrib import admin

from accounts.admin_site import ViewOnly
from interviews.models import (
    Assessment,
    Interview,
    Obstacle,
    RecommendedAction,
    SuitableProfile,
    Tranche,
)


@admin.register(Tranche)
class TrancheAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "target"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["candidate", "recruiter", "tranche", "scheduled_at", "status"]
    list_filter = ["tranche", "status"]
    raw_id_fields = ["candidate", "recruiter"]
    list_select_related = ["candidate", "recruiter", "tranche"]

    def get_readonly_fields(self, request, obj=None):
        # Whose interview, and when: the latest assessment by interview date gives the
        # candidate's employability class (interviews.services.latest_assessment_sync).
        return ["candidate", "scheduled_at"] if obj else []


class ObstacleInline(ViewOnly, admin.TabularInline):
    model = Obstacle


class SuitableProfileInline(ViewOnly, admin.TabularInline):
    model = SuitableProfile


class ActionInline(ViewOnly, admin.TabularInline):
    model = RecommendedAction


@admin.register(Assessment)
class AssessmentAdmin(ViewOnly, admin.ModelAdmin):
    """Read only: an assessment is recorded through `interviews.services.assessment_record`,
    which gives the candidate its class and open severe obstacles, its verified skills and
    status, and proposes support actions; an edit or a delete here would do none of it."""

    list_display = ["interview", "employability", "recorded_by", "recorded_at"]
    list_filter = ["employability"]
    raw_id_fields = ["interview"]
    inlines = [ObstacleInline, SuitableProfileInline, ActionInline]
