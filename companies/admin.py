from django.contrib import admin

from companies.models import Company


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partita_iva", "created_at"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "partita_iva"]
    raw_id_fields = ["organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Whose company it is: its organisation's HR users see and act for it.
        return ["organisation"] if obj else []
