from django import forms
from django.contrib import admin

from accounts.admin_site import ViewOnly
from interviews.clashes import Slot, clash_check
from interviews.models import (
    Assessment,
    Interview,
    Obstacle,
    RecommendedAction,
    SuitableProfile,
    Tranche,
)
from interviews.services import assessments_delete, candidate_facts_refresh


@admin.register(Tranche)
class TrancheAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "target"]


class InterviewAdminForm(forms.ModelForm):
    """An interview added or changed here keeps to the calendar's rule: no recruiter and no
    candidate in two places at once (interviews.clashes)."""

    def clean(self):
        data = super().clean()
        interview = self.instance

        def value(name):
            return data.get(name, getattr(interview, name, None))

        candidate, recruiter, starts_at = (
            value("candidate"),
            value("recruiter"),
            value("scheduled_at"),
        )
        status, minutes = value("status"), value("duration")
        if candidate and recruiter and starts_at and minutes and status != "cancelled":
            ignore = ("interview", interview.pk) if interview.pk else None
            try:
                clash_check(
                    [Slot(candidate, starts_at, minutes, recruiter=recruiter)], ignore=ignore
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    form = InterviewAdminForm
    list_display = ["candidate", "recruiter", "tranche", "scheduled_at", "status"]
    list_filter = ["tranche", "status"]
    raw_id_fields = ["candidate", "recruiter"]
    list_select_related = ["candidate", "recruiter", "tranche"]

    def get_readonly_fields(self, request, obj=None):
        # Whose interview, and when: the latest assessment by interview date gives the
        # candidate's employability class (interviews.services.candidate_facts).
        return ["candidate", "scheduled_at"] if obj else []

    def get_deleted_objects(self, objs, request):
        """An assessed interview is not deleted here: its assessment would go with it, past
        the service that gives its candidate back the class of the assessments left (delete
        the assessment first)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if Assessment.objects.filter(interview__in=[o.pk for o in objs]).exists():
            perms_needed.add(Assessment._meta.verbose_name)
        return deleted, counts, perms_needed, protected


class ObstacleInline(admin.TabularInline):
    """Editable: a save of the assessment refreshes what its candidate carries from it."""

    model = Obstacle
    extra = 0


class SuitableProfileInline(ViewOnly, admin.TabularInline):
    model = SuitableProfile


class ActionInline(ViewOnly, admin.TabularInline):
    model = RecommendedAction


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """An assessment is recorded through `interviews.services.assessment_record`, which also
    verifies skills, moves the candidate's status and proposes support actions, so none is
    added here. Its class, verified level and obstacles may be corrected here, and it may be
    deleted: every save or delete goes through the services that refresh what the candidate
    carries from their assessments (`candidate_facts_refresh`), as the portal's forms do.
    Its interview, and so its candidate, stays; its suitable profiles and recommendations,
    which other records follow, are only read."""

    list_display = ["interview", "employability", "recorded_by", "recorded_at"]
    list_filter = ["employability"]
    readonly_fields = ["interview", "recorded_by"]
    inlines = [ObstacleInline, SuitableProfileInline, ActionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        candidate_facts_refresh(form.instance.interview.candidate)

    def delete_model(self, request, obj) -> None:
        assessments_delete([obj])

    def delete_queryset(self, request, queryset) -> None:
        assessments_delete(queryset)
