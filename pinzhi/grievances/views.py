"""Pages of grievances (issue 8)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def grievances_list(request):
    return HttpResponse("")  # replaced by the area's list page
