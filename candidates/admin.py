from django.contrib import admin

from candidates.models import Candidate


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "centre", "status", "created_at"]
    list_filter = ["status", "centre"]
    list_select_related = ["centre"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["caseworker"]
