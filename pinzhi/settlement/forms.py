"""Forms of the settlement pages. They check the shape of the input and that what it
names is in the user's scope; whether the change is allowed (four eyes, months in order,
a closed month, an amount of 0) is the services' decision (settlement.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinzhi.core.money import parse_yuan
from pinzhi.core.visibility import scope_of
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy

from . import rules

# A typing slip (an extra digit, yuan taken for fen) should not reach the ledger: no
# adjustment of an agent's month comes near ten million yuan.
MAX_ADJUSTMENT_FEN = 10_000_000 * 100


def _style(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class MonthField(forms.CharField):
    """YYYY-MM, cleaned to the month's first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)
        self.widget.attrs.update({"placeholder": "2026-03", "inputmode": "numeric",
                                  "pattern": r"\d{4}-\d{2}", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        try:
            return rules.parse_month(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-03."),
                                        code="month") from None


class ComputeForm(forms.Form):
    """Compute (or compute again) the draft of a month for a unit's subtree."""

    month = MonthField(label=_("month"))
    unit = forms.ModelChoiceField(label=_("unit"), required=False, to_field_name="code",
                                  queryset=Unit.objects.none(),
                                  empty_label=_("the whole company"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        units.queryset = Unit.objects.restrict(user).live()
        units.label_from_instance = lambda u: f"{'· ' * u.depth}{u.name} ({u.code})"
        # Staff of a subtree may only settle inside it: offer their own unit first.
        if not scope_of(user).everything and user.unit_id and not self.is_bound:
            self.initial.setdefault("unit", user.unit.code)
        _style(self)


class AdjustmentForm(forms.Form):
    """A signed correction after closing (services.adjustment_add)."""

    agent = forms.CharField(label=_("agent code"), max_length=40)
    policy = forms.CharField(label=_("policy number"), max_length=40, required=False,
                             help_text=_("Optional: the policy the correction is about."))
    amount = forms.CharField(label=_("amount (yuan)"), max_length=20,
                             help_text=_("Signed: 150.00 pays the agent more, -20.00 takes "
                                         "back."))
    reason = forms.CharField(label=_("reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Written for the record: why the closed month "
                                         "was wrong."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        _style(self)

    def clean_agent(self):
        code = self.cleaned_data["agent"].strip()
        agent = (Agent.objects.restrict(self.user).select_related("team")
                 .filter(code=code).first())
        if agent is None:
            raise forms.ValidationError(_("No agent %(code)s in your scope."),
                                        params={"code": code}, code="agent")
        return agent

    def clean_policy(self):
        number = self.cleaned_data["policy"].strip()
        if not number:
            return None
        policy = Policy.objects.restrict(self.user).live().filter(policy_no=number).first()
        if policy is None:
            raise forms.ValidationError(_("No policy %(no)s in your scope."),
                                        params={"no": number}, code="policy")
        return policy

    def clean_amount(self):
        try:
            fen = parse_yuan(self.cleaned_data["amount"])
        except ValueError:
            raise forms.ValidationError(
                _("Enter an amount in yuan with at most 2 decimals, e.g. 150.00 or -20.00."),
                code="amount") from None
        if abs(fen) >= MAX_ADJUSTMENT_FEN:
            raise forms.ValidationError(_("This amount is too large for an adjustment."),
                                        code="amount")
        return fen

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()
