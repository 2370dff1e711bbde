import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules


def _today():
    return timezone.localdate()


class IssueForm(forms.Form):
    doc_no = forms.CharField(label=_("Document number"), max_length=40)
    doc_type = forms.CharField(label=_("Document type"), max_length=60, required=False)
    agent = forms.CharField(label=_("Agent code"), max_length=40)
    issued_on = forms.DateField(label=_("Issued on"), initial=_today,
                                widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due on"),
                             widget=forms.DateInput(attrs={"type": "date"}))


class ReturnForm(forms.Form):
    doc_no = forms.CharField(label=_("Document number"), max_length=40,
                             widget=forms.TextInput(attrs={"autofocus": True,
                                                           "autocomplete": "off"}))
    returned_on = forms.DateField(label=_("Returned on"), initial=_today,
                                  widget=forms.DateInput(attrs={"type": "date"}))


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("all")), (rules.OUT, _("out")), (rules.OVERDUE, _("overdue")),
        (rules.RETURNED, _("returned"))])
    agent = forms.CharField(label=_("Agent code"), max_length=40, required=False)
    q = forms.CharField(label=_("Document number"), max_length=40, required=False)
    as_of = forms.DateField(label=_("As of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def day(self) -> dt.date:
        return self.cleaned_data.get("as_of") or _today()
