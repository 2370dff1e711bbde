"""A notice recorded in error is voided (rules §3): its case is voided with it."""

from pinzhi.core.voiding import VoidKind, register_void_kind
from pinzhi.quality.services import case_void_by_rule

from .models import Notice, rule_key


def _notice_voided(notice, *, by, now) -> None:
    case_void_by_rule(rule_key=rule_key(notice.notice_no), reason="the notice was voided")


NOTICE = register_void_kind(VoidKind("notice", Notice, "notice_no", "notices",
                                     followers=[_notice_voided]))
