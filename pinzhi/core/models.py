"""What every area shares: the event log, import runs, and voidable facts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One change or one sensitive read, logged as an action (pretix's LogEntry).

    Append-only: rows are added, never changed. `kind` and `key` name the object by its
    natural key (e.g. `policy`, `P2026000001`), so the log outlives ids and reads well.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=60)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    key = models.CharField(_("key"), max_length=120, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["kind", "key", "at"])]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.kind} {self.key}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("events are append-only")
        super().save(*args, **kwargs)


class ImportRun(models.Model):
    """One file given to `pinzhi import` or to the upload page, and what came of it."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")
        DRY_RUN = "dry_run", _("dry run")

    kind = models.CharField(_("kind"), max_length=40)
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("by"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.kind} {self.filename} ({self.get_outcome_display()})"


class VoidableQuerySet(models.QuerySet):
    def live(self):
        return self.filter(voided_at__isnull=True)


class Voidable(models.Model):
    """A recorded fact is never deleted: it is voided, with who, when and why (rules §3)."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("voided by"),
        db_index=False,  # almost always NULL and never searched by: not worth an index
    )
    void_reason = models.TextField(_("void reason"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday on a weekday, or a
    make-up working day (调休) on a weekend, as the State Council publishes them.

    Seeded from `chinese-calendar` (to 2026); administrators add each new year's days
    when the schedule is published (November or December).
    """

    day = models.DateField(_("day"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {'workday' if self.is_workday else 'holiday'} {self.name}"


class Parameter(models.Model):
    """One version of a rule's parameter (a number of days, a threshold, a reading of the
    spec). Versions are added, never edited: the value in force on a day is the one with
    the latest `valid_from` on or before it, from the deepest unit above the agent that
    has one (a branch may override head office for its subtree). Defaults live in code
    (`pinzhi.core.parameters.DEFAULTS`)."""

    key = models.CharField(_("parameter"), max_length=80)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("for the subtree of"), help_text=_("empty: the whole company"),
    )
    valid_from = models.DateField(_("valid from"))
    value = models.JSONField(_("value"))
    note = models.TextField(_("why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("parameter version")
        verbose_name_plural = _("parameter versions")
        ordering = ["key", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "unit", "valid_from"],
                                               name="parameter_version_unique")]

    def __str__(self):
        return f"{self.key} = {self.value} from {self.valid_from}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("parameter versions are added, never edited")
        super().save(*args, **kwargs)
