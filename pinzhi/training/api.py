"""/api/v1/training-sessions/ and /api/v1/remedial-trainings/ (issue 8), read-only, in
the user's scope: sessions with who attended, and remedial training with its state as of
today (derived by `rules`, never stored)."""

from django.utils import timezone
from rest_framework import serializers

from pinzhi.api.views import RestrictedViewSet, documented

from . import rules
from .models import RemedialAssignment, Session
from .reading import remedial_rows

urlpatterns = []


class SessionSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    remedial = serializers.BooleanField(source="course.remedial", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    agents = serializers.SerializerMethodField(help_text="codes of the agents who attended")

    class Meta:
        model = Session
        fields = ["session_no", "course_code", "remedial", "held_on", "unit_code", "trainer",
                  "agents", "voided_at", "void_reason"]

    def get_agents(self, session) -> list[str]:
        return [a.agent.code for a in session.attendances.all() if a.voided_at is None]


class RemedialSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    state = serializers.CharField(read_only=True, help_text="one of: " + ", ".join(rules.STATES))

    class Meta:
        model = RemedialAssignment
        fields = ["agent_code", "half_year", "standing", "assigned_on", "due_on", "done_on",
                  "state"]


@documented("training")
class SessionViewSet(RestrictedViewSet):
    queryset = Session.objects.none()
    serializer_class = SessionSerializer
    lookup_field = "session_no"
    related = ("course", "unit")

    def get_queryset(self):
        return (super().get_queryset().prefetch_related("attendances__agent")
                .order_by("-held_on", "session_no"))


@documented("training")
class RemedialViewSet(RestrictedViewSet):
    queryset = RemedialAssignment.objects.none()
    serializer_class = RemedialSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RemedialAssignment.objects.none()
        return RemedialAssignment.objects.restrict(self.request.user).order_by("due_on", "id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_state(page)

    def get_object(self):
        return with_state([super().get_object()])[0]


def with_state(assignments: list) -> list:
    """The assignments, each with its `done_on` and `state` as of today."""
    rows = {r.pk: r for r in remedial_rows(
        RemedialAssignment.objects.filter(pk__in=[a.pk for a in assignments]),
        timezone.localdate())}
    return [rows[a.pk] for a in assignments]


def register(router) -> None:
    router.register("training-sessions", SessionViewSet, basename="training-session")
    router.register("remedial-trainings", RemedialViewSet, basename="remedial-training")
