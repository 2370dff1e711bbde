"""Forms of the notice pages. They check the input's shape; whether a change is allowed
is the services' decision (notices.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from pinzhi.web.forms import DateInput, bootstrap

from .models import Kind


class IssueForm(forms.Form):
    notice_no = forms.CharField(label=_("Notice number"), max_length=40)
    policy_no = forms.CharField(label=_("Policy"), max_length=40)
    agent_code = forms.CharField(label=_("Agent"), max_length=40, required=False,
                                 help_text=_("empty: the policy's agent"))
    kind = forms.CharField(label=_("Kind of notice"), max_length=40, initial=Kind.NOTICE,
                           widget=forms.TextInput(attrs={"list": "notice-kinds"}))
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def clean(self):
        data = super().clean()
        policy_no, code = data.get("policy_no"), data.get("agent_code")
        if policy_no:
            # Outside the user's scope reads like unknown: the form does not tell.
            policy = (Policy.objects.restrict(self.user).live().select_related("agent")
                      .filter(policy_no=policy_no.strip()).first())
            if policy is None:
                self.add_error("policy_no", _("No such policy."))
            else:
                data["policy"] = policy
                data["agent"] = policy.agent
        if code:
            agent = Agent.objects.restrict(self.user).filter(code=code.strip()).first()
            if agent is None:
                self.add_error("agent_code", _("No such agent."))
            else:
                data["agent"] = agent
        return data


class DeliveredForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReportedForm(forms.Form):
    reported_on = forms.DateField(label=_("Reported back on"), widget=DateInput)
    false = forms.BooleanField(label=_("Reported untruthfully"), required=False)
    harm = forms.BooleanField(label=_("Caused a complaint or a loss"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
