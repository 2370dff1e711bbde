"""Pages that write: uploading a feed file, voiding a fact. Thin: the services decide."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pinzhi.core.importing import REGISTRY, run_import
from pinzhi.core.voiding import VoidRefused, resolve_kind, void_fact


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of file"))
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Check only, write nothing"),
                                 required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, k) for k in sorted(REGISTRY) if user.may_import(k)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PINZHI_UPLOAD_MAX_BYTES:
            limit = settings.PINZHI_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit})
        return upload


@login_required
def import_upload(request):
    """The same imports as `pinzhi import`, with the same report of bad rows on the page."""
    if not any(request.user.may_import(k) for k in REGISTRY):
        raise Http404
    result = None
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with upload.open("rb") as stream:
            result = run_import(form.cleaned_data["kind"], stream, by=request.user,
                                dry_run=form.cleaned_data["dry_run"], filename=upload.name)
    return render(request, "web/import.html", {"form": form, "result": result})


@login_required
@require_POST
def void(request, kind: str, key: str):
    """Void a fact the user may see and may void; the reason is required."""
    try:
        spec = resolve_kind(kind)
    except VoidRefused:
        raise Http404 from None
    visible = spec.model.objects.restrict(request.user).filter(**{spec.key_field: key})
    if not request.user.may_void(spec.kind) or not visible.exists():
        raise Http404
    try:
        obj = void_fact(kind=spec.kind, key=key, reason=request.POST.get("reason", ""),
                        by=request.user, ip=request.META.get("REMOTE_ADDR"))
    except VoidRefused as exc:
        messages.error(request, str(exc))
        return redirect(visible.first().get_absolute_url())
    messages.success(request, _("Voided."))
    return redirect(obj.get_absolute_url())
