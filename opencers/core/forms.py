"""Form rendering in U.S. Web Design System markup, with an error summary at the top of every form.

``{{ form }}`` renders labels, hints, error messages next to each field and a summary that links to each
field in error (WCAG 3.3.1). Services raise ``DomainError`` naming a field; ``apply_domain_error`` puts
the message on that field so the person sees it where the fix is needed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from opencers.core.errors import DomainError

_WIDGET_CLASSES = {
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
    forms.CheckboxSelectMultiple: "usa-checkbox__input",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.ClearableFileInput: "usa-file-input",
    forms.FileInput: "usa-file-input",
}


class UswdsRenderer(TemplatesSetting):
    form_template_name = "forms/uswds_form.html"
    field_template_name = "forms/uswds_field.html"


class UswdsFormMixin:
    """Adds the USWDS class of each widget, and ``aria-invalid`` on fields in error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            css = next(
                (
                    klass
                    for widget_type, klass in _WIDGET_CLASSES.items()
                    if isinstance(field.widget, widget_type)
                ),
                "usa-input",
            )
            existing = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                self.fields[name].widget.attrs["aria-invalid"] = "true"  # type: ignore[attr-defined]


class Form(UswdsFormMixin, forms.Form):
    pass


class ModelForm(UswdsFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    if field:
        form.fields[field].widget.attrs["aria-invalid"] = "true"
