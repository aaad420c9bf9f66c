from functools import cache

from notifications.selectors import unread_count


def unread(request) -> dict:
    """`notifications_unread`: how many of the user's notifications are unread, for the bell
    in the menu. The query that loads the user on each request brings it (`user_annotations`);
    a user loaded otherwise has it counted when a template first asks, once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(user, "notifications_unread", None)
    if count is not None:
        return {"notifications_unread": count}
    return {"notifications_unread": cache(lambda: unread_count(user))}
