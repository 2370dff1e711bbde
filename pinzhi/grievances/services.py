"""Every change of an agent's grievance (issue 8), as a keyword-only service function:
each checks who and when, records the fact, writes an event row, in a transaction.

- An agent raises his own (on his phone, received the day he raises it); a grievance
  handler may record one received on paper for an agent of his scope.
- Whoever handles one has no stake in it (`stake`): not the agent himself, not the agent
  it is against, and, when it is about a manager, none of the agent's managers.
- The events carry no summary and no reply: the grievance is confidential, the log is not.
- The agent is told in the application when his grievance is replied to.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role, User
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.notify.services import message_send
from pinzhi.org.models import Agent

from .models import About, Channel, Grievance, Outcome


class GrievanceRefused(Refused):
    """A change of a grievance that is not allowed (pinzhi.core.refusals)."""


def managers_of(agent: Agent) -> list[User]:
    """The agent's managers: active users of role manager whose unit's subtree holds his
    team (quality.managers' reading), other than himself."""
    path = agent.team.path
    return [u for u in User.objects.filter(role=Role.MANAGER, is_active=True,
                                           unit__isnull=False).select_related("unit")
            if path.startswith(u.unit.path) and u.agent_id != agent.pk]


def stake(user, grievance: Grievance) -> str | None:
    """Why `user` may not handle the grievance (None: no stake in it)."""
    own = getattr(user, "agent_id", None)
    if own is not None and own == grievance.agent_id:
        return gettext_noop("%(user)s raised grievance %(no)s himself")
    if own is not None and own == grievance.against_agent_id:
        return gettext_noop("grievance %(no)s is against %(user)s")
    if grievance.about == About.MANAGER:
        managers = managers_of(grievance.agent)
        if user.pk in {u.pk for u in managers} or (
                own is not None and own in {u.agent_id for u in managers}):
            return gettext_noop("%(user)s is a manager of the agent who raised "
                                "grievance %(no)s")
    return None


def may_handle(user, grievance: Grievance) -> bool:
    return (user is not None and user.has_role(Role.GRIEVANCE_HANDLE)
            and stake(user, grievance) is None)


def _check_handler(user, grievance: Grievance, refusal: str) -> None:
    """`refusal`: the whole message (one per action, so that it translates whole)."""
    if user is None or not user.has_role(Role.GRIEVANCE_HANDLE):
        raise GrievanceRefused(refusal, user=user)
    if why := stake(user, grievance):
        raise GrievanceRefused(why, user=user, no=grievance.grievance_no)
    if not Grievance.objects.restrict(user).filter(pk=grievance.pk).exists():
        raise GrievanceRefused(gettext_noop("grievance %(no)s is outside %(user)s's scope"),
                               no=grievance.grievance_no, user=user)


def _locked(grievance: Grievance) -> Grievance:
    locked = (Grievance.objects.select_for_update().select_related("agent__team")
              .get(pk=grievance.pk))
    if locked.voided_at is not None:
        raise GrievanceRefused(gettext_noop("grievance %(no)s is voided"),
                               no=locked.grievance_no)
    if locked.replied_on is not None:
        raise GrievanceRefused(gettext_noop("grievance %(no)s is replied to already"),
                               no=locked.grievance_no)
    return locked


def _log(action: str, grievance: Grievance, by, **data) -> None:
    Event.objects.create(actor=by, action=f"grievance.{action}", kind="grievance",
                         key=grievance.grievance_no,
                         data={k: v.isoformat() if isinstance(v, dt.date) else v
                               for k, v in data.items()})


def _check_raiser(by, agent: Agent, received_on: dt.date, today: dt.date) -> None:
    if by is None:  # the system (a feed, the demo)
        return
    if by.agent_id == agent.pk:
        if received_on != today:
            raise GrievanceRefused(gettext_noop("received_on: an agent's own grievance is "
                                                "received the day he raises it"))
        return
    if not by.has_role(Role.GRIEVANCE_HANDLE):
        raise GrievanceRefused(gettext_noop("%(user)s may not record grievances of agent "
                                            "%(agent)s"), user=by, agent=agent.code)
    if not Agent.objects.restrict(by).filter(pk=agent.pk).exists():
        raise GrievanceRefused(gettext_noop("agent %(agent)s is outside %(user)s's scope"),
                               agent=agent.code, user=by)


def _check_raise(agent, about, channel, summary, against_agent, received_on, today):
    if agent.voided_at is not None:
        raise GrievanceRefused(gettext_noop("agent %(agent)s is voided"), agent=agent.code)
    if about not in About.values:
        raise GrievanceRefused(gettext_noop("about: %(value)s is not one of the choices"),
                               value=about)
    if channel not in Channel.values:
        raise GrievanceRefused(gettext_noop("channel: %(value)s is not one of the choices"),
                               value=channel)
    if not summary.strip():
        raise GrievanceRefused(gettext_noop("summary: a grievance needs its text"))
    if against_agent is not None and against_agent.pk == agent.pk:
        raise GrievanceRefused(gettext_noop("against_agent: an agent's grievance is not "
                                            "against himself"))
    if received_on > today:
        raise GrievanceRefused(gettext_noop("received_on %(day)s is in the future"),
                               day=received_on)


def grievance_raise(*, agent: Agent, about: str, summary: str, by, against_agent=None,
                    channel: str = Channel.APP, received_on: dt.date | None = None,
                    grievance_no: str = "") -> Grievance:
    """A grievance raised: by the agent himself, or recorded by a handler from paper;
    numbered G + month + id when no number is given."""
    today = timezone.localdate()
    received_on = received_on or today
    _check_raiser(by, agent, received_on, today)
    _check_raise(agent, about, channel, summary, against_agent, received_on, today)
    number = grievance_no.strip()
    with transaction.atomic():
        if number and Grievance.objects.filter(grievance_no=number).exists():
            raise GrievanceRefused(gettext_noop("grievance %(no)s exists already"), no=number)
        grievance = Grievance.objects.create(
            grievance_no=number or f"TMP-{uuid.uuid4().hex}", agent=agent,
            received_on=received_on, about=about, against_agent=against_agent,
            summary=summary.strip(), channel=channel, recorded_by=by)
        if not number:
            grievance.grievance_no = f"G{received_on:%Y%m}{grievance.pk:06d}"
            grievance.save(update_fields=["grievance_no"])
        _log("raised", grievance, by, received_on=received_on, about=about, channel=channel,
             agent=agent.code, against=against_agent.code if against_agent else None)
    return grievance


def grievance_assign(*, grievance: Grievance, handler, by) -> Grievance:
    """Who handles it: a handler with no stake in it, chosen by one who may handle it;
    the handler is told in the application."""
    _check_handler(by, grievance,
                   gettext_noop("%(user)s may not assign grievances"))
    _check_handler(handler, grievance,
                   gettext_noop("%(user)s may not handle grievances"))
    with transaction.atomic():
        grievance = _locked(grievance)
        grievance.handler, grievance.updated_at = handler, timezone.now()
        grievance.save(update_fields=["handler", "updated_at"])
        _log("assigned", grievance, by, handler=handler.username)
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Grievance %(no)s is yours to handle") % {"no": grievance.grievance_no}
        message_send(key=f"grievances.assigned:{grievance.grievance_no}:{handler.pk}",
                     kind="grievance_assigned", subject=subject, body=subject, user=handler,
                     url=grievance.get_absolute_url())
    return grievance


def grievance_reply(*, grievance: Grievance, reply: str, outcome: str,
                    replied_on: dt.date, by) -> Grievance:
    """The reply and its outcome, by its handler (or, unassigned, by a handler who then
    is its handler); the agent is told in the application."""
    _check_handler(by, grievance,
                   gettext_noop("%(user)s may not reply to grievances"))
    if not reply.strip():
        raise GrievanceRefused(gettext_noop("reply: a reply needs its text"))
    if outcome not in Outcome.values:
        raise GrievanceRefused(gettext_noop("outcome: %(value)s is not one of the choices"),
                               value=outcome)
    if replied_on > timezone.localdate():
        raise GrievanceRefused(gettext_noop("replied_on %(day)s is in the future"),
                               day=replied_on)
    if replied_on < grievance.received_on:
        raise GrievanceRefused(gettext_noop("replied_on %(day)s is before %(before)s"),
                               day=replied_on, before=grievance.received_on)
    with transaction.atomic():
        grievance = _locked(grievance)
        if grievance.handler_id not in (None, by.pk):
            raise GrievanceRefused(gettext_noop("grievance %(no)s is handled by %(handler)s"),
                                   no=grievance.grievance_no, handler=grievance.handler)
        grievance.handler = by
        grievance.replied_on, grievance.reply, grievance.outcome = replied_on, reply, outcome
        grievance.updated_at = timezone.now()
        grievance.save(update_fields=["handler", "replied_on", "reply", "outcome",
                                      "updated_at"])
        _log("replied", grievance, by, replied_on=replied_on, outcome=outcome)
        _tell_agent(grievance)
    return grievance


def _tell_agent(grievance: Grievance) -> None:
    """Only that a reply is there: the text stays on the grievance's page."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your grievance %(no)s was replied to") % {"no": grievance.grievance_no}
        body = _("Your grievance %(no)s received on %(day)s was replied to on %(replied)s. "
                 "Open it to read the reply.") % {
            "no": grievance.grievance_no, "day": grievance.received_on,
            "replied": grievance.replied_on}
    message_send(key=f"grievances.replied:{grievance.grievance_no}", kind="grievance_replied",
                 subject=subject, body=body, agent=grievance.agent,
                 url=grievance.get_absolute_url())
