"""Messages to agents and staff (rules §8.2): the message centre in the application, and
when each one was told through the gateway (SMS or the company's messenger).

`told_at` is when the gateway accepted the message: windows that count from the agent
being told (his 10 days, his appeal window) can read it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class Message(models.Model):
    """One message to one agent (or one staff user). `key` makes sending idempotent: a
    periodic run that tells the agent of a failed round tells him once."""

    key = models.CharField(max_length=160, unique=True)
    agent = models.ForeignKey("org.Agent", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="messages", verbose_name=_("agent"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="messages",
                             verbose_name=_("user"))
    policy = models.ForeignKey("policies.Policy", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("policy"))
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["told_at"], name="message_untold",
                                condition=models.Q(told_at__isnull=True))]

    def __str__(self):
        return self.subject
