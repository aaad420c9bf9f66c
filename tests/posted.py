"""What a browser posts back from a page's forms, for tests that save a page as drawn (with a
few fields typed in): the portal's edit pages and the Django admin's change pages."""

from django.forms import CheckboxInput, SelectMultiple
from django.urls import reverse


def form_data(*forms) -> dict:
    """The fields of `forms` as a browser posts them: a ticked box as "on", an empty field as
    an empty string; an unticked box, a list with nothing chosen and a disabled field not at
    all."""
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            widget = field.field.widget
            if field.field.disabled or (isinstance(widget, SelectMultiple) and not value):
                continue
            if isinstance(widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = "" if value is None else value
    return data


def admin_change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def admin_posted(page) -> dict:
    """An admin change (or add) page posted back unchanged: its form, each inline's
    management form, and the inline forms the user may change."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        if inline.has_change_permission:
            forms += inline.formset.forms
    return form_data(*forms)
