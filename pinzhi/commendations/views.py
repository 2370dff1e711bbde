"""Pages of commendations (issue 8)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def commendations_list(request):
    return HttpResponse("")  # replaced by the area's list page
