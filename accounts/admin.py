from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ViewOnly
from accounts.models import Organisation, User

# The role decides what a user may do, on the portal and here: no groups of permissions.
admin.site.unregister(Group)

# Set by the role (accounts.services), never by hand: the user form does not offer them.
ROLE_DECIDES = {"is_staff", "is_superuser", "groups", "user_permissions"}


@admin.register(Organisation)
class OrganisationAdmin(ViewOnly, admin.ModelAdmin):
    """Read only: organisations are created and changed on the portal's organisations page."""

    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Names, e-mail address, whether active, and the password (Django's own form, which
    checks the portal's password rules, records the change and ends the user's other sessions).
    Role and organisation, and with them the staff and superuser flags, change only through
    the portal's users page."""

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
    readonly_fields = ["role", "organisation", "organisation_kind", "last_login", "date_joined"]
    fieldsets = [
        *(
            (title, {**options, "fields": [f for f in options["fields"] if f not in ROLE_DECIDES]})
            for title, options in DjangoUserAdmin.fieldsets
        ),
        (_("Programme"), {"fields": ["role", "organisation", "organisation_kind"]}),
    ]
    filter_horizontal = []

    def get_readonly_fields(self, request, obj=None):
        # Nobody locks themselves out, here as on the portal's users page.
        own = obj is not None and obj.pk == request.user.pk
        return [*self.readonly_fields, "is_active"] if own else self.readonly_fields

    def has_add_permission(self, request):
        return False  # users are created from the portal's users page, with an invitation
