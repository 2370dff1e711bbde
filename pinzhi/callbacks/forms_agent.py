"""The agent's contact form (rules §4.1.2): confirm the number on file, or give a new one.

It checks the input's shape only; whether the number may be recorded (an agent's or a
branch's number, rules §4.6) is the service's decision (`contact_update_record`).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

CONFIRM, UPDATE = "confirm", "update"


class ContactForm(forms.Form):
    # Two small forms on the page post here; `action` says which. Confirming sends no
    # number: the one on file is taken on the server, so the page never holds it in full.
    action = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (UPDATE, UPDATE)],
                               widget=forms.HiddenInput)
    phone = forms.CharField(label=_("New phone number"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "off"}))

    def clean(self):
        data = super().clean()
        if data.get("action") == UPDATE and not data.get("phone", "").strip():
            self.add_error("phone", _("Give the applicant's new phone number."))
        return data

    def phone_to_record(self, on_file: str) -> str:
        if self.cleaned_data["action"] == CONFIRM:
            return on_file
        return self.cleaned_data["phone"].strip()

    def first_error(self) -> str:
        return next((e for errors in self.errors.values() for e in errors), "")
