"""/api/v1/ for new-policy callbacks (rules §4): one policy's callback, the list of
callbacks in scope, and attempts recorded by callback operators and quality officers (a
call-centre system pushes its results with an operator's token).

Where it hangs, and why:
- The router makes collections of rows, each named by its `lookup_field`. A callback has
  no key of its own: there is one per policy, so it is a singleton under the policy's URL,
  `policies/{policy_no}/callback/`, with its attempts below it. Registered through the
  router, its GET would be a `list` and be documented as a paginated array; hence two
  explicit paths (`urlpatterns`, added after the router's) served by one viewset.
- The work list, `callbacks/`, is a collection like the others and is in the router.

Every row comes from `restrict(request.user)`: a policy outside the user's scope is a 404.
Phones are masked. Without `as_of`/`known_at` the detail is the stored CallbackStatus (the
state as of the last evaluation); with them it is derived again from the facts
(`services.current_state`), never read from the stored row.
"""

import datetime as dt

import django_filters as df
from django.db.models import F, Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from pinzhi.api.fields import ReadOnlyField, masked_phone
from pinzhi.api.filters import StableOrderingFilter, under_filter
from pinzhi.api.views import Pagination
from pinzhi.policies.models import Policy

from . import rules, services
from .evaluation import new_flags
from .models import CallbackAttempt, CallbackStatus, Finding, Method, Outcome, Round
from .params import CallbackParams
from .writing import STATUS_FIELDS

STATUS_LABELS = {
    rules.NOT_REQUIRED: _("no callback needed (not long-term)"),
    rules.EXEMPTED: _("exempted"),
    rules.WAITING: _("waiting for round 1"),
    rules.ROUND_1: _("round 1 open"),
    rules.AGENT_WINDOW: _("round 1 failed: the agent confirms or updates the contact"),
    rules.ROUND_2: _("round 2 open"),
    rules.MANUAL: _("manual callback open"),
    rules.SUCCEEDED: _("succeeded"),
    rules.MANUAL_FAILED: _("manual callback failed"),
}
# Still open: a callback left open past the cooling-off period is late (rules §4.8).
OPEN_STATUSES = (rules.WAITING, rules.ROUND_1, rules.AGENT_WINDOW, rules.ROUND_2,
                 rules.MANUAL)
STATUS_HELP = "one of: " + ", ".join(rules.STATUSES)


def is_late(state: str, deadline_at, moment) -> bool:
    return state in OPEN_STATUSES and deadline_at is not None and deadline_at < moment


@extend_schema_field(OpenApiTypes.STR)
class StatusLabelField(ReadOnlyField):
    """The state's label, in the active language."""

    def to_representation(self, value):
        return str(STATUS_LABELS.get(value, value))


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CodeListField(ReadOnlyField):
    """Codes stored `;`-separated, as a list."""

    def to_representation(self, value):
        return [code for code in (value or "").split(";") if code]


# -- one policy's callback -----------------------------------------------------------------

class CallbackAttemptSerializer(serializers.Serializer):
    round = serializers.CharField(read_only=True, help_text="1, 2 or manual")
    attempted_at = serializers.DateTimeField(read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="outcome code (rules §4.3)")
    findings = CodeListField()
    flag = serializers.CharField(
        read_only=True, help_text="why it is kept but not counted (outside_hours, too_soon, "
                                  "round_not_open, after_end, not_required); empty: counted")
    counted = serializers.BooleanField(read_only=True, help_text="the flag is empty")
    satisfaction = serializers.IntegerField(read_only=True, allow_null=True)
    inbound = serializers.BooleanField(read_only=True, help_text="the customer called in")
    appointment_at = serializers.DateTimeField(read_only=True, allow_null=True)
    method = serializers.CharField(read_only=True, help_text="call, letter or visit "
                                                             "(manual verdicts)")
    phone_changed = serializers.BooleanField(read_only=True)


def _moment(**kw):
    return serializers.DateTimeField(read_only=True, allow_null=True, **kw)


