from django.contrib import admin

from accounts.admin_site import NoAddOrChange
from training.models import (
    Course,
    Enrolment,
    FollowUp,
    FundingChannel,
    GapAnalysis,
    SupportAction,
    SupportActionEvent,
)


@admin.register(FundingChannel)
class FundingChannelAdmin(admin.ModelAdmin):
    list_display = ["name_it", "code", "requires_did", "is_active"]
    list_filter = ["requires_did", "is_active"]
    search_fields = ["name_it", "name_en", "code"]


class EventInline(admin.TabularInline):
    model = SupportActionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupportAction)
class SupportActionAdmin(NoAddOrChange, admin.ModelAdmin):
    """Read only: an action moves through `training.services`, which keeps its history and
    resolves its obstacles; an edit here would do neither."""

    list_display = ["candidate", "kind", "status", "owner", "partner", "due_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["candidate", "owner", "partner"]
    inlines = [EventInline]


@admin.register(FollowUp)
class FollowUpAdmin(NoAddOrChange, admin.ModelAdmin):
    """Read only: a check is recorded through `training.services.follow_up_record`, which
    ends the placement when the job ended; an edit here would not."""

    list_display = ["entry", "months", "due_on", "status", "outcome", "done_on"]
    list_filter = ["months", "status", "outcome"]
    list_select_related = ["entry"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    can_delete = False
    fields = ["code", "candidate", "status", "drop_reason", "attended_percent", "finished_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(NoAddOrChange, admin.ModelAdmin):
    """Read only: a course's enrolments are checked, and its completion grants qualifications,
    through `training.services`; an edit here would do neither."""

    list_display = ["title", "host", "status", "seats", "funding", "completed_on"]
    list_filter = ["status", "funding"]
    list_select_related = ["host__organisation", "funding"]
    search_fields = ["title"]
    inlines = [EnrolmentInline]


@admin.register(GapAnalysis)
class GapAnalysisAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["campaign", "status", "requested_at", "computed_at", "needs", "ready_score"]
    list_filter = ["status"]
