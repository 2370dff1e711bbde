"""Every change of a valuable document, as a keyword-only service function (rules §7.3).

Each checks that the change is allowed, records the fact with who and when, writes an
event row, brings the document's overdue case in line, and runs in a transaction.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Agent

from .evaluation import documents_evaluate
from .models import ValuableDocument

# Branch clerks issue and take back documents (rules §9); officers and administrators too.
WRITER_ROLES = frozenset({Role.CLERK, Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN})


class DocumentRefused(Refused):
    """A change of this area that is not allowed (pinzhi.core.refusals)."""


def may_write(user) -> bool:
    return user is not None and user.has_role(WRITER_ROLES)


def _check_writer(by) -> None:
    if by is not None and not may_write(by):
        raise DocumentRefused(gettext_noop("%(user)s may not issue or take back documents"),
                              user=by)


def _log(action: str, key: str, by, at: dt.datetime, **data) -> None:
    Event.objects.create(at=at, actor=by, action=action, kind="valuable_document", key=key,
                         data=data)


def _agent(agent, by) -> Agent:
    code = agent if isinstance(agent, str) else getattr(agent, "code", None)
    found = Agent.objects.live().filter(code=code).first() if code else None
    if found is None:
        raise DocumentRefused(gettext_noop("unknown agent %(agent)s"), agent=code or "—")
    if by is not None and not Agent.objects.restrict(by).filter(pk=found.pk).exists():
        raise DocumentRefused(gettext_noop("agent %(agent)s is outside %(user)s's scope"),
                              agent=found.code, user=by)
    return found


def document_issue(*, doc_no: str, agent, issued_on: dt.date, due_on: dt.date, by,
                   doc_type: str = "") -> ValuableDocument:
    """Issue document `doc_no` to `agent` (an Agent or his code), due back by `due_on`."""
    _check_writer(by)
    doc_no = (doc_no or "").strip()
    if not doc_no:
        raise DocumentRefused(gettext_noop("a document number is required"))
    agent = _agent(agent, by)
    today = timezone.localdate()
    if issued_on > today:
        raise DocumentRefused(gettext_noop("issued on %(day)s: that is in the future"),
                              day=issued_on)
    if due_on < issued_on:
        raise DocumentRefused(gettext_noop("due on %(due)s, before it was issued on %(day)s"),
                              due=due_on, day=issued_on)
    now = timezone.now()
    with transaction.atomic():
        if ValuableDocument.objects.select_for_update().filter(doc_no=doc_no).exists():
            raise DocumentRefused(gettext_noop("document %(doc)s was issued already"),
                                  doc=doc_no)
        doc = ValuableDocument.objects.create(
            doc_no=doc_no, doc_type=(doc_type or "").strip(), agent=agent,
            issued_on=issued_on, due_on=due_on, issued_by=by, created_at=now, updated_at=now)
        _log("valuable_document.issued", doc_no, by, now, agent=agent.code,
             issued_on=str(issued_on), due_on=str(due_on), doc_type=doc.doc_type)
        documents_evaluate(as_of=now, doc_nos=[doc_no])  # issued late: overdue already
    return doc


def document_return(*, document: ValuableDocument, returned_on: dt.date,
                    by) -> ValuableDocument:
    """The agent handed `document` back on `returned_on`. Returned by its due date, its
    overdue case (if one was recorded meanwhile) is voided; later, the case stays."""
    _check_writer(by)
    if by is not None and not ValuableDocument.objects.restrict(by).filter(
            pk=document.pk).exists():
        raise DocumentRefused(gettext_noop("document %(doc)s is outside %(user)s's scope"),
                              doc=document.doc_no, user=by)
    now = timezone.now()
    with transaction.atomic():
        doc = ValuableDocument.objects.select_for_update().get(pk=document.pk)
        if doc.voided_at is not None:
            raise DocumentRefused(gettext_noop("document %(doc)s is voided"), doc=doc.doc_no)
        if doc.returned_on is not None:
            raise DocumentRefused(gettext_noop("document %(doc)s was returned already on "
                                               "%(day)s"), doc=doc.doc_no, day=doc.returned_on)
        if returned_on < doc.issued_on:
            raise DocumentRefused(gettext_noop("returned on %(day)s, before it was issued on "
                                               "%(issued)s"), day=returned_on,
                                  issued=doc.issued_on)
        if returned_on > timezone.localdate(now):
            raise DocumentRefused(gettext_noop("returned on %(day)s: that is in the future"),
                                  day=returned_on)
        doc.returned_on, doc.returned_by, doc.updated_at = returned_on, by, now
        doc.save(update_fields=["returned_on", "returned_by", "updated_at"])
        _log("valuable_document.returned", doc.doc_no, by, now, returned_on=str(returned_on),
             late=doc.returned_late)
        documents_evaluate(as_of=now, doc_nos=[doc.doc_no])
    return doc
