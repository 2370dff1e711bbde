"""/api/v1/candidates/: the candidates in the user's scope, by candidate_no, with their
checks and the verdict as of today (derived by `rules`, never stored); POST records one,
POST `<no>/checks/` records a check, POST `<no>/contract/` signs the contract. A refusal
of a service is a 409 with its reason, and nothing changed; outside the scope a 404. ID
and phone numbers are masked."""

from functools import partial

import django_filters as df
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pinzhi.api.fields import OneOf
from pinzhi.api.views import RestrictedViewSet, action_schema, documented
from pinzhi.core.importing import parsers
from pinzhi.org.models import Level, Unit

from . import rules, services
from .models import Candidate, RecruitmentCheck
from .verdicts import verdict_for

urlpatterns = []


class CandidateFilter(df.FilterSet):
    unit = df.CharFilter(method="in_unit", help_text="a unit's code: its subtree's candidates")
    applied_from = df.DateFilter(field_name="applied_on", lookup_expr="gte")
    applied_to = df.DateFilter(field_name="applied_on", lookup_expr="lte")
    contracted = df.BooleanFilter(field_name="agent", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Candidate
        fields = []

    def in_unit(self, queryset, name, value):
        return queryset.filter(team__path__contains=f"/{value}/")


class CandidateCheckSerializer(serializers.ModelSerializer):
    kind = OneOf(rules.KINDS, read_only=True)
    outcome = OneOf(rules.OUTCOMES, read_only=True)
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = RecruitmentCheck
        fields = ["kind", "checked_on", "outcome", "event_on", "ends_on", "source", "note",
                  "by", "voided_at", "void_reason"]


class CandidateVerdictSerializer(serializers.Serializer):
    day = serializers.DateField()
    ok = serializers.BooleanField(help_text="the contract may be signed on the day")
    state = OneOf(rules.STATES)
    reasons = serializers.ListField(child=serializers.CharField(),
                                    help_text="why it may not: a check missing, a live bar")
    ban_years = serializers.IntegerField()


class CandidateSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    unit_code = serializers.CharField(source="team.code", read_only=True)
    agent_code = serializers.CharField(source="agent.code", read_only=True, allow_null=True)
    checks = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = ["candidate_no", "name", "id_number", "phone", "unit_code", "rank",
                  "applied_on", "agent_code", "checks", "verdict", "voided_at",
                  "void_reason"]

    @extend_schema_field(CandidateCheckSerializer(many=True))
    def get_checks(self, candidate):
        checks = candidate.checks.select_related("by").order_by("checked_on", "id")
        return CandidateCheckSerializer(checks, many=True).data

    @extend_schema_field(CandidateVerdictSerializer)
    def get_verdict(self, candidate):
        verdict = verdict_for(candidate, timezone.localdate())
        return CandidateVerdictSerializer(verdict).data


class CandidateRecordSerializer(serializers.Serializer):
    candidate_no = serializers.CharField(required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=60)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=20)
    unit_code = serializers.CharField(help_text="the team")
    rank = serializers.CharField(max_length=40)
    applied_on = serializers.DateField()

    def validate_id_number(self, value):
        try:
            return parsers.resident_id(value.strip())
        except ValueError as e:
            raise serializers.ValidationError(str(e)) from None

    def validate(self, data):
        user = self.context["request"].user
        team = (Unit.objects.restrict(user).live().filter(code=data["unit_code"],
                                                          level=Level.TEAM).first())
        if team is None:
            raise serializers.ValidationError({"unit_code": "no such team"})
        return {**data, "team": team}


class CandidateCheckBodySerializer(serializers.Serializer):
    kind = OneOf(rules.KINDS)
    checked_on = serializers.DateField()
    outcome = OneOf(rules.OUTCOMES)
    event_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateContractSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="the new agent's code")
    hired_on = serializers.DateField()


_acts = partial(action_schema, answer=CandidateSerializer)


@documented("recruitment")
class CandidateViewSet(RestrictedViewSet):
    queryset = Candidate.objects.none()
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    lookup_field = "candidate_no"
    related = ("team", "agent")

    def get_queryset(self):
        return super().get_queryset().order_by("-applied_on", "candidate_no")

    @_acts("Record a candidate (201)", CandidateRecordSerializer, 201)
    def create(self, request):
        body = CandidateRecordSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._do(status.HTTP_201_CREATED, services.candidate_record,
                        candidate_no=data["candidate_no"], name=data["name"],
                        id_number=data["id_number"], phone=data["phone"], team=data["team"],
                        rank=data["rank"], applied_on=data["applied_on"])

    def _act(self, request, body_class, run, answer=status.HTTP_200_OK):
        candidate = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._do(answer, run, candidate=candidate, **body.validated_data)

    def _do(self, answer, run, **kwargs):
        try:
            made = run(by=self.request.user, **kwargs)
        except services.RecruitmentRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        candidate = made if isinstance(made, Candidate) else kwargs["candidate"]
        candidate = Candidate.objects.select_related("team", "agent").get(pk=candidate.pk)
        return Response(CandidateSerializer(candidate).data, status=answer)

    @_acts("Record a check of one of the law's bars (201)", CandidateCheckBodySerializer, 201)
    @action(detail=True, methods=["post"])
    def checks(self, request, candidate_no=None):
        return self._act(request, CandidateCheckBodySerializer, services.check_record,
                         status.HTTP_201_CREATED)

    @_acts("Sign the agency contract: creates the agent (refused unless the verdict is ok)",
           CandidateContractSerializer)
    @action(detail=True, methods=["post"])
    def contract(self, request, candidate_no=None):
        return self._act(request, CandidateContractSerializer, services.contract_sign)


def register(router) -> None:
    router.register("candidates", CandidateViewSet, basename="candidate")
