"""Valuable documents (有价单证, rules §7.3): issued to an agent, due back by a date.

The document is the fact; its overdue case (pinzhi.quality Case, rule key
`documents.overdue:<doc_no>`) is derived from it by `evaluation.documents_evaluate`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class ValuableDocument(Voidable):
    doc_no = models.CharField(_("document number"), max_length=40, unique=True)
    doc_type = models.CharField(_("document type"), max_length=60, blank=True)
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="valuable_documents", verbose_name=_("agent"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"), db_index=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"), db_index=False)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("taken back by"), db_index=False)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("valuable document")
        verbose_name_plural = _("valuable documents")
        ordering = ["due_on", "doc_no"]
        indexes = [models.Index(fields=["agent", "due_on"])]

    def __str__(self):
        return self.doc_no

    def get_absolute_url(self):
        return reverse("documents-list") + f"?q={self.doc_no}"

    @property
    def fact(self) -> rules.Document:
        return rules.Document(self.doc_no, self.due_on, self.returned_on)

    def state(self, today) -> str:
        return rules.state(self.fact, today)

    @property
    def returned_late(self) -> bool:
        return rules.returned_late(self.fact)
