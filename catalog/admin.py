from django.contrib import admin

from catalog.models import AtecoCode, Certification, Comune, JobFamily, JobProfile, Skill


@admin.register(JobProfile)
class JobProfileAdmin(admin.ModelAdmin):
    list_display = ["name_it", "code", "isco_codes", "cp2021_codes", "family", "is_active"]
    list_filter = ["family", "is_active"]
    search_fields = ["name_it", "name_en", "code", "isco_codes"]
    filter_horizontal = ["skills", "certifications"]


@admin.register(JobFamily, Skill)
class NamedEntryAdmin(admin.ModelAdmin):
    list_display = ["name_it", "name_en", "code", "is_active"]
    search_fields = ["name_it", "name_en", "code"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["name_it", "code", "validity_years", "reference", "is_active"]
    search_fields = ["name_it", "name_en", "code"]


@admin.register(Comune)
class ComuneAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "province",
        "istat_code",
        "belfiore_code",
        "caps",
        "latitude",
        "longitude",
    ]
    list_filter = ["province"]
    search_fields = ["name", "istat_code", "caps"]


@admin.register(AtecoCode)
class AtecoCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "section"]
    list_filter = ["level", "section"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent"]
