"""Query filters of the list endpoints (django-filter), and their `ordering`.

Filters only ever narrow the restricted queryset a view starts from, so no filter value
can widen what a user sees: `under=<a unit outside his scope>` simply finds nothing.
"""

import django_filters as df
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES

from pinzhi.org.models import Agent, Level, Unit
from pinzhi.policies.models import PaymentMode, Policy, PolicyStatus, Product, ProductKind


class StableOrderingFilter(df.OrderingFilter):
    """`ordering` that always ends with the natural key.

    Without the tie-break, rows that compare equal (same printed date, same rank) may
    swap places between two queries and a client walking the pages would miss or repeat
    some of them.
    """

    def __init__(self, *args, tiebreak: str, **kwargs):
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, self.tiebreak)


def under_filter(path_lookup: str):
    """A filter `under=<unit code>`: the rows of that unit's subtree (itself included)."""

    def method(queryset, name, value):
        # The path is read without scope on purpose: the result is still intersected
        # with the user's restricted queryset, and an unknown code finds nothing, like a
        # code outside his scope, so the answer tells nothing about other branches.
        path = Unit.objects.filter(code=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{path_lookup}__startswith": path})

    return df.CharFilter(method=method, label="unit code: rows of that unit's subtree")


class UnitFilter(df.FilterSet):
    level = df.ChoiceFilter(choices=Level.choices)
    parent = df.CharFilter(field_name="parent__code", label="parent unit code")
    under = under_filter("path")
    ordering = StableOrderingFilter(fields=("code", "name", "level", "path"), tiebreak="code")

    class Meta:
        model = Unit
        fields = ("level", "parent", "under")


class AgentFilter(df.FilterSet):
    team = df.CharFilter(field_name="team__code", label="team code")
    under = under_filter("team__path")
    status = df.ChoiceFilter(choices=Agent.Status.choices)
    rank = df.CharFilter()
    search = df.CharFilter(method="search_code_or_name", label="part of the code or name")
    ordering = StableOrderingFilter(
        fields=("code", "name", "rank", "status", "hired_on", ("team__code", "team")),
        tiebreak="code",
    )

    class Meta:
        model = Agent
        fields = ("team", "under", "status", "rank", "search")

    def search_code_or_name(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ProductFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=ProductKind.choices)
    long_term = df.BooleanFilter()
    ordering = StableOrderingFilter(fields=("code", "name", "kind"), tiebreak="code")

    class Meta:
        model = Product
        fields = ("kind", "long_term")


class PolicyFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", label="agent code")
    product = df.CharFilter(field_name="product__code", label="product code")
    status = df.ChoiceFilter(choices=PolicyStatus.choices)
    payment_mode = df.ChoiceFilter(choices=PaymentMode.choices)
    printed_from = df.DateFilter(field_name="printed_on", lookup_expr="gte",
                                 label="printed on or after (YYYY-MM-DD)")
    printed_to = df.DateFilter(field_name="printed_on", lookup_expr="lte",
                               label="printed on or before (YYYY-MM-DD)")
    under = under_filter("agent__team__path")
    search = df.CharFilter(field_name="policy_no", lookup_expr="icontains",
                           label="part of the policy number")
    # Money is ordered by its fen column under its public (yuan) name.
    ordering = StableOrderingFilter(
        fields=(
            "policy_no", "printed_on", "signed_on", "effective_on", "status",
            ("premium_fen", "premium"), ("commission_fen", "commission"),
            ("agent__code", "agent"), ("product__code", "product"),
        ),
        tiebreak="policy_no",
    )

    class Meta:
        model = Policy
        fields = ("agent", "product", "status", "payment_mode", "printed_from", "printed_to",
                  "under", "search")
