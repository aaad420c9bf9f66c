from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["kind"] if obj else []


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "organisation",
        "is_active",
    ]
    list_filter = ["role", "is_active", "organisation__kind"]
    list_select_related = ["organisation"]
    # Role and organisation change through the portal's users page, which keeps them consistent.
    readonly_fields = ["role", "organisation", "organisation_kind", "last_login", "date_joined"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Programme"), {"fields": ["role", "organisation", "organisation_kind"]}),
    ]

    def has_add_permission(self, request):
        return False  # users are created from the portal's users page, with an invitation
