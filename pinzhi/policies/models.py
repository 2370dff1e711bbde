"""Products and policies (rules §3)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.masking import mask_id_number, mask_phone
from pinzhi.core.models import Voidable
from pinzhi.core.money import yuan
from pinzhi.core.sealing import SealedCharField
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class ProductKind(models.TextChoices):
    TRADITIONAL = "traditional", _("traditional")
    PARTICIPATING = "participating", _("participating")
    UNIVERSAL = "universal", _("universal")
    UNIT_LINKED = "unit_linked", _("unit-linked")
    HEALTH = "health", _("health")
    ACCIDENT = "accident", _("accident")


class Product(Voidable):
    code = models.CharField(_("product code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    long_term = models.BooleanField(_("long-term"), help_text=_("term of more than one year"))
    cooling_off_days = models.PositiveSmallIntegerField(_("cooling-off days"), default=15)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path=None, agent=None, public=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("product-detail", args=[self.code])

    @property
    def needs_callback_and_receipt(self) -> bool:
        """Callbacks (§4) and receipts (§5) apply to long-term policies."""
        return self.long_term


class PaymentMode(models.TextChoices):
    ANNUAL = "annual", _("annual")
    SINGLE = "single", _("single premium")
    MONTHLY = "monthly", _("monthly")


class PolicyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    COOLING_OFF_CANCELLED = "cooling_off_cancelled", _("cancelled in cooling-off")
    SURRENDERED = "surrendered", _("surrendered")
    LAPSED = "lapsed", _("lapsed")


class Policy(Voidable):
    """A policy as the core system reports it. Money in fen (`*_fen`), yuan via properties."""

    policy_no = models.CharField(_("policy number"), max_length=40)
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="policies", verbose_name=_("agent")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="policies", verbose_name=_("product")
    )
    applicant_name = models.CharField(_("applicant"), max_length=60)
    applicant_id_number = SealedCharField(_("applicant ID number"), max_length=30,
                                          kind="id_number")
    applicant_phone = SealedCharField(_("applicant phone"), max_length=20, kind="phone")
    insured_name = models.CharField(_("insured"), max_length=60, blank=True)
    insured_id_number = SealedCharField(_("insured ID number"), max_length=30, blank=True,
                                        kind="id_number")
    premium_fen = models.BigIntegerField(_("annualised premium (fen)"))
    payment_mode = models.CharField(
        _("payment mode"), max_length=10, choices=PaymentMode.choices, default=PaymentMode.ANNUAL
    )
    commission_fen = models.BigIntegerField(_("first-year commission (fen)"))
    signed_on = models.DateField(_("signed on"))
    printed_on = models.DateField(_("printed on"), db_index=True)
    effective_on = models.DateField(_("effective on"))
    status = models.CharField(
        _("status"), max_length=24, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-printed_on", "policy_no"]
        # Declared here rather than with unique=True/db_index=True: on PostgreSQL those also
        # build a `varchar_pattern_ops` twin for LIKE, which nothing here uses and which
        # every imported row would pay for.
        constraints = [models.UniqueConstraint(fields=["policy_no"], name="policy_no_unique")]
        indexes = [models.Index(fields=["applicant_phone"], name="policy_applicant_phone")]

    def __str__(self):
        return self.policy_no

    def get_absolute_url(self):
        return reverse("policy-detail", args=[self.policy_no])

    @property
    def premium(self):
        return yuan(self.premium_fen)

    @property
    def commission(self):
        return yuan(self.commission_fen)

    @property
    def applicant_id_masked(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def applicant_phone_masked(self) -> str:
        return mask_phone(self.applicant_phone)

    @property
    def insured_id_masked(self) -> str:
        return mask_id_number(self.insured_id_number)


def cooling_off_cancelled_on(status: str, status_on, updated_at):
    """The day a policy was cancelled in the cooling-off period, or None: the core
    system's date of the cancellation; without one, the local day it told us
    (docs/readings.md). The settlement and the indicators read it from here."""
    if status != PolicyStatus.COOLING_OFF_CANCELLED:
        return None
    if status_on is not None:
        return status_on
    from pinzhi.core.calendar import local_day

    return local_day(updated_at)
