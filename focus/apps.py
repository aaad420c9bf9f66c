from django.contrib.admin.apps import AdminConfig


class FocusAdminConfig(AdminConfig):
    """Django's admin, with the portal's own site as the default one (accounts.admin_site):
    `admin.site` and the apps' `@admin.register` all use it."""

    default_site = "accounts.admin_site.FocusAdminSite"
