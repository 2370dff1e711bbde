"""Training (培训, issue 8): courses, sessions held by a unit, the agents who attended
them (the training file the law asks for, per agent), and remedial training assigned to
an agent whose half-year standing calls for it (rules §7.6: `remedial_training`), done
once he attends a remedial session after it was assigned (derived, never stored)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class Course(models.Model):
    code = models.CharField(_("course code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    remedial = models.BooleanField(_("remedial"), default=False,
                                   help_text=_("attending it completes a remedial training"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=2)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Session(Voidable):
    session_no = models.CharField(_("session number"), max_length=40, unique=True)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions",
                               verbose_name=_("course"))
    held_on = models.DateField(_("held on"), db_index=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("held by"))
    trainer = models.CharField(_("trainer"), max_length=60, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="unit__path", agent=None)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "session_no"]

    def __str__(self):
        return f"{self.session_no} {self.held_on}"


class Attendance(Voidable):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendances",
                                verbose_name=_("session"))
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="attendances", verbose_name=_("agent"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "agent"],
                                               name="attendance_session_agent_unique")]

    def __str__(self):
        return f"{self.session_id} {self.agent_id}"


class RemedialAssignment(models.Model):
    """Remedial training owed by an agent for a half-year's standing; assigned once."""

    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="remedial_assignments", verbose_name=_("agent"))
    half_year = models.CharField(_("half-year"), max_length=6)
    standing = models.CharField(_("standing"), max_length=20)
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("remedial training")
        verbose_name_plural = _("remedial trainings")
        ordering = ["due_on", "agent_id"]
        constraints = [models.UniqueConstraint(fields=["agent", "half_year"],
                                               name="remedial_agent_half_year_unique")]

    def __str__(self):
        return f"{self.agent_id} {self.half_year}"

    def get_absolute_url(self):
        return reverse("training-list")
