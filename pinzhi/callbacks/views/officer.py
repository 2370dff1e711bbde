from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def placeholder(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("manual/", placeholder, name="callbacks-manual"),
    path("requests/", placeholder, name="callbacks-requests"),
    path("late/", placeholder, name="callbacks-late"),
]