class CallbackSerializer(serializers.Serializer):
    policy_no = serializers.CharField(read_only=True)
    source = serializers.CharField(
        read_only=True, help_text="stored: as of the last evaluation; derived: computed "
                                  "from the facts at `as_of` (as known at `known_at`)")
    as_of = _moment(help_text="the moment derived at; null for the stored state")
    known_at = _moment(help_text="only facts recorded by then; null: all")
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_label = StatusLabelField(source="status")
    open_round = serializers.CharField(read_only=True, allow_null=True,
                                       help_text="1, 2, manual, or null")
    late = serializers.BooleanField(
        read_only=True, help_text="still open after the cooling-off deadline (at `as_of`, "
                                  "or now)")
    round_1_opens_at = _moment()
    round_1_failed_at = _moment()
    round_2_opens_at = _moment(help_text="when round 2 opened; in the agent's window, the "
                                         "latest it opens (his confirmation opens it then)")
    round_2_failed_at = _moment()
    manual_opened_at = _moment()
    success_at = _moment()
    ended_at = _moment()
    next_call_at = _moment(help_text="when a call may next be made (null: no call is due)")
    deadline_at = _moment(help_text="end of the cooling-off period: the legal deadline")
    attempt_count = serializers.IntegerField(
        source="attempts", read_only=True, help_text="every attempt, counted or not")
    attempts = CallbackAttemptSerializer(source="attempt_list", many=True, read_only=True)
    findings = CodeListField(help_text="findings of the success")
    findings_undecided = serializers.BooleanField(
        read_only=True, help_text="a finding's case is not decided yet (withholds)")
    condition_met = serializers.BooleanField(read_only=True)
    phone_changed = serializers.BooleanField(read_only=True)
    phone_masked = masked_phone("phone")
    phone_false = serializers.BooleanField(
        read_only=True, help_text="the number on file is an agent's or a branch's")


def _attempt_rows(policy: Policy, flags: dict[int, str] | None = None) -> list[dict]:
    """The live attempts, with their stored flags, or those of `flags` (only its ids)."""
    rows = []
    for a in CallbackAttempt.objects.live().filter(policy=policy).order_by("attempted_at",
                                                                          "round"):
        if flags is not None and a.pk not in flags:
            continue
        flag = a.flag if flags is None else flags[a.pk]
        rows.append({"round": a.round, "attempted_at": a.attempted_at, "outcome": a.outcome,
                     "findings": a.findings, "flag": flag, "counted": not flag,
                     "satisfaction": a.satisfaction, "inbound": a.inbound,
                     "appointment_at": a.appointment_at, "method": a.method,
                     "phone_changed": a.phone_changed})
    return rows


def _body(policy, values: dict, attempts: list[dict], *, source, params: rules.Params,
          as_of=None, known_at=None) -> dict:
    moment = as_of or timezone.now()
    if values["status"] == rules.AGENT_WINDOW and values["round_2_opens_at"] is None:
        # Not a fact yet: the latest it opens (a confirmation by the agent opens it then).
        values["round_2_opens_at"] = rules.round_2_opens_at(values["round_1_failed_at"], [],
                                                            params)
    return {**values, "policy_no": policy.policy_no, "source": source, "as_of": as_of,
            "known_at": known_at, "attempt_list": attempts,
            "open_round": services.OPEN_ROUND.get(values["status"]),
            "late": is_late(values["status"], values["deadline_at"], moment)}


def derived(policy: Policy, *, as_of=None, known_at=None) -> dict:
    """The callback as it stood at `as_of` (now), from the facts (as known at `known_at`)."""
    as_of = as_of or timezone.now()
    ev = services.current_state(policy, as_of=as_of, known_at=known_at)
    seen = {a.id for a in ev.facts.attempts if a.at < as_of and (
        known_at is None or a.recorded_at is None or a.recorded_at <= known_at)}
    flags = {i: f for i, f in new_flags(ev).items() if i in seen}
    return _body(policy, dict(zip(STATUS_FIELDS, ev.row, strict=True)),
                 _attempt_rows(policy, flags), source="derived", params=ev.params,
                 as_of=as_of, known_at=known_at)


def stored(policy: Policy) -> dict:
    """The stored state (the last evaluation); derived now if the policy has none yet."""
    row = CallbackStatus.objects.filter(policy=policy).first()
    if row is None:
        return derived(policy)
    values = {name: getattr(row, name) for name in STATUS_FIELDS}
    params = CallbackParams().for_policy(policy.printed_on, policy.agent.team.path)
    return _body(policy, values, _attempt_rows(policy), source="stored", params=params)


