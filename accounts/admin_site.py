"""Django's admin site, as a tool of the programme office alone.

The admin site edits raw tables, past the portal's services and their records, so only the
portal's administrator role enters it. `is_staff` follows the role (accounts.services) but is
never asked on its own: a user of another role who was made staff somehow stays out.
"""

import json

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
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


def neutral_repr(obj) -> str:
    """How the admin's log names a record: its type and number ("candidates.candidate #12"),
    never its `str()`, which for a person is their name."""
    return f"{obj._meta.label_lower} #{obj.pk}"


class NeutralLog:
    """The admin's log of additions, changes and deletions (django_admin_log) names records
    by `neutral_repr` only, in the entry and in its change message (which names the inline
    records added, changed or deleted): the log then holds no personal value, as the audit
    trail holds none. Every ModelAdmin of the portal's site has it (FocusAdminSite.register)."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        named = iter(_inline_objects(formsets))
        for part in message:
            for detail in part.values():
                if "object" in detail:
                    detail["object"] = next(named, "")
        return message

    def log_addition(self, request, obj, message):
        return _log(request, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return _log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return _log(request, list(queryset), DELETION)


def _inline_objects(formsets) -> list[str]:
    """The neutral names of the inline records a change message lists, in its order (that
    of Django's construct_change_message: added, then changed, then deleted)."""
    names = []
    for formset in formsets or ():
        names += [neutral_repr(obj) for obj in formset.new_objects]
        names += [neutral_repr(obj) for obj, _fields in formset.changed_objects]
        names += [neutral_repr(obj) for obj in formset.deleted_objects]
    return names


def _log(request, objects, flag: int, message="") -> list[LogEntry]:
    if isinstance(message, list):
        message = json.dumps(message)
    entries = [
        LogEntry(
            user_id=request.user.pk,
            content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
            object_id=str(obj.pk),
            object_repr=neutral_repr(obj)[:200],
            action_flag=flag,
            change_message=message,
        )
        for obj in objects
    ]
    if len(entries) == 1:
        entries[0].save()
        return entries
    return LogEntry.objects.bulk_create(entries)


class FocusAdminSite(admin.AdminSite):
    """The portal's admin site (the default site, see focus.apps), so that every app's
    `@admin.register` lands here."""

    site_header = "Focus"
    site_title = "Focus"
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:
        """The one place that decides who enters the admin site: every admin page asks it."""
        return admin_site_admits(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, the portal's and the installed apps' alike, logs neutrally."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, NeutralLog):
            admin_class = type(
                admin_class.__name__,
                (NeutralLog, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)


class NoAddOrChange:
    """For a ModelAdmin or an inline whose rows are written only through the portal's
    services, which keep their records: the admin site shows them and refuses every add and
    change (a POST answers 403); deleting one is left to the model's permissions."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ViewOnly(NoAddOrChange):
    """As `NoAddOrChange`, and no delete either: the admin site only shows the rows."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
