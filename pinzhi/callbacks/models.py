"""New-policy callbacks (rules §4): the facts as they arrive, and the state derived from them.

Facts: attempts (phone calls of rounds 1 and 2, and the manual callback's verdict),
contact updates, special requests. They are recorded as they arrive, whatever their order,
and voided, never deleted. `CallbackStatus` is the state as of the last evaluation, written
in bulk by `evaluation.evaluate`; any earlier state is derived again from the facts
(`rules.callback_state`), never read from here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pinzhi.core.masking import mask_phone
from pinzhi.core.models import Voidable
from pinzhi.core.sealing import SealedCharField
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules

VIA_POLICY = Visibility(unit_path="policy__agent__team__path", agent="policy__agent_id")


class Round(models.TextChoices):
    ONE = "1", _("round 1")
    TWO = "2", _("round 2")
    MANUAL = "manual", _("manual callback")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("success")
    NO_ANSWER = "no_answer", _("no answer")
    NOT_PRESENT = "not_present", _("applicant not present")
    HUNG_UP = "hung_up", _("hung up early")
    DECLINED_CALL = "declined_call", _("declined the call")
    BUSY = "busy", _("busy")
    INCONVENIENT = "inconvenient", _("inconvenient now")
    POWERED_OFF = "powered_off", _("phone off")
    OTHER = "other", _("other")
    NO_CONTACT = "no_contact", _("no contact details")
    EMPTY_NUMBER = "empty_number", _("number not in service")
    WRONG_NUMBER = "wrong_number", _("wrong number")
    AGENT_OR_BRANCH_PHONE = "agent_or_branch_phone", _("agent's or branch's phone")
    RECORDING = "recording", _("answering machine")
    FAX = "fax", _("fax number")
    SUSPENDED = "suspended", _("suspended")
    NUMBER_PAUSED = "number_paused", _("number paused")
    REFUSED_SELF = "refused_self", _("applicant refused the callback")
    REFUSED_FAMILY = "refused_family", _("family refused the callback")
    SPECIAL_NO_CALLBACK = "special_no_callback", _("special reason, no callback possible")
    SURRENDERED = "surrendered", _("surrendered")
    SPECIAL_POLICY = "special_policy", _("special policy")


assert set(Outcome.values) == rules.OUTCOMES  # one list of codes: the rules' own


class Method(models.TextChoices):
    CALL = "call", _("specialist's call")
    LETTER = "letter", _("letter with the customer's signed reply")
    VISIT = "visit", _("visit with the customer's signed confirmation")


class Finding(models.TextChoices):
    """Findings of a callback (interfaces.md) and the case type each one drafts (§4.5)."""

    FORGED_SIGNATURE = "forged_signature", _("forged signature")
    MISLEADING = "misleading", _("misleading sales")
    INVESTMENT_RISK_CONCEALED = "investment_risk_concealed", _("investment risk concealed")


FINDING_CASE_TYPES = {
    Finding.FORGED_SIGNATURE: "forged_signature",
    Finding.MISLEADING: "misleading_sales",
    Finding.INVESTMENT_RISK_CONCEALED: "investment_risk_concealed",
}


class Flag(models.TextChoices):
    """Why an attempt is kept but not counted (rules §4.1.7, §4.2); empty: it counts."""

    OUTSIDE_HOURS = "outside_hours", _("outside the calling hours")
    TOO_SOON = "too_soon", _("too soon after the previous unsuccessful attempt")
    ROUND_NOT_OPEN = "round_not_open", _("the round was not open")
    AFTER_END = "after_end", _("after the callback ended")
    NOT_REQUIRED = "not_required", _("the policy needs no callback")


class CallbackAttempt(Voidable):
    """One attempt: a phone call of round 1 or 2 (outbound, or the customer calling back),
    or the manual callback's verdict. Keyed by policy, round and time (interfaces.md)."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT,
                               related_name="callback_attempts", verbose_name=_("policy"))
    round = models.CharField(_("round"), max_length=6, choices=Round.choices)
    attempted_at = models.DateTimeField(_("attempted at"))
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    findings = models.CharField(_("findings"), max_length=120, blank=True,
                                help_text=_("codes separated by ;"))
    phone_changed = models.BooleanField(_("phone changed"), default=False)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True,
                                                    blank=True)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, blank=True)
    operator = models.CharField(_("operator"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    inbound = models.BooleanField(_("customer called in"), default=False)
    appointment_at = models.DateTimeField(
        _("call again from"), null=True, blank=True,
        help_text=_("the customer asked to be called at or after this time"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    script = models.ForeignKey("ScriptVersion", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    # Derived by the evaluation from all the facts: why the attempt does not count.
    flag = models.CharField(_("flag"), max_length=16, choices=Flag.choices, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = VIA_POLICY

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["policy", "attempted_at"]
        constraints = [models.UniqueConstraint(fields=["policy", "round", "attempted_at"],
                                               name="callback_attempt_key")]

    def __str__(self):
        return f"{self.policy_id} {self.round} {self.attempted_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def finding_list(self) -> list[str]:
        return [f for f in self.findings.split(";") if f]


class ContactUpdate(Voidable):
    """The agent confirmed or updated the applicant's phone (rules §4.1.2, §4.6).
    Confirming the same number counts."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT,
                               related_name="contact_updates", verbose_name=_("policy"))
    # `updated_at` in the feed file; Voidable's own `updated_at` is when the row changed.
    changed_at = models.DateTimeField(_("confirmed or updated at"))
    phone = SealedCharField(_("phone"), max_length=20, db_index=True, kind="phone")
    agent = models.ForeignKey("org.Agent", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("by agent"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = VIA_POLICY

    class Meta:
        verbose_name = _("contact update")
        verbose_name_plural = _("contact updates")
        ordering = ["policy", "changed_at"]
        constraints = [models.UniqueConstraint(fields=["policy", "changed_at"],
                                               name="contact_update_key")]

    def __str__(self):
        return f"{self.policy_id} {self.changed_at:%Y-%m-%d %H:%M} {self.phone_masked}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class RequestKind(models.TextChoices):
    EARLY = "early", _("early callback")
    EXEMPTION = "exemption", _("exemption")


class CallbackRequest(Voidable):
    """An early callback or an exemption (rules §4.7), approved by the branch coordinator."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT,
                               related_name="callback_requests", verbose_name=_("policy"))
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    requested_on = models.DateField(_("requested on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    earliest_on = models.DateField(_("call from"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = VIA_POLICY

    class Meta:
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        ordering = ["-requested_on"]
        constraints = [models.UniqueConstraint(fields=["policy", "kind"],
                                               name="callback_request_key")]

    def __str__(self):
        return f"{self.policy_id} {self.kind} {self.requested_on}"


class CallbackStatus(models.Model):
    """The callback of one policy as of the last evaluation (EvaluationRun).

    Derived, rewritten in bulk: never the source of a past state (see rules.py)."""

    policy = models.OneToOneField("policies.Policy", primary_key=True,
                                  on_delete=models.CASCADE, related_name="callback",
                                  verbose_name=_("policy"))
    status = models.CharField(_("state"), max_length=16)
    round_1_opens_at = models.DateTimeField(null=True, blank=True)
    round_1_failed_at = models.DateTimeField(null=True, blank=True)
    round_2_opens_at = models.DateTimeField(null=True, blank=True)
    round_2_failed_at = models.DateTimeField(null=True, blank=True)
    manual_opened_at = models.DateTimeField(null=True, blank=True)
    success_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    next_call_at = models.DateTimeField(_("next call from"), null=True, blank=True,
                                        db_index=True)
    deadline_at = models.DateTimeField(_("cooling-off period ends"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    findings = models.CharField(_("findings"), max_length=120, blank=True)
    findings_undecided = models.BooleanField(default=False)
    phone_changed = models.BooleanField(default=False)
    phone = SealedCharField(_("phone"), max_length=20, blank=True, kind="phone")
    phone_false = models.BooleanField(_("agent's or branch's phone"), default=False)
    condition_met = models.BooleanField(_("callback condition met"), default=False)
    digest = models.BigIntegerField(default=0)  # fingerprint of the columns above

    objects = RestrictedQuerySet.as_manager()
    visibility = VIA_POLICY

    class Meta:
        verbose_name = _("callback status")
        verbose_name_plural = _("callback statuses")
        indexes = [models.Index(fields=["status", "next_call_at"], name="callback_queue")]

    def __str__(self):
        return f"{self.policy_id} {self.status}"


class ManualCallback(models.Model):
    """The manual callback (rules §4.1.4–5): a task with an owner and a deadline, done by
    a specialist's call, a letter or a visit, ending in a verdict (an attempt of round
    `manual`)."""

    policy = models.OneToOneField("policies.Policy", on_delete=models.PROTECT,
                                  related_name="manual_callback", verbose_name=_("policy"))
    opened_at = models.DateTimeField(_("opened at"))
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="manual_callbacks",
                              verbose_name=_("owner"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = VIA_POLICY

    class Meta:
        verbose_name = _("manual callback")
        verbose_name_plural = _("manual callbacks")
        ordering = ["due_on"]

    def __str__(self):
        return f"{self.policy_id} due {self.due_on}"


class ManualDocument(models.Model):
    """The customer's signed reply or confirmation, or any paper of the manual callback."""

    task = models.ForeignKey(ManualCallback, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to="callbacks/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name


class CallLock(models.Model):
    """A policy being called is the caller's until `until` (the queue skips it)."""

    policy = models.OneToOneField("policies.Policy", primary_key=True,
                                  on_delete=models.CASCADE, related_name="+")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="+")
    locked_at = models.DateTimeField()
    until = models.DateTimeField()

    def __str__(self):
        return f"{self.policy_id} by {self.operator_id} until {self.until}"


class ScriptVersion(models.Model):
    """The callback script for a product kind (empty: every kind) from a day on (§4.5).
    Versions are added, never edited; the default script lives in code (scripts.py)."""

    product_kind = models.CharField(_("product kind"), max_length=20, blank=True)
    valid_from = models.DateField(_("valid from"))
    questions = models.JSONField(_("questions"))
    note = models.TextField(_("why"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("callback script version")
        verbose_name_plural = _("callback script versions")
        ordering = ["product_kind", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["product_kind", "valid_from"],
                                               name="script_version_unique")]

    def __str__(self):
        return f"{self.product_kind or 'all'} from {self.valid_from}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("script versions are added, never edited")
        super().save(*args, **kwargs)


class EvaluationRun(models.Model):
    """One run of `pinzhi evaluate` (or of the scheduler): the moment it moved time to,
    and what changed. A run that crashed has no `finished_at`; the next one redoes it
    (every run recomputes from the facts, so redoing is safe)."""

    as_of = models.DateTimeField(_("as of"))
    scope = models.CharField(_("scope"), max_length=60, default="all")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    policies = models.PositiveIntegerField(_("policies"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.scope} as of {self.as_of}"
