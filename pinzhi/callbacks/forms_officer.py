"""Forms of the officers' callback pages (rules §4.1.4–5, §4.7, §4.8). They check the
input's shape; whether a change is allowed is the services' decision (callbacks.services).
"""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role, User
from pinzhi.core.versions import path_prefixes
from pinzhi.org.models import Unit
from pinzhi.web.forms import bootstrap

from . import rules
from .models import Method, Outcome, RequestKind

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
MONTH_SHAPE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# Who may own a manual callback: the services accept the coordinator roles; a system
# administrator manages the system and is not offered as a callback owner.
OWNER_ROLES = (Role.QUALITY_OFFICER, Role.HQ_QUALITY)
YES_NO = [("no", _("no")), ("yes", _("yes"))]


def owners_for(policy, by):
    """Officers who may see the policy (their unit covers its team) and whom `by`
    oversees (their unit is in his scope): a task never goes to another branch."""
    units = Unit.objects.restrict(by).filter(path__in=path_prefixes(policy.agent.team.path))
    return (User.objects.filter(is_active=True, role__in=OWNER_ROLES, unit__in=units)
            .select_related("unit").order_by("unit__path", "username"))


# -- the manual callback ---------------------------------------------------------------


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())

    def __init__(self, *args, task, by, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        field.queryset = owners_for(task.policy, by)
        field.initial = task.owner_id
        field.label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} · {u.unit.name if u.unit else ''}")
        bootstrap(self)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("document"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.")
                                        % {"mb": DOCUMENT_MAX_BYTES // (1024 * 1024)})
        return upload


class VerdictForm(forms.Form):
    """The manual callback's one verdict (rules §4.1.5): success, or any other outcome
    code, a failure."""

    method = forms.ChoiceField(label=_("method"), choices=Method.choices)
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices,
                                help_text=_("Any outcome other than success is a failure."))
    phone_changed = forms.ChoiceField(
        label=_("phone changed"), choices=YES_NO, initial="no",
        help_text=_("Yes when the number on file was wrong or no longer in use (with a "
                    "success only)."))
    at = forms.DateTimeField(label=_("time of the verdict"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    note = forms.CharField(label=_("note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        if task.method:
            self.fields["method"].initial = task.method
        bootstrap(self)

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now():
            raise forms.ValidationError(_("The verdict cannot be in the future."))
        opened = self.task.opened_at
        if at < opened:
            raise forms.ValidationError(
                _("The verdict cannot be before the manual callback opened (%(at)s).")
                % {"at": f"{timezone.localtime(opened):%Y-%m-%d %H:%M}"})
        return at

    def clean(self):
        data = super().clean()
        success = data.get("outcome") == rules.SUCCESS
        if data.get("phone_changed") == "yes" and not success:
            self.add_error("phone_changed", _("Only a success says whether the phone changed."))
        # Reading: for a letter or a visit the customer's signed reply or confirmation is
        # the verdict's evidence, so it must be on file before the verdict is recorded.
        if data.get("method") in (Method.LETTER, Method.VISIT) \
                and not self.task.documents.exists():
            self.add_error(None, _("Upload the customer's signed reply or confirmation "
                                   "before recording a letter or visit verdict."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return dict(round=rules.MANUAL, outcome=d["outcome"], method=d["method"],
                    phone_changed=d["phone_changed"] == "yes", at=d["at"], note=d["note"])


# -- special requests ------------------------------------------------------------------


class RequestForm(forms.Form):
    """An early callback from a date, or an exemption with its reason (rules §4.7)."""

    kind = forms.ChoiceField(label=_("kind"), choices=RequestKind.choices)
    earliest_on = forms.DateField(label=_("call from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Early callback: the day from which to call."))
    requested_on = forms.DateField(label=_("requested on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required for an exemption."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_on"].initial = timezone.localdate()
        bootstrap(self)

    def clean_requested_on(self):
        day = self.cleaned_data["requested_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A request cannot be made in the future."))
        return day

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == RequestKind.EARLY and data.get("earliest_on") is None:
            self.add_error("earliest_on", _("An early callback needs the day from which "
                                            "to call."))
        if kind == RequestKind.EXEMPTION:
            data["earliest_on"] = None  # an exemption has no call date
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("An exemption needs its reason."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return dict(kind=d["kind"], requested_on=d["requested_on"],
                    earliest_on=d["earliest_on"], reason=d["reason"].strip())


# -- the late view ---------------------------------------------------------------------


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[first day 00:00, next month's first day 00:00), local time."""
    year, number = (int(p) for p in MONTH_SHAPE.match(month).groups())
    start = dt.datetime(year, number, 1, tzinfo=rules.SHANGHAI)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=rules.SHANGHAI)
    return start, end


def recent_months(count: int = 12, today: dt.date | None = None) -> list[str]:
    day = (today or timezone.localdate()).replace(day=1)
    months = []
    for _i in range(count):
        months.append(f"{day:%Y-%m}")
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return months


def valid_month(month: str | None) -> bool:
    return bool(month and MONTH_SHAPE.match(month))
