"""/api/v1/notices/: the notices in the user's scope, by notice_no, read-only (rules §7.4).

Each carries its state and the case its facts call for as of today or `?as_of=DATE`
(derived by `rules`, never stored), and the number of the case recorded for it by the
last evaluation, if any. Rows come from `restrict(user)`: outside the scope is a 404.
"""

import datetime as dt

import django_filters as df
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from pinzhi.api.views import INCLUDE_VOIDED, RestrictedViewSet

from . import rules
from .evaluation import with_case
from .models import Notice

urlpatterns = []

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY,
    description="The day the state and the case are derived for (default today).")


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)


class NoticeFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")
    policy = df.CharFilter(field_name="policy__policy_no", help_text="policy number")
    due_from = df.DateFilter(field_name="due_on", lookup_expr="gte")
    due_to = df.DateFilter(field_name="due_on", lookup_expr="lte")
    report_false = df.BooleanFilter()
    harm = df.BooleanFilter()

    class Meta:
        model = Notice
        fields = []


class NoticeSerializer(serializers.ModelSerializer):
    policy_no = serializers.CharField(source="policy.policy_no", read_only=True)
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    state = serializers.SerializerMethodField(help_text="one of: " + ", ".join(rules.STATES))
    case_code = serializers.SerializerMethodField(
        help_text="notice_late or notice_harm: the case the facts call for as of the day; "
                  "null: none")
    case_occurred_on = serializers.SerializerMethodField()
    case_no = serializers.CharField(read_only=True, allow_null=True,
                                    help_text="the case recorded for the notice, if any")

    class Meta:
        model = Notice
        fields = ["notice_no", "policy_no", "agent_code", "kind", "issued_on", "due_on",
                  "delivered_on", "reported_on", "report_false", "harm", "state",
                  "case_code", "case_occurred_on", "case_no", "voided_at", "void_reason"]

    def _case(self, notice):
        return rules.notice_case(notice.facts, self.context["as_of"])

    def get_state(self, notice) -> str:
        return rules.notice_state(notice.facts, self.context["as_of"])

    def get_case_code(self, notice) -> str | None:
        case = self._case(notice)
        return case[0] if case else None

    def get_case_occurred_on(self, notice) -> dt.date | None:
        case = self._case(notice)
        return case[1] if case else None


@extend_schema_view(list=extend_schema(parameters=[INCLUDE_VOIDED, AS_OF]),
                    retrieve=extend_schema(parameters=[INCLUDE_VOIDED, AS_OF]))
@extend_schema(tags=["notices"])
class NoticeViewSet(RestrictedViewSet):
    queryset = Notice.objects.none()
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    lookup_field = "notice_no"
    related = ("policy", "agent")

    def get_queryset(self):
        return with_case(super().get_queryset()).order_by("due_on", "notice_no")

    def get_serializer_context(self):
        from django.utils import timezone

        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False) or self.request is None:
            return context
        query = AsOfSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        context["as_of"] = query.validated_data.get("as_of") or timezone.localdate()
        return context


def register(router) -> None:
    router.register("notices", NoticeViewSet, basename="notice")
