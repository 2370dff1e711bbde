"""A valuable document can be voided (rules §3): its overdue case is voided with it."""

from pinzhi.core.voiding import VoidKind, register_void_kind
from pinzhi.quality.services import case_void_by_rule

from . import rules
from .models import ValuableDocument


def _document_voided(document, *, by, now) -> None:
    case_void_by_rule(rule_key=rules.rule_key(document.doc_no),
                      reason=f"valuable document {document.doc_no} was voided")


register_void_kind(VoidKind("valuable_document", ValuableDocument, "doc_no",
                            "valuable_documents", followers=[_document_voided]))
