"""This area's /api/v1/ resources: `valuable-documents`, read-only, by doc_no.

Rows come from `restrict(request.user)` like every resource: a document outside the
user's scope is a 404. `state` is the document's state on a day (`?as_of=YYYY-MM-DD`,
default today): `out` (within its term), `overdue` (not returned by its due date) or
`returned`; the `state` filter uses the same day.
"""

import datetime as dt

import django_filters as df
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers

from pinzhi.api.fields import ReadOnlyField
from pinzhi.api.filters import StableOrderingFilter, under_filter
from pinzhi.api.serializers import VOID_FIELDS, VoidableSerializer
from pinzhi.api.views import RestrictedViewSet, documented

from . import reading, rules
from .models import ValuableDocument

urlpatterns = []

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY,
    description="The day the `state` is for (and the `state` filter); default today.")


def as_of_day(request) -> dt.date:
    raw = request.query_params.get("as_of", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({"as_of": "a date YYYY-MM-DD"}) from None


@extend_schema_field({"type": "string", "enum": list(rules.STATES)})
class StateField(ReadOnlyField):
    """The document's state on the day asked (`as_of`, default today)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, doc):
        return doc.state(self.context["as_of"])


class ValuableDocumentSerializer(VoidableSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    state = StateField(help_text="out, overdue or returned on the day asked (as_of)")
    returned_late = serializers.BooleanField(read_only=True,
                                             help_text="returned after its due date")

    class Meta:
        model = ValuableDocument
        fields = ("doc_no", "doc_type", "agent_code", "issued_on", "due_on", "returned_on",
                  "state", "returned_late", *VOID_FIELDS)
        read_only_fields = fields


class ValuableDocumentFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", label="agent code")
    state = df.ChoiceFilter(choices=[(s, s) for s in rules.STATES], method="in_state",
                            label="state on the day asked (as_of, default today)")
    due_from = df.DateFilter(field_name="due_on", lookup_expr="gte",
                             label="due on or after (YYYY-MM-DD)")
    due_to = df.DateFilter(field_name="due_on", lookup_expr="lte",
                           label="due on or before (YYYY-MM-DD)")
    under = under_filter("agent__team__path")
    ordering = StableOrderingFilter(
        fields=("doc_no", "issued_on", "due_on", "returned_on", ("agent__code", "agent")),
        tiebreak="doc_no",
    )

    class Meta:
        model = ValuableDocument
        fields = ("agent", "state", "due_from", "due_to", "under")

    def in_state(self, queryset, name, value):
        return reading.in_state(queryset, value, as_of_day(self.request))


@extend_schema(parameters=[AS_OF])
@documented("valuable documents")
class ValuableDocumentViewSet(RestrictedViewSet):
    """Valuable documents issued to agents (rules §7.3), by document number."""

    queryset = ValuableDocument.objects.none()
    serializer_class = ValuableDocumentSerializer
    filterset_class = ValuableDocumentFilter
    lookup_field = "doc_no"
    related = ("agent",)

    def get_queryset(self):
        return super().get_queryset().order_by("due_on", "doc_no")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "request" in context:
            context["as_of"] = as_of_day(self.request)
        return context


def register(router) -> None:
    router.register("valuable-documents", ValuableDocumentViewSet,
                    basename="valuable-document")
