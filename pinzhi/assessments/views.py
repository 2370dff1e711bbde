"""Pages of assessments (issue 8)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def assessments_list(request):
    return HttpResponse("")  # replaced by the area's list page
