from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.navigation import ADMINISTRATION, NavItem
from audit.registry import Audited


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")
    # The records the trail follows (audit.registry); the apps to the right declare theirs.
    # The last login is told by the login's own event.
    audited = (Audited("accounts.User", quiet=("last_login",)),)
    candidate_panel = "audit.panels.candidate_trail"
    navigation = (
        NavItem(
            _("Audit trail"),
            "audit:event_list",
            "audit.AuditEvent",
            "list",
            "journal-text",
            order=94,
            group=ADMINISTRATION,
        ),
    )

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from audit import receivers, registry

        registry.install()
        user_logged_in.connect(receivers.logged_in, dispatch_uid="audit.logged_in")
        user_logged_out.connect(receivers.logged_out, dispatch_uid="audit.logged_out")
        user_login_failed.connect(receivers.login_failed, dispatch_uid="audit.login_failed")
