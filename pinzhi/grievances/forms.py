"""Forms of the grievance pages. They check the input's shape and find the agents named;
whether a change is allowed is the services' decision (grievances.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role, User
from pinzhi.org.models import Agent
from pinzhi.web.forms import DateInput, bootstrap

from .models import About, Channel, Outcome


def _large(form) -> None:
    """Full-size controls: the agent's form is filled in on a phone."""
    for field in form.fields.values():
        select = isinstance(field.widget, forms.Select)
        field.widget.attrs["class"] = "form-select" if select else "form-control"


class RaiseForm(forms.Form):
    """The agent's own grievance, from his phone."""

    about = forms.ChoiceField(label=_("About"), choices=About.choices)
    against_code = forms.CharField(
        label=_("Against (agent code, if about a person)"), max_length=40, required=False)
    summary = forms.CharField(label=_("What happened"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _large(self)

    def clean(self):
        data = super().clean()
        data["against_agent"] = None
        code = (data.get("against_code") or "").strip()
        if code:
            # Not restricted: the agent names a manager or colleague he cannot see.
            data["against_agent"] = Agent.objects.live().filter(code=code).first()
            if data["against_agent"] is None:
                self.add_error("against_code", _("No such agent."))
        return data


class PaperForm(RaiseForm):
    """A grievance received on paper (a letter, in person, the hotline), by a handler."""

    grievance_no = forms.CharField(label=_("Grievance number"), max_length=40,
                                   required=False, help_text=_("empty: numbered by Pinzhi"))
    agent_code = forms.CharField(label=_("Raised by (agent code)"), max_length=40)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices,
                                initial=Channel.LETTER)
    field_order = ["grievance_no", "agent_code", "received_on", "channel", "about",
                   "against_code", "summary"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.order_fields(self.field_order)
        for field in self.fields.values():
            field.widget.attrs.pop("class", None)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        code = (data.get("agent_code") or "").strip()
        data["agent"] = Agent.objects.restrict(self.user).live().filter(code=code).first() \
            if code else None
        if code and data["agent"] is None:
            self.add_error("agent_code", _("No such agent."))
        return data


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = User.objects.filter(
            is_active=True, role__in=Role.GRIEVANCE_HANDLE).order_by("username")
        bootstrap(self)


class ReplyForm(forms.Form):
    replied_on = forms.DateField(label=_("Replied on"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reply = forms.CharField(label=_("The reply"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