# Before 1901 Beijing time is local mean time (+08:05:43): echoed back, such a moment is
# no RFC 3339 date-time (schemathesis found it). No fact of the system is that old.
EARLIEST_MOMENT = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class MomentQuerySerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(required=False)
    known_at = serializers.DateTimeField(required=False)

    def validate(self, data):
        for name, moment in data.items():
            if moment < EARLIEST_MOMENT:
                raise serializers.ValidationError({name: "a moment from 1970 on"})
        return data


class NewAttemptSerializer(serializers.Serializer):
    """One attempt as the caller made it (rules §4.2–4.5)."""

    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text="rules §4.3")
    attempted_at = serializers.DateTimeField(
        required=False, help_text="when the call was made (default: now); not in the future")
    round = serializers.ChoiceField(
        choices=Round.choices, required=False,
        help_text="default: the round open at `attempted_at`; `manual`: the manual "
                  "callback's verdict (quality officers)")
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=["yes", "no"]), required=False,
        help_text="script question code -> yes/no; a no may reveal a finding (rules §4.5)")
    findings = serializers.ListField(
        child=serializers.ChoiceField(choices=Finding.choices), required=False,
        help_text="findings found otherwise than by the answers")
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False,
                                            allow_null=True)
    inbound = serializers.BooleanField(default=False, help_text="the customer called in")
    appointment_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="call again from (after the call)")
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=4000)
    method = serializers.ChoiceField(choices=Method.choices, required=False,
                                     allow_blank=True, default="",
                                     help_text="the manual verdict's method")
    phone_changed = serializers.BooleanField(
        default=False, help_text="manual success: the number on file was wrong")

    def validate_attempted_at(self, value):
        if value > timezone.now():
            raise serializers.ValidationError("the attempt's time is in the future")
        return value

    def validate(self, data):
        at, appointment = data.get("attempted_at") or timezone.now(), data.get("appointment_at")
        if appointment is not None and appointment <= at:
            raise serializers.ValidationError(
                {"appointment_at": "the appointment must be after the call"})
        return data


class RecordsCallbacks(permissions.BasePermission):
    """Callback operators and quality officers (rules §9); not agents, not HR systems."""

    message = "only callback operators and quality officers record callback attempts"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated
                    and user.has_role(services.CALLER_ROLES))


POLICY_NO = OpenApiParameter("policy_no", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="the policy number")
MOMENT_PARAMETERS = [
    OpenApiParameter("as_of", OpenApiTypes.DATETIME, OpenApiParameter.QUERY,
                     description="the state as it stood then, derived from the facts "
                                 "(ISO 8601; without an offset: Beijing time; a date "
                                 "alone: its 00:00)"),
    OpenApiParameter("known_at", OpenApiTypes.DATETIME, OpenApiParameter.QUERY,
                     description="only the facts recorded by then (as_of defaults to now)"),
]
NOT_FOUND = OpenApiResponse(description="no such policy in the user's scope")


@extend_schema(tags=["callbacks"], parameters=[POLICY_NO])
class PolicyCallbackViewSet(viewsets.GenericViewSet):
    """A policy's callback (GET) and the attempts recorded into it (POST)."""

    serializer_class = CallbackSerializer
    pagination_class = None
    filter_backends = []

    def get_permissions(self):
        if self.action == "attempts":
            return [permissions.IsAuthenticated(), RecordsCallbacks()]
        return super().get_permissions()

    def policy(self, policy_no: str) -> Policy:
        found = (Policy.objects.restrict(self.request.user).live().select_related(
            "agent__team", "product").filter(policy_no=policy_no).first())
        if found is None:
            raise Http404
        return found

    @extend_schema(
        summary="A policy's callback: state, rounds, attempts, deadline",
        description="Without `as_of`/`known_at`: the stored state (the last evaluation). "
                    "With them: derived again from the facts.",
        parameters=MOMENT_PARAMETERS,
        responses={200: CallbackSerializer,
                   400: OpenApiResponse(description="as_of or known_at malformed"),
                   404: NOT_FOUND},
    )
    def retrieve(self, request, policy_no=None):
        policy = self.policy(policy_no)
        query = MomentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if query.validated_data:
            body = derived(policy, **query.validated_data)
        else:
            body = stored(policy)
        return Response(CallbackSerializer(body).data)

    @extend_schema(
        summary="Record a callback attempt (operators, quality officers)",
        description="Recorded with `services.attempt_record`, then the policy is evaluated "
                    "again; the answer is the new state.",
        request=NewAttemptSerializer,
        responses={201: CallbackSerializer,
                   # Two shapes: {field: [reasons]} or {"detail": reason} (schemathesis
                   # found the field errors outside a `detail`-only schema).
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="a field is "
                                        "malformed (`{field: [reasons]}`), or the attempt "
                                        "is refused (`{\"detail\": reason}`); nothing "
                                        "recorded"),
                   403: OpenApiResponse(description="the role does not record callbacks"),
                   404: NOT_FOUND},
    )
    def attempts(self, request, policy_no=None):
        policy = self.policy(policy_no)
        body = NewAttemptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            services.attempt_record(
                policy=policy, by=request.user, outcome=data["outcome"],
                at=data.get("attempted_at"), round=data.get("round"),
                answers=data.get("answers"), findings=data.get("findings"),
                satisfaction=data.get("satisfaction"), inbound=data["inbound"],
                appointment_at=data.get("appointment_at"), note=data["note"],
                method=data["method"], phone_changed=data["phone_changed"])
        except services.CallbackRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(CallbackSerializer(stored(policy)).data,
                        status=status.HTTP_201_CREATED)


