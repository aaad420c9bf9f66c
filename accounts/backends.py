from django.contrib.auth.backends import ModelBackend

from accounts.hooks import hooked
from accounts.models import User


class UserWithOrganisationBackend(ModelBackend):
    """Django's backend, loading the user's organisation in the same query: every page
    shows it and every scope rule reads it. Apps add what every page shows of the user to
    that query too, as annotations: each names a function on its AppConfig,
    `user_annotations = "app.module.function"`, returning them (notifications: the menu's
    count of unread ones)."""

    def get_user(self, user_id):
        annotations = {}
        for _label, annotate in hooked("user_annotations"):
            annotations.update(annotate())
        users = User._default_manager.select_related("organisation").annotate(**annotations)
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
