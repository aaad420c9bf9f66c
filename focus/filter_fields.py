"""The fields of a list's filters, in Bootstrap 5's markup, written in Python.

Every list page renders its filter form (templates/includes/filter_form.html) on every
request, ten to fifteen fields; through crispy-forms' field template that was about a third
of a list page's own time (profiled on the candidate list). Filters are short, GET forms of
a few kinds of widget, so they are written here with the same markup crispy-forms gives them
(`mb-3` group, `form-label`, `form-control` / `form-select` / `form-check-input`, a fieldset
with a legend for a group of boxes, the help text tied by `aria-describedby`, errors as
`invalid-feedback`); other forms keep crispy-forms.

    {% load filter_fields %}{{ field|filter_field }}
"""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

_CHOICE_BOXES = (forms.CheckboxSelectMultiple, forms.RadioSelect)


def _classes(widget: forms.Widget, *, invalid: bool) -> str:
    if isinstance(widget, forms.CheckboxInput):
        kind = "form-check-input"
    elif isinstance(widget, forms.Select):
        kind = "form-select"
    else:
        kind = "form-control"
    classes = [widget.attrs.get("class", ""), kind, "is-invalid" if invalid else ""]
    return " ".join(name for name in classes if name)


def _errors(field: BoundField) -> SafeString:
    """The field's errors, under the id Django's widget names in its `aria-describedby`."""
    if not field.errors:
        return SafeString("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
        field.auto_id,
        format_html_join(" ", "<strong>{}</strong>", ((error,) for error in field.errors)),
    )


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return SafeString("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


def _boxes(field: BoundField, invalid: bool) -> SafeString:
    """A group of checkboxes or radio buttons: a fieldset, its legend the field's label."""
    kind = "form-check-input is-invalid" if invalid else "form-check-input"
    options = format_html_join(
        "",
        '<div class="form-check"><input type="{}" class="{}" name="{}" value="{}" id="{}"{}>'
        '<label for="{}" class="form-check-label">{}</label></div>',
        (
            (
                option.data["type"],
                kind,
                option.data["name"],
                option.data["value"],
                option.id_for_label,
                SafeString(" checked") if option.data["selected"] else "",
                option.id_for_label,
                option.choice_label,
            )
            for option in field.subwidgets
        ),
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset><legend class="form-label fs-6">{}</legend>'
        "<div>{}</div>{}{}</fieldset></div>",
        field.auto_id,
        field.label,
        options,
        _errors(field),
        _help(field),
    )


@register.filter
def filter_field(field: BoundField) -> SafeString:
    """One field of a list's filters, with its label, help text and errors."""
    widget = field.field.widget
    invalid = bool(field.errors)
    if isinstance(widget, _CHOICE_BOXES):
        return _boxes(field, invalid)
    rendered = field.as_widget(attrs={"class": _classes(widget, invalid=invalid)})
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div id="div_{}" class="mb-3"><div class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            rendered,
            field.id_for_label,
            field.label,
            _errors(field),
            _help(field),
        )
    if widget.is_hidden:
        return rendered
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        rendered,
        _errors(field),
        _help(field),
    )
