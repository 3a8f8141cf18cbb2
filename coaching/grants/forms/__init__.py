"""The grants' forms, one module per part; ``add_refusal`` puts a service's refusal on one."""

from django.core.exceptions import ValidationError


def add_refusal(form, error: ValidationError) -> None:
    """A service's refusal on the form: on the fields it names, else above the form, so the
    page shows it next to what was typed (which the bound form keeps)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
