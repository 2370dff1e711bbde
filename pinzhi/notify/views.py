"""The message centre (rules §8.2): a user's messages, newest first, when and how each
was told, and marking them read (services.message_read).

A user sees the messages addressed to him, and, when he has an agent record, those to his
agent: not `restrict(user)`, which would give an officer every message of his subtree.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .models import Message
from .services import message_read

PAGE_SIZE = 20


def own_messages(user):
    mine = Q(user=user)
    if user.agent_id:
        mine |= Q(agent_id=user.agent_id)
    return Message.objects.filter(mine)


@login_required
def inbox(request):
    rows = own_messages(request.user).select_related("policy")
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "unread": rows.filter(read_at__isnull=True).count(),
    }
    return render(request, "notify/inbox.html", context)


@login_required
def message_detail(request, pk):
    """Opening a message marks it read."""
    message = get_object_or_404(own_messages(request.user).select_related("policy"), pk=pk)
    message_read(message=message, by=request.user)
    link = message.url if url_has_allowed_host_and_scheme(
        message.url, {request.get_host()}, require_https=request.is_secure()) else ""
    return render(request, "notify/detail.html", {"message": message, "link": link})


@login_required
@require_POST
def read_all(request):
    unread = own_messages(request.user).filter(read_at__isnull=True)
    with transaction.atomic():
        count = 0
        for message in unread.select_for_update():
            message_read(message=message, by=request.user)
            count += 1
    messages.success(request, ngettext("%(count)d message marked as read.",
                                       "%(count)d messages marked as read.", count)
                     % {"count": count})
    return redirect("messages")
