"""Forms of the quality pages. They check the input's shape and scope only: whether a
change is allowed is the services' decision (quality.services)."""

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy
from pinzhi.web.forms import ALL, FilterForm, bootstrap

from .models import CaseSource, CaseStatus, ViolationType
from .scoring import half_year_bounds, half_year_of

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
CODE_SHAPE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
PERIOD_SHAPE = re.compile(r"^\d{4}H[12]$")


def tenths(points: Decimal | None) -> int | None:
    return None if points is None else int(points * 10)


def recent_periods(count: int = 4, today: dt.date | None = None) -> list[str]:
    """The current half-year and the ones before it, newest first."""
    period = half_year_of(today or timezone.localdate())
    periods = [period]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    return periods


def previous_period(period: str) -> str:
    year, half = int(period[:4]), period[-1]
    return f"{year}H1" if half == "2" else f"{year - 1}H2"


def valid_period(period: str) -> bool:
    return bool(PERIOD_SHAPE.match(period or ""))


def _unit_field(user, *, required=False, empty_label=ALL):
    field = forms.ModelChoiceField(
        label=_("unit"), required=required, to_field_name="code", empty_label=empty_label,
        queryset=Unit.objects.restrict(user).live(),
    )
    field.label_from_instance = lambda u: f"{'· ' * u.depth}{u.name}"
    return field


# -- the case list's filters -------------------------------------------------------------


class CaseFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("", ALL), *CaseStatus.choices])
    period = forms.ChoiceField(label=_("half-year"), required=False)

    def add_fields(self, user):
        self.fields["q"].label = _("agent")
        self.fields["q"].widget.attrs["placeholder"] = _("agent code or name, case no.")
        self.fields["type"] = forms.ModelChoiceField(
            label=_("violation"), required=False, to_field_name="code", empty_label=ALL,
            queryset=ViolationType.objects.order_by("code"))
        units = _unit_field(user)
        if units.queryset.exists():
            self.fields["unit"] = units
        self.fields["period"].choices = [("", ALL)] + [(p, p) for p in recent_periods(6)]

    def apply(self, queryset):
        v = self.values()
        if q := v.get("q"):
            queryset = queryset.filter(Q(agent__code__iexact=q) | Q(agent__name__icontains=q)
                                       | Q(case_no__iexact=q))
        if status := v.get("status"):
            queryset = queryset.filter(status=status)
        if kind := v.get("type"):
            queryset = queryset.filter(type=kind)
        if unit := v.get("unit"):
            queryset = queryset.filter(agent__team__path__startswith=unit.path)
        if period := v.get("period"):
            start, end = half_year_bounds(period)
            queryset = queryset.filter(occurred_on__gte=start, occurred_on__lte=end)
        return queryset


# -- drafting a case ---------------------------------------------------------------------


class CaseDraftForm(forms.Form):
    agent = forms.CharField(label=_("agent code"), max_length=40)
    type = forms.ModelChoiceField(label=_("violation"), to_field_name="code",
                                  queryset=ViolationType.objects.order_by("code"))
    occurred_on = forms.DateField(label=_("occurred on"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    policy = forms.CharField(label=_("policy number"), max_length=40, required=False)
    source = forms.ChoiceField(label=_("found by way of"), choices=[
        (CaseSource.COMPLAINT, CaseSource.COMPLAINT.label),
        (CaseSource.AUDIT, CaseSource.AUDIT.label),
    ])
    evidence = forms.CharField(label=_("evidence"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def clean_agent(self):
        code = self.cleaned_data["agent"].strip()
        agent = Agent.objects.restrict(self.user).live().select_related("team") \
            .filter(code=code).first()
        if agent is None:
            raise forms.ValidationError(_("No agent with this code in your units."))
        return agent

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A case cannot occur in the future."))
        return day

    def clean(self):
        data = super().clean()
        number, agent = (data.get("policy") or "").strip(), data.get("agent")
        if number and agent is not None:
            policy = Policy.objects.restrict(self.user).filter(policy_no=number).first()
            if policy is None or policy.agent_id != agent.pk:
                self.add_error("policy", _("No policy with this number for this agent."))
            data["policy"] = policy
        else:
            data["policy"] = None
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("evidence file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.")
                                        % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)})
        return upload


# -- the catalogue and thresholds ----------------------------------------------------------


class VersionForm(forms.Form):
    """A new version of a violation type (a new type if the code is new)."""

    code = forms.CharField(label=_("code"), max_length=40)
    valid_from = forms.DateField(label=_("valid from"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    points = forms.DecimalField(label=_("points per case"), min_value=0, max_digits=5,
                                decimal_places=1)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    article = forms.CharField(label=_("source article"), max_length=100, required=False)
    tier_after = forms.IntegerField(label=_("tier: cases at the base points"), min_value=1,
                                    required=False)
    tier_points = forms.DecimalField(label=_("tier: points after"), min_value=0, max_digits=5,
                                     decimal_places=1, required=False)

    def __init__(self, *args, user, head_office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Head office prices for the whole company unless it names a unit; a branch
        # officer always for a unit of his own subtree.
        self.fields["unit"] = _unit_field(
            user, required=not head_office,
            empty_label=_("whole company") if head_office else None)
        self.fields["code"].widget.attrs["list"] = "violation-codes"
        bootstrap(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not CODE_SHAPE.match(code):
            raise forms.ValidationError(_("Lower-case letters, digits and underscores."))
        return code

    def clean(self):
        data = super().clean()
        if (data.get("tier_after") is None) != (data.get("tier_points") is None):
            raise forms.ValidationError(_("A tier needs both its count and its points."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return dict(code=d["code"], valid_from=d["valid_from"], points_tenths=tenths(d["points"]),
                    name_zh=d["name_zh"], name_en=d["name_en"], article=d["article"],
                    tier_after=d["tier_after"], tier_points_tenths=tenths(d["tier_points"]),
                    unit=d.get("unit"))


class SchemeForm(forms.Form):
    """New thresholds: one line per standing, `points standing consequence …`."""

    valid_from = forms.DateField(label=_("valid from"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    lines = forms.CharField(
        label=_("lines"), widget=forms.Textarea(attrs={
            "rows": 6, "class": "form-control form-control-sm font-monospace"}),
        help_text=_("One line per standing: points from, standing code, consequence codes."))
    single_case = forms.DecimalField(
        label=_("a single case of at least these points recommends termination"),
        min_value=0, max_digits=5, decimal_places=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_lines(self):
        parsed = []
        for number, text in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            words = text.replace(",", " ").split()
            if not words:
                continue
            try:
                points = Decimal(words[0])
            except ArithmeticError:
                points = None
            if points is None or points < 0 or len(words) < 2:
                raise forms.ValidationError(
                    _("Line %(n)s: points, then the standing code.") % {"n": number})
            parsed.append([tenths(points), words[1], words[2:]])
        if not parsed:
            raise forms.ValidationError(_("At least one line."))
        return parsed

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return dict(valid_from=d["valid_from"], lines=d["lines"],
                    single_case_termination_tenths=tenths(d["single_case"]))


def scheme_text(lines) -> str:
    """Thresholds as the form's textarea shows them."""
    return "\n".join(f"{Decimal(a) / 10:g} {s} {' '.join(c)}".rstrip() for a, s, c in lines)
