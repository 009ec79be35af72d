from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opencers.core.forms import Form
from opencers.organizations.models import PermissionGroup


class FacilityAddressForm(Form):
    street = forms.CharField(
        label=_("Street address of the site"),
        max_length=200,
        help_text=_(
            "Number and street where the materials are, e.g. 1001 I Street, Suite 120. Not a P.O. box."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=100, required=False, help_text=_("We fill it in from the ZIP code.")
    )
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    name = forms.CharField(
        label=_("Facility name"),
        max_length=100,
        help_text=_("The name people on site use, e.g. Acme Plating – Fresno plant."),
    )


class FacilityConfirmForm(Form):
    organization = forms.ChoiceField(
        label=_("Organization the facility belongs to"), widget=forms.RadioSelect
    )
    new_organization_name = forms.CharField(
        label=_("Business name of the new organization"),
        max_length=100,
        required=False,
        help_text=_(
            "Only when you choose a new organization: the legal name of the business that operates the site."
        ),
    )
    confirm = forms.BooleanField(
        label=_("None of the facilities listed above is this site"),
        help_text=_(
            "A new CERS ID is only right for a new site, a split site or a substantial change of operations."
        ),
    )

    def __init__(self, *args: Any, organizations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(org.code), org.name) for org in organizations]
        choices.append(("new", _("A new organization (I will be its Lead User)")))
        self.fields["organization"].choices = choices
        if len(choices) == 1:
            self.fields["organization"].initial = "new"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organization") == "new" and not (data.get("new_organization_name") or "").strip():
            self.add_error("new_organization_name", _("Enter the business name of the new organization."))
        return data


class FacilitySearchForm(Form):
    cers_id = forms.CharField(
        label=_("CERS ID"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    street = forms.CharField(
        label=_("Street number and street"),
        max_length=100,
        required=False,
        help_text=_("e.g. 1455 Stoney Cross"),
    )
    name = forms.CharField(label=_("Facility name"), max_length=100, required=False)


class AccessRequestForm(Form):
    title = forms.CharField(label=_("Your job title"), max_length=50)
    phone = forms.CharField(
        label=_("Your phone number"), max_length=25, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    message = forms.CharField(
        label=_("Message to the Lead User (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    group = forms.ChoiceField(
        label=_("Permission group"), choices=PermissionGroup.choices, initial=PermissionGroup.EDITOR
    )


class GroupForm(Form):
    group = forms.ChoiceField(label=_("Permission group"), choices=PermissionGroup.choices)


class OrganizationForm(Form):
    name = forms.CharField(label=_("Business name"), max_length=100)
    headquarters = forms.CharField(label=_("Headquarters address"), max_length=200, required=False)
