"""The organisation: a tree of units, and the agents in its teams (rules §2)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.masking import mask_id_number, mask_phone
from pinzhi.core.models import Voidable
from pinzhi.core.sealing import SealedCharField
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class Level(models.TextChoices):
    HQ = "hq", _("head office")
    BRANCH = "branch", _("branch")
    SUBBRANCH = "subbranch", _("sub-branch")
    OFFICE = "office", _("office")
    TEAM = "team", _("team")


LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level.values)}


class Unit(Voidable):
    """A unit of the tree: head office > branch > sub-branch > office > team.

    `path` is the materialised path of codes (`/HQ/GD/GZ/`), so a subtree is a prefix:
    the visibility rules and every per-unit figure select by it.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=400, db_index=True, editable=False)
    phones = models.CharField(
        _("landlines"), max_length=400, blank=True, help_text=_("`;`-separated")
    )

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="path", agent=None)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("unit-detail", args=[self.code])

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    @property
    def phone_list(self) -> list[str]:
        return [p for p in self.phones.split(";") if p]


class Agent(Voidable):
    """An agent (业务员/代理人). A team manager is an agent too."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        TERMINATED = "terminated", _("terminated")

    code = models.CharField(_("agent code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    id_number = SealedCharField(_("ID number"), max_length=30, kind="id_number")
    phone = SealedCharField(_("mobile"), max_length=20, db_index=True, kind="phone")
    rank = models.CharField(_("rank"), max_length=40)
    team = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="agents", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="team__path", agent="id")

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("agent-detail", args=[self.code])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
