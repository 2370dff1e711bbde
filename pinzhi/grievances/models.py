"""Agents' own complaints and grievances (业务员投诉, issue 8): about the company, a
manager, their pay, a colleague; handled by someone with no stake in them and replied to
by a deadline. Facts only: the state and the deadline are derived (rules.py).

**Confidential** ([reading]): a grievance is seen by the agent who raised it and by the
grievance handlers (`Role.GRIEVANCE_HANDLE`) in their scope, never by the managers of the
agent's subtree (the person complained about is often his manager) nor by the agent it
is against. `Grievance.objects.restrict(user)` is the one choke point that says so.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility, scope_of

from . import rules


class About(models.TextChoices):
    COMPANY = "company", _("the company")
    MANAGER = "manager", _("a manager")
    COMMISSION = "commission", _("commission (pay)")
    COLLEAGUE = "colleague", _("a colleague")
    OTHER = "other", _("other")


class Channel(models.TextChoices):
    APP = "app", _("app or web")
    LETTER = "letter", _("letter")
    IN_PERSON = "in_person", _("in person")
    HOTLINE = "hotline", _("hotline")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    PARTLY = "partly", _("partly upheld")
    NOT_UPHELD = "not_upheld", _("not upheld")


class GrievanceQuerySet(RestrictedQuerySet):
    def restrict(self, user):
        """The agent who raised it, and handlers in their scope; nobody else (not the
        managers of his subtree, not the agent it is against, not the HR system)."""
        from pinzhi.accounts.models import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        own = Q(agent_id=user.agent_id) if user.agent_id else None
        handled = self._handled(user) if user.has_role(Role.GRIEVANCE_HANDLE) else None
        if own is None and handled is None:
            return self.none()
        # (Q() | x is x: an empty Q would not widen "his own" to "everything".)
        visible = handled if own is None else own if handled is None else own | handled
        return self.filter(visible)

    @staticmethod
    def _handled(user) -> Q | None:
        """A handler's scope (all, or his subtree) but for those against himself."""
        scope = scope_of(user)
        if scope.everything:
            handled = Q(pk__isnull=False)
        elif scope.unit_path is not None:
            handled = Q(agent__team__path__startswith=scope.unit_path)
        else:
            return None
        if user.agent_id:  # never one against himself
            handled &= ~Q(against_agent_id=user.agent_id)
        return handled


class Grievance(Voidable):
    grievance_no = models.CharField(_("grievance number"), max_length=40, unique=True)
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="grievances", verbose_name=_("raised by"))
    received_on = models.DateField(_("received on"), db_index=True)
    about = models.CharField(_("about"), max_length=20, choices=About.choices)
    against_agent = models.ForeignKey("org.Agent", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("against"))
    summary = models.TextField(_("what the agent says"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices,
                               default=Channel.APP)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("handled by"))
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = GrievanceQuerySet.as_manager()
    # What the generic tools read (the subtree, the agent); `restrict` above narrows it.
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("agent's grievance")
        verbose_name_plural = _("agents' grievances")
        ordering = ["-received_on", "grievance_no"]

    def __str__(self):
        return f"{self.grievance_no} received {self.received_on}"

    def get_absolute_url(self):
        return reverse("grievances-detail", args=[self.grievance_no])

    def facts(self) -> rules.Facts:
        return rules.Facts(self.received_on, self.replied_on)
