from django.contrib import admin

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


class ObstacleInline(admin.TabularInline):
    model = Obstacle
    extra = 0


class SuitableProfileInline(admin.TabularInline):
    model = SuitableProfile
    extra = 0


class ActionInline(admin.TabularInline):
    model = RecommendedAction
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["interview", "employability", "recorded_by", "recorded_at"]
    list_filter = ["employability"]
    raw_id_fields = ["interview"]
    inlines = [ObstacleInline, SuitableProfileInline, ActionInline]
