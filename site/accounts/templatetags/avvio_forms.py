"""Render Django form fields with the design system's classes and accessible attributes.

Django already links a field to its help text and errors (``aria-describedby`` pointing at
``<id>_helptext`` and ``<id>_error``, ``aria-invalid`` when it has errors); the templates
give those elements the matching ids. This filter adds the Bootstrap Italia classes and drops
placeholders, because every field has a visible label and a placeholder that repeats it looks
like a value already typed.
"""

from django import forms, template

register = template.Library()


def _control_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def form_widget(bound_field):
    """``{{ field|form_widget }}``: the field's widget with classes and ARIA attributes."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", ""), _control_class(widget)]
    if bound_field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(name for name in classes if name), "placeholder": False}
    if widget.attrs.get("autocomplete") == "one-time-code":
        # Phones show the number pad for codes from an authenticator app or an e-mail.
        attrs["inputmode"] = "numeric"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def fields_with_errors(form) -> list:
    """The visible fields of a bound form that have errors, in the form's order."""
    if not getattr(form, "is_bound", False):
        return []
    return [field for field in form.visible_fields() if field.errors]
