"""One form posted on an object's page (a complaint's, a candidate's, a finding's ...):
the form checked, the area's service run, its refusal shown above the page's forms, or
the object's page again on success. Views stay thin: the service decides."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from pinzhi.core.refusals import Refused


def form_post(*, name: str, form_class, find: Callable, page: Callable, run: Callable,
              subject: str, done: str) -> Callable:
    """A POST view: `find(request, **url kwargs)` gives the object (404 outside the
    user's scope), `run(<subject>=object, by=user, **cleaned data)` changes it, and
    `page(request, **url kwargs, forms={name: form})` shows the page with the form's
    errors; the form's fields are prefixed by `name`."""
    @login_required
    @require_POST
    def view(request, **kwargs):
        obj = find(request, **kwargs)
        form = form_class(request.POST, prefix=name)
        if form.is_valid():
            try:
                run(**{subject: obj}, by=request.user, **form.cleaned_data)
            except Refused as refused:
                messages.error(request, refused.localized())
            else:
                messages.success(request, done)
                return redirect(obj)
        return page(request, **kwargs, forms={name: form})
    return view
