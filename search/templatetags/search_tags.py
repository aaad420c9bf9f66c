from django import template

from search.selectors import searchable

register = template.Library()


@register.inclusion_tag("search/navbar_box.html", takes_context=True)
def search_box(context) -> dict:
    """The navbar's search box, for those who may search something (no query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"may_search": user is not None and bool(searchable(user))}
