"""/api/v1/inspection-plans/ (read: each plan with its checklist and progress) and
/api/v1/inspection-findings/ (read: each finding with its state as of today, derived by
`rules`, never stored; POST records a finding, POST …/rectify/ its rectification,
POST …/verify/ the inspector's verification). A refusal of a service is a 409 with its
reason, and nothing changed; outside the scope is a 404."""

from functools import partial

import django_filters as df
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pinzhi.accounts.models import User
from pinzhi.api.views import RestrictedViewSet, action_schema, documented
from pinzhi.org.models import Agent

from . import rules, services
from .models import ChecklistItem, Finding, InspectionPlan, PlanKind, Result
from .reading import progress_of

urlpatterns = []


class InspectionItemSerializer(serializers.ModelSerializer):
    violation_code = serializers.CharField(source="violation_type.code", read_only=True,
                                           allow_null=True)
    checked_by = serializers.CharField(source="checked_by.username", read_only=True,
                                       allow_null=True)
    result = serializers.CharField(read_only=True, help_text="empty while unchecked, or one "
                                   "of: " + ", ".join(Result.values))

    class Meta:
        model = ChecklistItem
        fields = ["seq", "text", "violation_code", "result", "checked_on", "checked_by"]


class InspectionProgressSerializer(serializers.Serializer):
    items = serializers.IntegerField()
    checked = serializers.IntegerField()
    findings = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()


class InspectionPlanSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="one of: "
                                 + ", ".join(PlanKind.values))
    planned_by = serializers.CharField(source="planned_by.username", read_only=True,
                                       allow_null=True)
    checklist = InspectionItemSerializer(source="items", many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPlan
        fields = ["plan_no", "kind", "unit_code", "period_from", "period_to", "title",
                  "planned_by", "checklist", "progress", "voided_at", "void_reason"]

    @extend_schema_field(InspectionProgressSerializer)
    def get_progress(self, plan) -> dict:
        found = getattr(plan, "progress", None) or progress_of(
            [plan], timezone.localdate())[plan.pk]
        return InspectionProgressSerializer(found._asdict()).data


class InspectionPlanFilter(df.FilterSet):
    unit = df.CharFilter(field_name="unit__code", help_text="the unit inspected (code)")
    kind = df.CharFilter(field_name="kind")

    class Meta:
        model = InspectionPlan
        fields = []


class InspectionFindingSerializer(serializers.ModelSerializer):
    plan_no = serializers.CharField(source="plan.plan_no", read_only=True)
    item_seq = serializers.IntegerField(source="item.seq", read_only=True, allow_null=True)
    agent_code = serializers.CharField(source="agent.code", read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    violation_code = serializers.CharField(source="violation_type.code", read_only=True,
                                           allow_null=True)
    case_no = serializers.CharField(source="case.case_no", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField(help_text="as of today, one of: "
                                              + ", ".join(rules.STATES))

    class Meta:
        model = Finding
        fields = ["finding_no", "plan_no", "item_seq", "agent_code", "description",
                  "found_on", "owner", "due_on", "state", "rectified_on", "rectification",
                  "verified_on", "violation_code", "case_no", "voided_at", "void_reason"]

    def get_state(self, finding) -> str:
        return finding.state_on(timezone.localdate())


class InspectionFindingFilter(df.FilterSet):
    plan = df.CharFilter(field_name="plan__plan_no", help_text="plan number")
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")
    owner = df.CharFilter(field_name="owner__username", help_text="owner's username")

    class Meta:
        model = Finding
        fields = []


class FindingRecordSerializer(serializers.Serializer):
    plan_no = serializers.CharField()
    finding_no = serializers.CharField(required=False, allow_blank=True, default="")
    item_seq = serializers.IntegerField(required=False, allow_null=True, default=None)
    agent_code = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField()
    found_on = serializers.DateField()
    owner = serializers.SlugRelatedField(slug_field="username",
                                         queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    violation_code = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        user = self.context["request"].user
        plan = InspectionPlan.objects.restrict(user).filter(plan_no=data["plan_no"]).first()
        if plan is None:
            raise serializers.ValidationError({"plan_no": "no such plan"})
        item = None
        if data["item_seq"] is not None:
            item = plan.items.filter(seq=data["item_seq"]).first()
            if item is None:
                raise serializers.ValidationError({"item_seq": "no such item on the plan"})
        agent = None
        if data["agent_code"]:
            agent = Agent.objects.restrict(user).filter(code=data["agent_code"]).first()
            if agent is None:
                raise serializers.ValidationError({"agent_code": "no such agent"})
        return {"plan": plan, "item": item, "agent": agent, "owner": data["owner"],
                "finding_no": data["finding_no"], "description": data["description"],
                "found_on": data["found_on"], "due_on": data["due_on"],
                "violation_code": data["violation_code"]}


class FindingRectifySerializer(serializers.Serializer):
    rectified_on = serializers.DateField()
    rectification = serializers.CharField()


class FindingVerifySerializer(serializers.Serializer):
    verified_on = serializers.DateField()


_acts = partial(action_schema, answer=InspectionFindingSerializer)


@documented("inspections")
class PlanViewSet(RestrictedViewSet):
    queryset = InspectionPlan.objects.none()
    serializer_class = InspectionPlanSerializer
    filterset_class = InspectionPlanFilter
    lookup_field = "plan_no"
    related = ("unit", "planned_by")

    def get_queryset(self):
        return (super().get_queryset()
                .prefetch_related("items__violation_type", "items__checked_by")
                .order_by("-period_from", "plan_no"))

    def paginate_queryset(self, queryset):
        """The page's plans with their progress, in two queries for the page."""
        page = super().paginate_queryset(queryset)
        if page is not None:
            progress = progress_of(page, timezone.localdate())
            for plan in page:
                plan.progress = progress[plan.pk]
        return page


@documented("inspections")
class FindingViewSet(RestrictedViewSet):
    queryset = Finding.objects.none()
    serializer_class = InspectionFindingSerializer
    filterset_class = InspectionFindingFilter
    lookup_field = "finding_no"
    related = ("plan", "item", "agent", "owner", "violation_type", "case")

    def get_queryset(self):
        return super().get_queryset().order_by("due_on", "finding_no")

    @_acts("Record a finding (201); one that shows a violation drafts a case",
           FindingRecordSerializer, 201)
    def create(self, request):
        body = FindingRecordSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return self._do(status.HTTP_201_CREATED, services.finding_record,
                        **body.validated_data)

    def _act(self, request, body_class, run):
        finding = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._do(status.HTTP_200_OK, run, finding=finding, **body.validated_data)

    def _do(self, code, run, **kwargs):
        try:
            finding = run(by=self.request.user, **kwargs)
        except services.InspectionRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        finding.refresh_from_db()
        return Response(InspectionFindingSerializer(finding).data, status=code)

    @_acts("Record the rectification (the owner or an inspector)", FindingRectifySerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, finding_no=None):
        return self._act(request, FindingRectifySerializer, services.rectification_record)

    @_acts("Verify the rectification (an inspector who did not record it)", FindingVerifySerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, finding_no=None):
        return self._act(request, FindingVerifySerializer, services.rectification_verify)


def register(router) -> None:
    router.register("inspection-plans", PlanViewSet, basename="inspection-plan")
    router.register("inspection-findings", FindingViewSet, basename="inspection-finding")
