from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path


@login_required
def placeholder(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("", placeholder, name="documents-list"),
]
