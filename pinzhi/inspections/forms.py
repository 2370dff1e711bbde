"""Forms of the inspection pages. They check the input's shape; whether a change is
allowed is the services' decision (inspections.services)."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role, User
from pinzhi.org.models import Agent, Unit
from pinzhi.quality.models import ViolationType
from pinzhi.web.forms import DateInput, bootstrap

from .models import PlanKind, Result
from .services import TEMPLATES


def violation_choices():
    from pinzhi.reports.evaluation import violation_names

    codes = list(ViolationType.objects.order_by("code").values_list("code", flat=True))
    names = violation_names(codes, timezone.localdate())
    return [("", "—")] + [(code, names.get(code, code)) for code in codes]


def owners_of(plan):
    """Users whose scope holds the plan's unit (the services check it again): staff of
    the unit or a unit above it, and head office."""
    path = plan.unit.path
    above = [path[:i + 1] for i, c in enumerate(path) if c == "/" and i > 0]
    return User.objects.filter(
        Q(role__in=Role.SUBTREE_SCOPE, unit__path__in=above)
        | Q(role__in=[Role.ADMIN, Role.HQ_QUALITY]), is_active=True).order_by("username")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    unit = forms.ModelChoiceField(label=_("Unit inspected"), queryset=Unit.objects.none())
    period_from = forms.DateField(label=_("Period from"), widget=DateInput)
    period_to = forms.DateField(label=_("Period to"), widget=DateInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    plan_no = forms.CharField(label=_("Plan number"), max_length=40, required=False,
                              help_text=_("empty: numbered by Pinzhi"))
    template = forms.ChoiceField(label=_("Checklist"), required=False,
                                 choices=[("", _("none: add the items one by one")),
                                          *((name, _("the standard checklist"))
                                            for name in TEMPLATES)])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user).live().order_by("path")
        bootstrap(self)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("What is checked"), max_length=300)
    violation_code = forms.ChoiceField(label=_("A finding under it would violate"),
                                       required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_code"].choices = violation_choices()
        bootstrap(self)


class CheckForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    checked_on = forms.DateField(label=_("Checked on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FindingForm(forms.Form):
    item_seq = forms.TypedChoiceField(label=_("Checklist item"), required=False, coerce=int,
                                      empty_value=None, choices=())
    description = forms.CharField(label=_("What was found"),
                                  widget=forms.Textarea(attrs={"rows": 3}))
    found_on = forms.DateField(label=_("Found on"), widget=DateInput)
    agent_code = forms.CharField(label=_("Agent"), max_length=40, required=False)
    owner = forms.ModelChoiceField(label=_("Rectification owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("To be rectified by"), widget=DateInput, required=False,
                             help_text=_("empty: the default deadline"))
    violation_code = forms.ChoiceField(label=_("A violation shown (drafts a case)"),
                                       required=False, choices=())

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["item_seq"].choices = [("", "—")] + [
            (i.seq, f"{i.seq}. {i.text[:40]}") for i in plan.items.all()]
        self.fields["owner"].queryset = owners_of(plan)
        self.fields["violation_code"].choices = violation_choices()
        bootstrap(self)

    def clean(self):
        data = super().clean()
        code = (data.get("agent_code") or "").strip()
        data["agent"] = None
        if code:
            data["agent"] = Agent.objects.restrict(self.user).filter(code=code).first()
            if data["agent"] is None:
                self.add_error("agent_code", _("No such agent."))
        return data


class RectifyForm(forms.Form):
    rectified_on = forms.DateField(label=_("Rectified on"), widget=DateInput)
    rectification = forms.CharField(label=_("What was done"),
                                    widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VerifyForm(forms.Form):
    verified_on = forms.DateField(label=_("Verified on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
