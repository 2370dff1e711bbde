"""Forms of the recruitment pages. They check the input's shape (an ID number's check
digit, a mobile number); whether a change is allowed is the services' decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.core.importing import parsers
from pinzhi.org.models import Level, Unit
from pinzhi.web.forms import DateInput, bootstrap

from .models import Kind, Outcome


def _parsed(parse, value: str, message):
    try:
        return parse(value.strip())
    except ValueError:
        raise forms.ValidationError(message) from None


class CandidateForm(forms.Form):
    candidate_no = forms.CharField(label=_("Candidate number"), max_length=40, required=False,
                                   help_text=_("empty: numbered by Pinzhi"))
    name = forms.CharField(label=_("Full name"), max_length=60)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    phone = forms.CharField(label=_("Mobile"), max_length=20)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Unit.objects.none(),
                                  to_field_name="code")
    rank = forms.CharField(label=_("Rank"), max_length=40, initial="业务员")
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (Unit.objects.restrict(user).live()
                                        .filter(level=Level.TEAM).order_by("path"))
        bootstrap(self)

    def clean_id_number(self):
        return _parsed(parsers.resident_id, self.cleaned_data["id_number"],
                       _("Not a valid 18-digit national ID number (check digit)."))

    def clean_phone(self):
        return _parsed(parsers.mobile, self.cleaned_data["phone"],
                       _("Not a mobile number (11 digits starting 13-19)."))


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput)
    source = forms.CharField(label=_("Source (who was asked)"), max_length=100)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    event_on = forms.DateField(label=_("Day of the event (barred)"), required=False,
                               widget=DateInput)
    ends_on = forms.DateField(label=_("Ban ends on (ban, blacklist)"), required=False,
                              widget=DateInput)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SignForm(forms.Form):
    code = forms.CharField(label=_("Agent code"), max_length=40)
    hired_on = forms.DateField(label=_("Contract signed on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_code(self):
        return _parsed(parsers.code(), self.cleaned_data["code"],
                       _("Not a code (letters, digits, _ . -)."))
