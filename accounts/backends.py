from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class UserWithOrganisationBackend(ModelBackend):
    """Django's backend, loading the user's organisation in the same query: every page
    shows it and every scope rule reads it."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
