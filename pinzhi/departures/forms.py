"""Forms of the departure pages. They check the input's shape and find the agents in the
user's scope; whether a change is allowed is the services' decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.org.models import Agent
from pinzhi.web.forms import DateInput, bootstrap

from .models import How, Reason


class DepartForm(forms.Form):
    agent_code = forms.CharField(label=_("Agent code"), max_length=40)
    left_on = forms.DateField(label=_("Left on"), widget=DateInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    servicing_agent_code = forms.CharField(
        label=_("Servicing agent"), max_length=40,
        help_text=_("agent code of the one who takes over his policies"))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def _agent(self, name: str):
        code = (self.cleaned_data.get(name) or "").strip()
        agent = Agent.objects.restrict(self.user).live().filter(code=code).first()
        if code and agent is None:
            self.add_error(name, _("No agent %(code)s in your scope.") % {"code": code})
        return agent

    def clean(self):
        data = super().clean()
        data["agent"] = self._agent("agent_code")
        data["servicing_agent"] = self._agent("servicing_agent_code")
        return data


class TellForm(forms.Form):
    """Policyholders told: the chosen ones (`policy` checkboxes) or all remaining."""

    told_on = forms.DateField(label=_("Told on"), widget=DateInput)
    how = forms.ChoiceField(label=_("How"), choices=How.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReturnForm(forms.Form):
    doc_no = forms.CharField(widget=forms.HiddenInput, max_length=40)
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Agent"), required=False, max_length=40)
