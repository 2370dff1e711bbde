"""Forms of the commendation pages: the list's filter (a GET form) and the record form.
Whether a commendation may be recorded is the services' decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.org.models import Agent, Unit
from pinzhi.web.forms import DateInput, bootstrap

from .models import Kind


class CommendationFilter(forms.Form):
    """An invalid value is ignored rather than turned into an error page."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("all")), *Kind.choices])
    q = forms.CharField(label=_("Agent"), required=False, max_length=40)

    def __init__(self, data):
        super().__init__(data or None)
        bootstrap(self)

    def apply(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        v = self.cleaned_data
        if v.get("start"):
            queryset = queryset.filter(awarded_on__gte=v["start"])
        if v.get("end"):
            queryset = queryset.filter(awarded_on__lte=v["end"])
        if v.get("kind"):
            queryset = queryset.filter(kind=v["kind"])
        if v.get("q"):
            queryset = queryset.filter(agent__code__iexact=v["q"].strip())
        return queryset


class RecordForm(forms.Form):
    agent_code = forms.CharField(label=_("Agent"), max_length=40)
    awarded_on = forms.DateField(label=_("Awarded on"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("Awarded by"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.restrict(user).live().order_by("path")
        bootstrap(self)

    def clean(self):
        data = super().clean()
        code = (data.get("agent_code") or "").strip()
        data["agent"] = Agent.objects.restrict(self.user).live().filter(code=code).first()
        if code and data["agent"] is None:
            self.add_error("agent_code", _("No such agent."))
        return data
