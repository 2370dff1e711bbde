"""The audit page (issue 9): every audit row (core.Event), newest first, filtered by who,
what, which object, from where and when; for administrators only. Values are masked as on
every page (web/sensitive.py): the trail says who saw a full number, never the number."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event

from .forms import DateInput, bootstrap
from .sensitive import mask_value

PAGE = 100


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    action = forms.CharField(label=_("Action"), required=False,
                             help_text=_("a prefix, e.g. auth. or case."))
    kind = forms.CharField(label=_("Kind"), required=False)
    key = forms.CharField(label=_("Key"), required=False)
    ip = forms.CharField(label=_("From"), required=False)
    first = forms.DateField(label=_("From day"), required=False, widget=DateInput)
    last = forms.DateField(label=_("To day"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def apply(self, events):
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["actor"]:
            events = events.filter(actor__username=data["actor"].strip())
        if data["action"]:
            events = events.filter(action__startswith=data["action"].strip())
        for name in ("kind", "key", "ip"):
            if data[name]:
                events = events.filter(**{name: data[name].strip()})
        if data["first"]:
            events = events.filter(at__date__gte=data["first"])
        if data["last"]:
            events = events.filter(at__date__lt=data["last"] + dt.timedelta(days=1))
        return events


def masked(data) -> list[tuple[str, object]]:
    if not isinstance(data, dict):
        return [("data", mask_value("data", data))]
    return [(name, mask_value(name, value)) for name, value in data.items()]


@login_required
def audit_log(request):
    if not request.user.has_role({Role.ADMIN}):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = Event.objects.select_related("actor").order_by("-at", "-id")
    if request.GET:
        events = form.apply(events)
    page = Paginator(events, PAGE).get_page(request.GET.get("page"))
    rows = [(event, masked(event.data)) for event in page]
    return render(request, "web/audit.html", {"form": form, "page": page, "rows": rows})
