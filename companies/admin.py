from django.contrib import admin

from companies.models import Company


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partita_iva", "created_at"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "partita_iva"]
    raw_id_fields = ["organisation"]
