from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencers.core.forms import Form
from opencers.regulators.models import RegulatorRole


class FacilityFilterForm(Form):
    q = forms.CharField(label=_("Name, CERS ID or street"), max_length=100, required=False)


class StaffAddForm(Form):
    email = forms.EmailField(label=_("E-mail address of the person's account"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=RegulatorRole.choices, initial=RegulatorRole.VIEWER)


class RoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=RegulatorRole.choices)
