"""Forms of the assessment page. They check the input's shape; whether a decision is
allowed is the services' (assessments.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.web.forms import bootstrap

from .models import Outcome


class DecideForm(forms.Form):
    agent = forms.CharField(max_length=40, widget=forms.HiddenInput)
    period = forms.CharField(max_length=6, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DecideAllForm(forms.Form):
    period = forms.CharField(max_length=6)
    unit = forms.CharField(max_length=40)