# -- the list ----------------------------------------------------------------------------

class CallbackRowSerializer(serializers.ModelSerializer):
    policy_no = serializers.CharField(source="policy.policy_no", read_only=True)
    agent_code = serializers.CharField(source="policy.agent.code", read_only=True)
    team = serializers.CharField(source="policy.agent.team.code", read_only=True,
                                 help_text="code of the agent's team (now)")
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    status_label = StatusLabelField(source="status")
    late = serializers.SerializerMethodField(
        help_text="still open after the cooling-off deadline")

    class Meta:
        model = CallbackStatus
        fields = ("policy_no", "agent_code", "team", "status", "status_label", "attempts",
                  "next_call_at", "deadline_at", "condition_met", "late")
        read_only_fields = fields

    def get_late(self, row) -> bool:
        return is_late(row.status, row.deadline_at, self.context["now"])


def yes_no_filter(method: str, label: str):
    """`true` or `false`; anything else is a 400 naming the parameter, not ignored."""
    return df.ChoiceFilter(choices=[("true", "true"), ("false", "false")], method=method,
                           label=label)


class CallbackFilter(df.FilterSet):
    status = df.ChoiceFilter(choices=[(s, s) for s in rules.STATUSES])
    late = yes_no_filter("late_rows", "true: still open and the cooling-off deadline "
                                      "passed; false: the others")
    condition_met = yes_no_filter("condition_rows", "the callback condition is met")
    unit = under_filter("policy__agent__team__path")
    agent = df.CharFilter(field_name="policy__agent__code", label="agent code")
    ordering = StableOrderingFilter(
        fields=("deadline_at", "next_call_at", "status", "attempts",
                ("policy__policy_no", "policy_no"), ("policy__agent__code", "agent")),
        tiebreak="policy__policy_no",
    )

    class Meta:
        model = CallbackStatus
        fields = ("status", "late", "condition_met", "unit", "agent")

    def late_rows(self, queryset, name, value):
        late = Q(status__in=OPEN_STATUSES, deadline_at__lt=timezone.now())
        return queryset.filter(late) if value == "true" else queryset.exclude(late)

    def condition_rows(self, queryset, name, value):
        return queryset.filter(condition_met=value == "true")


@extend_schema(tags=["callbacks"])
class CallbackViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Callbacks in scope as of the last evaluation, nearest deadline first (rules §4.8)."""

    queryset = CallbackStatus.objects.none()
    serializer_class = CallbackRowSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = CallbackFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return CallbackStatus.objects.none()
        return (CallbackStatus.objects.restrict(self.request.user)
                .filter(policy__voided_at__isnull=True)
                .select_related("policy__agent__team")
                .order_by(F("deadline_at").asc(nulls_last=True),
                          F("next_call_at").asc(nulls_last=True), "policy__policy_no"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(summary="Callbacks in scope (stored states), filtered")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


# Added to /api/v1/ after the router's paths (pinzhi/api/urls.py).
urlpatterns = [
    path("policies/<str:policy_no>/callback/",
         PolicyCallbackViewSet.as_view({"get": "retrieve"}), name="policy-callback"),
    path("policies/<str:policy_no>/callback/attempts/",
         PolicyCallbackViewSet.as_view({"post": "attempts"}), name="policy-callback-attempts"),
]
