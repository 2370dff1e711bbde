"""Forms of the complaint pages. They check the input's shape; whether a change is
allowed is the services' decision (complaints.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role, User
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from pinzhi.quality.models import ViolationType
from pinzhi.web.forms import DateInput, bootstrap

from .models import Channel


class ReceiveForm(forms.Form):
    complaint_no = forms.CharField(label=_("Complaint number"), max_length=40, required=False,
                                   help_text=_("empty: numbered by Pinzhi"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    policy_no = forms.CharField(label=_("Policy"), max_length=40, required=False)
    agent_code = forms.CharField(label=_("Agent"), max_length=40, required=False,
                                 help_text=_("empty: the policy's agent"))
    complainant = forms.CharField(label=_("Complainant"), max_length=60)
    summary = forms.CharField(label=_("What the customer says"), widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def clean(self):
        data = super().clean()
        policy_no, code = (data.get("policy_no") or "").strip(), (data.get("agent_code")
                                                                  or "").strip()
        data["policy"] = data["agent"] = None
        if policy_no:
            policy = (Policy.objects.restrict(self.user).live().select_related("agent")
                      .filter(policy_no=policy_no).first())
            if policy is None:
                self.add_error("policy_no", _("No such policy."))
            else:
                data["policy"], data["agent"] = policy, policy.agent
        if code:
            agent = Agent.objects.restrict(self.user).filter(code=code).first()
            if agent is None:
                self.add_error("agent_code", _("No such agent."))
            else:
                data["agent"] = agent
        if not self.errors and data["agent"] is None:
            self.add_error("agent_code", _("Give the policy or the agent."))
        return data


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = User.objects.filter(
            is_active=True, role__in=Role.COMPLAINTS_HANDLE).order_by("username")
        bootstrap(self)


class ExtendForm(forms.Form):
    on = forms.DateField(label=_("Extended on"), widget=DateInput)
    customer_told_on = forms.DateField(label=_("Customer told on"), widget=DateInput)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))
    approved_by = forms.ModelChoiceField(
        label=_("Approved by (a second extension)"), required=False,
        queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = User.objects.filter(
            is_active=True, role__in=Role.COMPLAINTS_SENIOR).order_by("username")
        bootstrap(self)


class DecideForm(forms.Form):
    on = forms.DateField(label=_("Decided on"), widget=DateInput)
    upheld = forms.BooleanField(label=_("Upheld"), required=False)
    decision = forms.CharField(label=_("The decision"),
                               widget=forms.Textarea(attrs={"rows": 3}))
    violation_code = forms.ChoiceField(label=_("A violation found (drafts a case)"),
                                       required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from pinzhi.reports.evaluation import violation_names

        codes = list(ViolationType.objects.order_by("code").values_list("code", flat=True))
        names = violation_names(codes, timezone.localdate())
        self.fields["violation_code"].choices = [("", "—")] + [
            (code, names.get(code, code)) for code in codes]
        bootstrap(self)


class ReviewRequestForm(forms.Form):
    on = forms.DateField(label=_("Review requested on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReviewDecideForm(forms.Form):
    on = forms.DateField(label=_("Review decided on"), widget=DateInput)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
