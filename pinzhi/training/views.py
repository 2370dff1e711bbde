"""The training pages (issue 8): remedial training owed and done in the user's scope with
the unit's figures, the sessions, a session with its attendance, and an agent's training
file. Thin: rows through `restrict(user)`, changes through `training.services`."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.org.models import Agent, Unit
from pinzhi.web.forms import DateInput, bootstrap

from . import services
from .models import Attendance, Course, RemedialAssignment, Session
from .reading import remedial_rows

STAFF = Role.TRAINING_RECORD | {Role.MANAGER, Role.SALES_ADMIN}
STATE_LABELS = {"owed": _("owed"), "overdue": _("overdue"), "done": _("done"),
                "done_late": _("done late")}


class SessionForm(forms.Form):
    session_no = forms.CharField(label=_("Session number"), max_length=40)
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all())
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    unit = forms.ModelChoiceField(label=_("Held by"), queryset=Unit.objects.none())
    trainer = forms.CharField(label=_("Trainer"), max_length=60, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user).live().order_by("path")
        bootstrap(self)


class AttendanceForm(forms.Form):
    agent_code = forms.CharField(label=_("Agent"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def figures(rows: list) -> dict:
    """Training done, of the remedial trainings listed: how many, done, overdue, rate."""
    done = sum(r.state in ("done", "done_late") for r in rows)
    return {"assigned": len(rows), "done": done,
            "overdue": sum(r.state == "overdue" for r in rows),
            "done_rate": f"{done / len(rows):.0%}" if rows else "—"}


@login_required
def training_list(request, form=None):
    user = request.user
    if not user.has_role(STAFF):
        return redirect("home")
    today = timezone.localdate()
    show = request.GET.get("show", "")
    rows = remedial_rows(RemedialAssignment.objects.restrict(user)
                         .filter(agent__voided_at__isnull=True), today)
    summary = figures(rows)
    if show in STATE_LABELS:
        rows = [r for r in rows if r.state == show]
    start = today.replace(month=1 if today.month <= 6 else 7, day=1)
    attended = Attendance.objects.restrict(user).live().filter(
        session__held_on__gte=start, session__held_on__lte=today,
        session__voided_at__isnull=True)
    summary.update(attendances=attended.count(),
                   hours=attended.aggregate(h=Sum("session__course__hours"))["h"] or 0,
                   since=start)
    sessions = Session.objects.restrict(user).live().select_related("course", "unit")
    return render(request, "training/list.html", {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")), "show": show,
        "states": STATE_LABELS, "summary": summary,
        "sessions": sessions.order_by("-held_on", "session_no")[:20],
        "may_record": services.may_record(user),
        "form": form or SessionForm(user=user, initial={"held_on": today})})


@login_required
@require_POST
def session_new(request):
    form = SessionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            session = services.session_record(by=request.user, **form.cleaned_data)
        except services.TrainingRefused as refused:
            messages.error(request, refused.localized())
        else:
            return redirect("training-session", session.session_no)
    return training_list(request, form=form)


@login_required
def session_detail(request, session_no, form=None):
    session = get_object_or_404(Session.objects.restrict(request.user)
                                .select_related("course", "unit"), session_no=session_no)
    attendances = (Attendance.objects.restrict(request.user).live().filter(session=session)
                   .select_related("agent__team").order_by("agent__code"))
    return render(request, "training/session.html", {
        "session": session, "attendances": attendances, "form": form or AttendanceForm(),
        "may_record": services.may_record(request.user) and not session.is_voided})


@login_required
@require_POST
def attendance_new(request, session_no):
    session = get_object_or_404(Session.objects.restrict(request.user), session_no=session_no)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        agent = Agent.objects.restrict(request.user).filter(
            code=form.cleaned_data["agent_code"].strip()).first()
        if agent is None:
            form.add_error("agent_code", _("No such agent."))
        else:
            try:
                services.attendance_record(session=session, agent=agent, by=request.user)
            except services.TrainingRefused as refused:
                messages.error(request, refused.localized())
            else:
                return redirect("training-session", session.session_no)
    return session_detail(request, session_no, form=form)


@login_required
def agent_file(request, code):
    """The agent's training file (培训档案): every session he attended, and his remedial
    trainings with their state."""
    agent = get_object_or_404(Agent.objects.restrict(request.user).select_related("team"),
                              code=code)
    today = timezone.localdate()
    attendances = (Attendance.objects.live().filter(agent=agent, session__voided_at__isnull=True)
                   .select_related("session__course", "session__unit")
                   .order_by("-session__held_on"))
    return render(request, "training/agent.html", {
        "agent": agent, "attendances": attendances,
        "hours": sum((a.session.course.hours for a in attendances), start=0),
        "remedial": remedial_rows(RemedialAssignment.objects.filter(agent=agent), today),
        "states": STATE_LABELS})
