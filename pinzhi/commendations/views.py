"""The commendation pages: the list in the user's scope (an agent his own), filtered by
period and kind, with the form to record one; a commendation's page (voided there).
Thin: rows through `restrict(user)`, changes through `commendations.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import CommendationFilter, RecordForm
from .models import Commendation

PAGE_SIZE = 25


@login_required
def commendations_list(request, form=None):
    user = request.user
    filters = CommendationFilter(request.GET)
    rows = filters.apply(Commendation.objects.restrict(user).live()
                         .select_related("agent__team", "awarded_by_unit"))
    rows = rows.order_by("-awarded_on", "-commendation_no")
    may_record = services.may_record(user)
    if may_record and form is None:
        form = RecordForm(user=user, initial={"awarded_on": timezone.localdate()})
    return render(request, "commendations/list.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters, "may_record": may_record, "form": form})


@login_required
@require_POST
def commendations_record(request):
    if not services.may_record(request.user):
        return redirect("commendations-list")
    form = RecordForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            commendation = services.commendation_record(
                agent=data["agent"], awarded_on=data["awarded_on"], kind=data["kind"],
                title=data["title"], reason=data["reason"], unit=data["unit"],
                by=request.user)
        except services.CommendationRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Commendation %(no)s recorded.")
                             % {"no": commendation.commendation_no})
            return redirect(commendation)
    return commendations_list(request, form=form)


@login_required
def commendations_detail(request, commendation_no):
    commendation = get_object_or_404(
        Commendation.objects.restrict(request.user).select_related(
            "agent__team", "awarded_by_unit", "recorded_by"), commendation_no=commendation_no)
    return render(request, "commendations/detail.html", {"commendation": commendation})
