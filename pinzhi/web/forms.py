"""Search and filter forms of the list pages.

Each form takes the user so that its choices (units, products) come from the same
restricted querysets as the rows: a filter never offers a unit the user may not see.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pinzhi.core.masking import (
    LANDLINE_RE,
    MOBILE_RE,
    id_number_checksum_ok,
    normalise_phone,
)
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import PolicyStatus, Product, ProductKind

ALL = _("all")


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def bootstrap(form) -> None:
    """Bootstrap's small classes on every widget of the form (an action's form)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


def _blank(choices):
    return [("", ALL), *choices]


class FilterForm(forms.Form):
    """A GET form: an invalid value is ignored rather than turned into an error page."""

    q = forms.CharField(label=_("search"), required=False, max_length=100)

    def __init__(self, data, *, user):
        super().__init__(data or None)
        self.user = user
        self.add_fields(user)
        for field in self.fields.values():
            choice = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if choice else "form-control form-control-sm"
            )

    def add_fields(self, user):
        """Fields whose choices depend on the user."""

    def values(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def apply(self, queryset):
        return queryset


def _unit_field(user):
    field = forms.ModelChoiceField(
        label=_("unit"), required=False, to_field_name="code", empty_label=ALL,
        queryset=Unit.objects.restrict(user).live(),
    )
    field.label_from_instance = lambda u: f"{'· ' * u.depth}{u.name}"
    return field


def _policy_search(q: str) -> Q:
    """Part of the number, the applicant's or the agent's name or code; or a customer's
    full phone or ID number, found whole only: they are sealed (core/sealing.py), so a
    part of one cannot be looked for, and looking for one whole reveals nothing."""
    found = (Q(policy_no__icontains=q) | Q(applicant_name__icontains=q)
             | Q(agent__code__icontains=q) | Q(agent__name__icontains=q))
    if id_number_checksum_ok(q):
        found |= Q(applicant_id_number=q.upper()) | Q(insured_id_number=q.upper())
    elif MOBILE_RE.match(phone := normalise_phone(q)) or LANDLINE_RE.match(phone):
        found |= Q(applicant_phone=phone)
    return found


class PolicyFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_blank(PolicyStatus.choices)
    )

    def add_fields(self, user):
        self.fields["q"].widget.attrs["placeholder"] = _(
            "policy no., applicant, agent, or a full phone or ID number")
        self.fields["product"] = forms.ModelChoiceField(
            label=_("product"), required=False, to_field_name="code", empty_label=ALL,
            queryset=Product.objects.restrict(user).live(),
        )
        units = _unit_field(user)
        if units.queryset.exists():  # agents see no units: offer no empty filter
            self.fields["unit"] = units

    def apply(self, queryset):
        v = self.values()
        if q := v.get("q"):
            queryset = queryset.filter(_policy_search(q.strip()))
        if status := v.get("status"):
            queryset = queryset.filter(status=status)
        if product := v.get("product"):
            queryset = queryset.filter(product=product)
        if unit := v.get("unit"):
            queryset = queryset.filter(agent__team__path__startswith=unit.path)
        return queryset


class AgentFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_blank(Agent.Status.choices)
    )

    def add_fields(self, user):
        self.fields["q"].widget.attrs["placeholder"] = _("agent code or name")
        units = _unit_field(user)
        if units.queryset.exists():
            self.fields["unit"] = units

    def apply(self, queryset):
        v = self.values()
        if q := v.get("q"):
            queryset = queryset.filter(Q(code__icontains=q) | Q(name__icontains=q))
        if status := v.get("status"):
            queryset = queryset.filter(status=status)
        if unit := v.get("unit"):
            queryset = queryset.filter(team__path__startswith=unit.path)
        return queryset


class ProductFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=_blank(ProductKind.choices))

    def add_fields(self, user):
        self.fields["q"].widget.attrs["placeholder"] = _("product code or name")

    def apply(self, queryset):
        v = self.values()
        if q := v.get("q"):
            queryset = queryset.filter(Q(code__icontains=q) | Q(name__icontains=q))
        if kind := v.get("kind"):
            queryset = queryset.filter(kind=kind)
        return queryset
