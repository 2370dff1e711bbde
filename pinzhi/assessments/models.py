"""Ranks (职级) and the half-year rank decisions (晋升/维持考核, issue 8; rules §7.5).

A `Rank` is a row of the catalogue (seeded by a data migration, edited in the admin);
`org.Agent.rank` holds the rank's name, as the agents feed brings it. A `RankDecision`
is the fact of one agent's half-year: what the promotion and maintenance feed
recommended, what was decided, by whom. [reading] A decision, once made, is final in
Pinzhi: a second one for the same agent and half-year is refused, never overwritten
(services.py); the recommendation it was made against is kept beside it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class Rank(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True,
                            help_text=_("as the agents feed writes the agent's rank"))
    order = models.PositiveSmallIntegerField(_("order"), unique=True,
                                             help_text=_("lowest rank first"))
    manages_team = models.BooleanField(_("manages a team"), default=False)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path=None, agent=None, public=True)

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["order"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Outcome(models.TextChoices):
    PROMOTE = rules.PROMOTE, _("promote")
    MAINTAIN = rules.MAINTAIN, _("maintain")
    DEMOTE = rules.DEMOTE, _("demote")
    TERMINATION_REVIEW = rules.TERMINATION_REVIEW, _("termination review")


class RankDecision(models.Model):
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="rank_decisions", verbose_name=_("agent"))
    period = models.CharField(_("half-year"), max_length=6, db_index=True)
    from_rank = models.CharField(_("from rank"), max_length=40)
    to_rank = models.CharField(_("to rank"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    recommended = models.CharField(_("recommended"), max_length=20, choices=Outcome.choices)
    standing = models.CharField(_("standing"), max_length=20, blank=True)
    promotion_eligible = models.BooleanField(_("eligible for promotion"), default=False)
    maintenance_passed = models.BooleanField(_("maintenance passed"), default=False)
    decided_on = models.DateField(_("decided on"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("decided by"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("rank decision")
        verbose_name_plural = _("rank decisions")
        ordering = ["-period", "agent_id"]
        constraints = [models.UniqueConstraint(fields=["agent", "period"],
                                               name="rank_decision_agent_period_unique")]

    def __str__(self):
        return f"{self.agent_id} {self.period} {self.outcome}"
