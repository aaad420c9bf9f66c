"""Django's admin site, as a tool of the programme office alone.

The admin site edits raw tables, past the portal's services and their records, so only the
portal's administrator role enters it. `is_staff` follows the role (accounts.services) but is
never asked on its own: a user of another role who was made staff somehow stays out.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


def admin_site_admits(user) -> bool:
    """Whether `user` may use the admin site: an active user with the administrator role."""
    return bool(user.is_active and getattr(user, "is_admin", False))


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's login form: the right password of a user of another role does not log
    them in here (Django's own form would let in any staff user)."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not admin_site_admits(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class FocusAdminSite(admin.AdminSite):
    """The portal's admin site (the default site, see focus.apps), so that every app's
    `@admin.register` lands here."""

    site_header = "Focus"
    site_title = "Focus"
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:
        """The one place that decides who enters the admin site: every admin page asks it."""
        return admin_site_admits(request.user)


class ViewOnly:
    """For a ModelAdmin or an inline whose rows change only through the portal's services,
    which keep their records: the admin site shows them and refuses every add, change and
    delete (a POST answers 403)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
