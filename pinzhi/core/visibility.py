"""Who sees which rows: the one choke point (rules §9, NetBox's `restrict(user)`).

Every page, export and API endpoint gets its rows through `Model.objects.restrict(user)`,
which comes here. A model says how its rows reach the tree with a `Visibility`:
the lookup of the unit path its rows hang under, and the lookup of the agent they belong
to. A user's scope is all rows, a unit's subtree, or one agent.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Visibility:
    unit_path: str | None  # lookup to a Unit.path, e.g. "agent__team__path"
    agent: str | None  # lookup to an Agent id, e.g. "agent_id"
    public: bool = False  # reference data every signed-in user may read (products)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_path: str | None = None
    agent_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.unit_path is None and self.agent_id is None


NOTHING = Scope()


def scope_of(user) -> Scope:
    """The rows a user may see, from his role (accounts.Role) and his place in the tree."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Scope(everything=True)
    from pinzhi.accounts.models import Role

    if user.role in Role.ALL_SCOPE:
        return Scope(everything=True)
    if user.role in Role.SUBTREE_SCOPE and user.unit_id:
        return Scope(unit_path=user.unit.path)
    if user.role == Role.AGENT and user.agent_id:
        return Scope(agent_id=user.agent_id)
    return NOTHING


def restrict(queryset: models.QuerySet, user) -> models.QuerySet:
    vis: Visibility = queryset.model.visibility
    scope = scope_of(user)
    if scope.everything or (vis.public and not scope.nothing):
        return queryset
    if scope.unit_path is not None and vis.unit_path:
        return queryset.filter(**{f"{vis.unit_path}__startswith": scope.unit_path})
    if scope.agent_id is not None and vis.agent:
        return queryset.filter(**{vis.agent: scope.agent_id})
    return queryset.none()


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user):
        return restrict(self, user)

    def live(self):
        return self.filter(voided_at__isnull=True)
