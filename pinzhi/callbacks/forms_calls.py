"""The call screen's form (rules §4.3, §4.5): the script's yes/no answers, satisfaction,
the outcome, an appointment, inbound, a note.

It checks the input's shape only: whether the attempt may be recorded (the round open,
the time, the scope) is the services' decision (callbacks.services.attempt_record).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Finding, Outcome

YES, NO = "yes", "no"
ANSWERS = [(YES, _("yes")), (NO, _("no"))]
SATISFACTION = [(str(n), str(n)) for n in range(1, 6)]

# The outcome groups of rules §4.3, in the order an operator looks for them.
OUTCOME_GROUPS = [
    (_("Success"), {rules.SUCCESS}),
    (_("Temporary failure"), rules.TEMPORARY),
    (_("Number problem (the round fails at once)"), rules.NUMBER_PROBLEM),
    (_("Refusal (the round fails at once)"), rules.REFUSAL),
    (_("Special (the manual callback opens)"), rules.SPECIAL),
]


def outcome_choices() -> list:
    """Grouped choices (rendered as optgroups), each group in the models' order."""
    groups = [(label, [(code, name) for code, name in Outcome.choices if code in codes])
              for label, codes in OUTCOME_GROUPS]
    return [("", "—")] + groups


def answer_field(code: str) -> str:
    return f"q_{code}"


class CallForm(forms.Form):
    """`questions`: the script of this policy now (services.script_for)."""

    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction with the agent's service (1–5)"), choices=SATISFACTION,
        coerce=int, empty_value=None, required=False, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("outcome"))
    appointment_at = forms.DateTimeField(
        label=_("call again from"), required=False,
        help_text=_("the customer asked to be called at or after this time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                   format="%Y-%m-%dT%H:%M"))
    inbound = forms.BooleanField(label=_("the customer called in"), required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[answer_field(q.code)] = forms.ChoiceField(
                label=q.text, choices=ANSWERS, required=False, widget=forms.RadioSelect)
        self.fields["outcome"].choices = outcome_choices()
        self.fields["outcome"].widget.attrs["class"] = "form-select"
        self.fields["appointment_at"].widget.attrs["class"] = "form-control"
        self.fields["note"].widget.attrs["class"] = "form-control"
        self.fields["inbound"].widget.attrs["class"] = "form-check-input"

    def script_rows(self) -> list:
        """(question, bound field, the finding a "no" reveals) in script order."""
        labels = dict(Finding.choices)
        return [(q, self[answer_field(q.code)], labels.get(q.finding, q.finding))
                for q in self.questions]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.SUCCESS:
            # A success is a callback: every question answered and the satisfaction given.
            for q in self.questions:
                if not data.get(answer_field(q.code)):
                    self.add_error(answer_field(q.code), _("Answer this question."))
            if data.get("satisfaction") is None:
                self.add_error("satisfaction", _("Give the customer's satisfaction."))
        return data

    def service_kwargs(self) -> dict:
        """The keywords of services.attempt_record. The answers and the satisfaction go
        with a success only: a script broken off by a failed call is no callback, and the
        rules read findings from successes alone (rules §4.4)."""
        data = self.cleaned_data
        success = data["outcome"] == Outcome.SUCCESS
        answers = {q.code: data[answer_field(q.code)] for q in self.questions
                   if data.get(answer_field(q.code))}
        return {
            "outcome": data["outcome"],
            "answers": answers if success else None,
            "satisfaction": data.get("satisfaction") if success else None,
            "appointment_at": data.get("appointment_at"),
            "inbound": data.get("inbound", False),
            "note": data.get("note", ""),
        }
